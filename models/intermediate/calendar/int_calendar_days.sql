-- One row per day from 1990-01-01 to 2035-12-31: the time spine the semantic layer
-- (MetricFlow) joins metrics to. A fixed range, so builds are reproducible.
with

days as (
    {{ every_day('1990-01-01', '2036-01-01') }}
),

final as (
    select date_day from days
)

select * from final
