{#- The body of every stg_ model: the kept rows of its base_ model, without the
    row-classification columns (they live on in base_ and the data_quality models). -#}
{% macro select_kept_rows(base_relation) -%}
{%- set classification_columns = [
    '_raw_key', '_row_hash', '_quarantine_reason', '_row_outcome', '_outcome_reason'
] -%}
with

base as (
    select * from {{ base_relation }}
),

final as (
    select {{ star_except(classification_columns) }}
    from base
    where _row_outcome = 'kept'
)

select * from final
{%- endmacro %}
