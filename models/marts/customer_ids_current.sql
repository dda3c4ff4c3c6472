-- Every customer_id ever issued, and the one to use now (docs/contract.md §3): itself
-- while it is active, the id it was merged into after a merge (following chains of
-- merges: A into B, later B into C, gives C), none once retired. An id's latest event
-- decides: a merged or retired id that is restored later is active again. A destination that
-- stored customer ids re-keys them with one join. One row per customer_id ever issued.
with recursive

registry as (
    select * from {{ ref('int_identity_registry') }}
),

issued as (
    select
        customer_id,
        issue_number,
        build_number as issued_in_build
    from registry
    where row_kind = 'issued'
),

events as (
    select
        event_type,
        old_customer_id,
        new_customer_id,
        build_number
    from registry
    where row_kind = 'event'
),

-- the events that change an id's status, as (id, build, event)
status_events as (
    select
        old_customer_id as customer_id,
        build_number,
        event_type,
        new_customer_id as merged_into
    from events
    where event_type in ('merged', 'retired')
    union all
    select
        new_customer_id as customer_id,
        build_number,
        event_type,
        cast(null as string) as merged_into
    from events
    where event_type in ('created', 'split', 'restored')
),

latest_statuses as (
    select * from status_events
    qualify row_number() over (partition by customer_id order by build_number desc) = 1
),

merge_events as (
    select
        customer_id as old_customer_id,
        merged_into as new_customer_id
    from latest_statuses
    where event_type = 'merged'
),

retirements as (
    select
        customer_id as old_customer_id,
        build_number
    from latest_statuses
    where event_type = 'retired'
),

-- an id is merged only into an id issued before it: the chains end
chains as (
    select
        customer_id,
        customer_id as current_customer_id,
        0 as hops
    from issued
    union all
    select
        chains.customer_id,
        merge_events.new_customer_id,
        chains.hops + 1 as hops
    from chains
    inner join merge_events
        on chains.current_customer_id = merge_events.old_customer_id
),

chain_lengths as (
    select
        customer_id,
        max(hops) as hops
    from chains
    group by customer_id
),

chain_ends as (
    select
        chains.customer_id,
        chains.current_customer_id,
        chains.hops
    from chains
    inner join chain_lengths
        on chains.customer_id = chain_lengths.customer_id
            and chains.hops = chain_lengths.hops
),

final as (
    select
        issued.customer_id,
        case
            when retirements.old_customer_id is null then chain_ends.current_customer_id
        end as current_customer_id,
        case
            when retirements.old_customer_id is not null then 'retired'
            when chain_ends.hops > 0 then 'merged'
            else 'active'
        end as status,
        issued.issue_number,
        issued.issued_in_build,
        chain_ends.hops as merge_hops
    from issued
    inner join chain_ends
        on issued.customer_id = chain_ends.customer_id
    left join retirements
        on chain_ends.current_customer_id = retirements.old_customer_id
)

select * from final
