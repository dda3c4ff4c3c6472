{#- The body of every stg_ model: the kept rows of its base_ model, without the
    row-classification columns (they live on in base_ and the data_quality models). -#}
{% macro select_kept_rows(base_relation) -%}
with

base as (
    select * from {{ base_relation }}
),

final as (
    select * except (_raw_key, _row_hash, _quarantine_reason, _row_outcome, _outcome_reason)
    from base
    where _row_outcome = 'kept'
)

select * from final
{%- endmacro %}
