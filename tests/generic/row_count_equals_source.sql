{#- The grain test of a one-row-per-raw-row model: its row count equals the raw
    table's. (Byte-identical deliveries have no key, so a unique test cannot state
    this grain.) Returns both counts when they differ. -#}
{% test row_count_equals_source(model, source_name, table_name) %}

with

model_rows as (
    select count(*) as model_rows from {{ model }}
),

source_rows as (
    select count(*) as source_rows from {{ source(source_name, table_name) }}
),

final as (
    select
        model_rows.model_rows,
        source_rows.source_rows
    from model_rows
    cross join source_rows
    where model_rows.model_rows <> source_rows.source_rows
)

select * from final

{% endtest %}
