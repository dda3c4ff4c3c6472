{#- The numbers a data steward watches after every build, kept build after build so
    that a jump shows (marts.identity_health, tests assert_identity_*): customers,
    identifiers per type, the sizes of the customers (stitching identifiers each), the
    largest one, identifiers each guard refused, records that belong to nobody, and
    the last build's events. State like the id registry: append-only, one set of rows
    per registry build, and `--full-refresh` does not rebuild it.
    One row per build, metric and dimension. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail',
) }}

with

registry as (
    select * from {{ ref('int_identity_registry') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

records as (
    select * from {{ ref('int_records_stitched') }}
),

this_build as (
    select max(build_number) as build_number from registry
    where row_kind = 'build'
),

customer_sizes as (
    select
        customer_id,
        count(*) as identifiers
    from stitched
    group by customer_id
),

size_buckets as (
    select
        customer_id,
        case
            when identifiers = 1 then '1'
            when identifiers = 2 then '2'
            when identifiers <= 5 then '3-5'
            when identifiers <= 10 then '6-10'
            when identifiers <= 50 then '11-50'
            else '51+'
        end as size_bucket
    from customer_sizes
),

refusals as (
    select
        non_stitching_reason || ':' || identifier_type
        || coalesce(':' || shared_with_type, '') as refusal
    from identifiers
    where not is_stitching
),

last_build_events as (
    select registry.event_type
    from registry
    inner join this_build
        on registry.build_number = this_build.build_number
    where registry.row_kind = 'event'
),

metrics as (
    select
        'customers' as metric,
        'all' as dimension,
        count(*) as metric_value
    from customer_sizes
    union all
    select
        'identifiers' as metric,
        identifier_type as dimension,
        count(*) as metric_value
    from identifiers
    group by identifier_type
    union all
    select
        'customers_by_size' as metric,
        size_bucket as dimension,
        count(*) as metric_value
    from size_buckets
    group by size_bucket
    union all
    select
        'largest_customer_identifiers' as metric,
        'all' as dimension,
        coalesce(max(identifiers), 0) as metric_value
    from customer_sizes
    union all
    select
        'identifiers_refused' as metric,
        refusal as dimension,
        count(*) as metric_value
    from refusals
    group by refusal
    union all
    select
        'identifiers_refused_per_mille' as metric,
        'all' as dimension,
        cast(
            round(1000.0 * count(*) filter (where not is_stitching) / greatest(count(*), 1))
            as bigint
        ) as metric_value
    from identifiers
    union all
    select
        'records_without_customer' as metric,
        source_table as dimension,
        count(*) as metric_value
    from records
    where customer_id is null
    group by source_table
    union all
    select
        'events_last_build' as metric,
        event_type as dimension,
        count(*) as metric_value
    from last_build_events
    group by event_type
),

final as (
    select
        this_build.build_number,
        metrics.metric,
        metrics.dimension,
        cast(metrics.metric_value as bigint) as metric_value
    from metrics
    cross join this_build
    {%- if is_incremental() %}
    where this_build.build_number > (
        select coalesce(max(build_number), 0) from {{ this }}
    )
    {%- endif %}
)

select * from final
