-- One row per day from 1990-01-01 to 2035-12-31: the time spine the semantic layer
-- (MetricFlow) joins metrics to. A fixed range, so builds are reproducible.
with

days as (
    select cast(range as date) as date_day
    from range(date '1990-01-01', date '2036-01-01', interval 1 day)
),

final as (
    select date_day from days
)

select * from final
