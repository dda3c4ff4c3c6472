-- The identity diff of every build against the one before, in numbers: customers
-- created, merged, split and retired, identifiers added, moved and unlinked, and the
-- customers that did not change at all. The rows behind them are in
-- customer_id_changes and int_identifiers_moved. One row per build.
with

registry as (
    select * from {{ ref('int_identity_registry') }}
),

builds as (
    select build_number from registry
    where row_kind = 'build'
),

events as (
    select * from registry
    where row_kind = 'event'
),

members as (
    select * from {{ ref('int_identifier_assignments') }}
),

event_counts as (
    select
        build_number,
        count(*) filter (where event_type = 'created') as created,
        count(*) filter (where event_type = 'merged') as merged,
        count(*) filter (where event_type = 'split') as split,
        count(*) filter (where event_type = 'retired') as retired
    from events
    group by build_number
),

member_counts as (
    select
        build_number,
        count(*) filter (where assignment_number = 1) as identifiers_added,
        count(*) filter (
            where previous_customer_id is not null and customer_id is not null
        ) as identifiers_moved,
        count(*) filter (
            where previous_customer_id is not null and customer_id is null
        ) as identifiers_unlinked
    from members
    group by build_number
),

-- ids issued, and ids that stopped being active (merged or retired), per build
lifecycle as (
    select
        build_number,
        count(*) filter (where row_kind = 'issued') as issued,
        count(*) filter (
            where row_kind = 'event' and event_type in ('merged', 'retired')
        ) as ended
    from registry
    group by build_number
),

active as (
    select
        build_number,
        cast(sum(issued - ended) over (order by build_number) as bigint) as customers
    from lifecycle
),

issued_ids as (
    select
        customer_id,
        build_number as issued_in_build
    from registry
    where row_kind = 'issued'
),

-- customers a build touched: merged, split, retired, or gaining or losing identifiers
touched as (
    select
        build_number,
        new_customer_id as customer_id
    from events
    where new_customer_id is not null
    union
    select
        build_number,
        old_customer_id as customer_id
    from events
    where old_customer_id is not null
    union
    select
        build_number,
        customer_id
    from members
    where customer_id is not null
    union
    select
        build_number,
        previous_customer_id as customer_id
    from members
    where previous_customer_id is not null
),

-- of the customers there were before the build
touched_counts as (
    select
        touched.build_number,
        count(*) as customers_touched
    from touched
    inner join issued_ids
        on touched.customer_id = issued_ids.customer_id
    where issued_ids.issued_in_build < touched.build_number
    group by touched.build_number
),

active_before as (
    select
        builds.build_number,
        coalesce(active.customers, 0) as customers
    from builds
    left join active
        on builds.build_number - 1 = active.build_number
),

final as (
    select
        builds.build_number,
        coalesce(active.customers, 0) as customers,
        coalesce(event_counts.created, 0) as created,
        coalesce(event_counts.merged, 0) as merged,
        coalesce(event_counts.split, 0) as split,
        coalesce(event_counts.retired, 0) as retired,
        coalesce(member_counts.identifiers_added, 0) as identifiers_added,
        coalesce(member_counts.identifiers_moved, 0) as identifiers_moved,
        coalesce(member_counts.identifiers_unlinked, 0) as identifiers_unlinked,
        cast(active_before.customers - coalesce(touched_counts.customers_touched, 0) as bigint)
            as customers_unchanged
    from builds
    left join active
        on builds.build_number = active.build_number
    left join event_counts
        on builds.build_number = event_counts.build_number
    left join member_counts
        on builds.build_number = member_counts.build_number
    left join touched_counts
        on builds.build_number = touched_counts.build_number
    inner join active_before
        on builds.build_number = active_before.build_number
)

select * from final
