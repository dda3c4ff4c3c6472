-- Identity health after the latest build, beside the build before (docs: README,
-- Identity health): customers, identifiers per type, customers by size, the largest
-- customer, identifiers each guard refused and why, records that belong to nobody,
-- and the latest build's merges, splits, new and retired ids. Tests warn when the
-- largest customer or the refused share jumps. One row per metric and dimension.
with

history as (
    select * from {{ ref('int_identity_health_history') }}
),

latest as (
    select max(build_number) as build_number from history
),

current_metrics as (
    select history.*
    from history
    inner join latest
        on history.build_number = latest.build_number
),

previous_metrics as (
    select history.*
    from history
    inner join latest
        on history.build_number = latest.build_number - 1
),

final as (
    select
        current_metrics.build_number,
        current_metrics.metric,
        current_metrics.dimension,
        current_metrics.metric_value,
        previous_metrics.metric_value as previous_value
    from current_metrics
    left join previous_metrics
        on current_metrics.metric = previous_metrics.metric
            and current_metrics.dimension = previous_metrics.dimension
)

select * from final
