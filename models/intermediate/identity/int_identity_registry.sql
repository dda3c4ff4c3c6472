{#- The id registry: the one piece of state the project keeps between builds
    (docs/contract.md §2), so that a customer_id once issued keeps meaning the same
    person for every system that stored it. An append-only incremental model that
    `--full-refresh` does not rebuild (full_refresh=false); each build appends what
    changed, as rows of four kinds:
      build   the build's number (1, 2, …)
      issued  a new customer_id: its issue number and the anchor it stood for (the
              keyed hash of the component's oldest identifier when issued)
      member  an identifier's customer from this build on (null: it links nobody now)
      event   created / merged / split / retired / restored, with the old and new
              id, the business time and the record and identifiers that caused it
    Identifiers are kept as keyed hashes only (macro salted_hash): the registry holds
    nothing in clear, also for erased people.

    The rules, for each connected component of this build (int_identity_components):
    - every active id (its latest event created, split or restored it) has one heir:
      the component holding the identifier it stood for (its anchor), or, when that
      is gone, the component holding most of its identifiers (then the oldest); an
      inactive id (merged away or retired) is heir only of the component holding its
      anchor;
    - a component keeps the earliest-issued id whose heir it is; other active ids
      whose heir it is are merged into it (a late record, even one dated 2020, never
      changes which id survives); an inactive id that is kept is restored (a merge a
      guard now refuses, a deleted record restored: the person gets the old id back);
    - a component that is heir of no id gets a new one: created, or split from the
      ids whose identifiers it holds; an active id with no heir is retired.
    New ids are numbered after the highest issue number ever used, in the order of
    their components' anchors (business time), and are the keyed hash of that number:
    an id is never issued twice and reveals no identifier. On a fresh database (no registry) every component is new, so the ids
    are a pure function of the data, whatever the row order or thread count. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail',
) }}

with

components as (
    select * from {{ ref('int_identity_components') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
),

links as (
    select * from {{ ref('int_identity_links') }}
),

-- every stitching identifier of this build with its component and keyed hash
current_members as (
    select
        components.node_id,
        components.component_id,
        identifiers.identifier_type,
        hashed_identifiers.identifier_hash,
        identifiers.first_seen_at
    from components
    inner join identifiers
        on components.node_id = identifiers.node_id
    inner join hashed_identifiers
        on identifiers.node_id = hashed_identifiers.node_id
),

{% if is_incremental() -%}
registry as (
    select * from {{ this }}
),

previous_build as (
    select max(build_number) as build_number from registry where row_kind = 'build'
),

-- an id's latest event says whether it is active: created, split off or restored
-- (as new_customer_id) makes it active; merged away or retired (as old) ends it
id_status_events as (
    select
        new_customer_id as customer_id,
        build_number,
        true as is_active
    from registry
    where row_kind = 'event' and event_type in ('created', 'split', 'restored')
    union all
    select
        old_customer_id as customer_id,
        build_number,
        false as is_active
    from registry
    where row_kind = 'event' and event_type in ('merged', 'retired')
),

id_statuses as (
    select
        customer_id,
        is_active
    from id_status_events
    qualify row_number() over (partition by customer_id order by build_number desc) = 1
),

-- every id ever issued: never issued again
previous_ids as (
    select
        registry.customer_id,
        registry.issue_number,
        registry.identifier_type as anchor_type,
        registry.identifier_hash as anchor_hash,
        coalesce(id_statuses.is_active, true) as was_active
    from registry
    left join id_statuses
        on registry.customer_id = id_statuses.customer_id
    where registry.row_kind = 'issued'
),

-- each identifier's customer as of the last build
previous_members as (
    select
        identifier_type,
        identifier_hash,
        customer_id
    from registry
    where row_kind = 'member'
    qualify row_number() over (
            partition by identifier_type, identifier_hash order by build_number desc
        ) = 1
),
{%- else %}
    previous_build as (
        select cast(0 as bigint) as build_number
    ),

    previous_ids as (
        select
            cast(null as string) as customer_id,
            cast(null as bigint) as issue_number,
            cast(null as string) as anchor_type,
            cast(null as string) as anchor_hash,
            cast(null as boolean) as was_active
        where false
    ),

    previous_members as (
        select
            cast(null as string) as identifier_type,
            cast(null as string) as identifier_hash,
            cast(null as string) as customer_id
        where false
    ),
{%- endif %}

this_build as (
    select coalesce(build_number, 0) + 1 as build_number from previous_build
),

members_compared as (
    select
        current_members.*,
        previous_members.customer_id as previous_customer_id
    from current_members
    left join previous_members
        on current_members.identifier_type = previous_members.identifier_type
            and current_members.identifier_hash = previous_members.identifier_hash
),

-- how many of each previous id's identifiers every component holds
component_overlaps as (
    select
        component_id,
        previous_customer_id as customer_id,
        count(*) as shared_identifiers
    from members_compared
    where previous_customer_id is not null
    group by component_id, previous_customer_id
),

anchor_components as (
    select
        previous_ids.customer_id,
        current_members.component_id
    from previous_ids
    inner join current_members
        on previous_ids.anchor_type = current_members.identifier_type
            and previous_ids.anchor_hash = current_members.identifier_hash
),

largest_overlaps as (
    select
        customer_id,
        component_id
    from component_overlaps
    qualify row_number() over (
            partition by customer_id order by shared_identifiers desc, component_id asc
        ) = 1
),

heirs as (
    select
        previous_ids.customer_id,
        previous_ids.issue_number,
        previous_ids.was_active,
        case
            when previous_ids.was_active
                then coalesce(anchor_components.component_id, largest_overlaps.component_id)
            else anchor_components.component_id
        end as component_id
    from previous_ids
    left join anchor_components
        on previous_ids.customer_id = anchor_components.customer_id
    left join largest_overlaps
        on previous_ids.customer_id = largest_overlaps.customer_id
),

survivors as (
    select
        component_id,
        min_by(customer_id, issue_number) as customer_id,
        min_by(was_active, issue_number) as was_active
    from heirs
    where component_id is not null
    group by component_id
),

-- the id that held most of a restored id's identifiers in the last build, if any
restored_from as (
    select
        component_overlaps.component_id,
        component_overlaps.customer_id
    from component_overlaps
    inner join survivors
        on component_overlaps.component_id = survivors.component_id
    where not survivors.was_active and component_overlaps.customer_id <> survivors.customer_id
    qualify row_number() over (
            partition by component_overlaps.component_id
            order by component_overlaps.shared_identifiers desc, component_overlaps.customer_id asc
        ) = 1
),

component_anchors as (
    select
        component_id,
        min_by(identifier_type, node_id) as anchor_type,
        min_by(identifier_hash, node_id) as anchor_hash,
        min(first_seen_at) as first_seen_at
    from current_members
    group by component_id
),

last_issue as (
    select coalesce(max(issue_number), 0) as issue_number from previous_ids
),

new_ids as (
    select
        component_anchors.component_id,
        component_anchors.anchor_type,
        component_anchors.anchor_hash,
        component_anchors.first_seen_at,
        last_issue.issue_number
        + row_number() over (order by component_anchors.component_id) as issue_number
    from component_anchors
    cross join last_issue
    left join survivors
        on component_anchors.component_id = survivors.component_id
    where survivors.component_id is null
),

issued as (
    select
        *,
        'cus_' || left(
            {{ salted_hash("'customer:' || cast(issue_number as string)") }}, 24
        ) as customer_id
    from new_ids
),

assignments as (
    select
        component_id,
        customer_id
    from survivors
    union all
    select
        component_id,
        customer_id
    from issued
),

-- distinct: an erased address delivered again and its 'cdp-erased:' stand-in share a hash
changed_members as (
    select distinct
        members_compared.identifier_type,
        members_compared.identifier_hash,
        assignments.customer_id
    from members_compared
    inner join assignments
        on members_compared.component_id = assignments.component_id
    where members_compared.previous_customer_id is distinct from assignments.customer_id
    union all
    -- identifiers that linked someone and link nobody now (gone, or refused by a guard)
    select
        previous_members.identifier_type,
        previous_members.identifier_hash,
        cast(null as string) as customer_id
    from previous_members
    left join current_members
        on previous_members.identifier_type = current_members.identifier_type
            and previous_members.identifier_hash = current_members.identifier_hash
    where previous_members.customer_id is not null and current_members.node_id is null
),

-- the latest record of a component that links identifiers not yet together before:
-- what a merge is blamed on (its business time and the two identifiers it links; of a
-- record's links, the one between the oldest identifiers)
new_evidence as (
    select
        node_side.component_id,
        links.source_table,
        links.record_key,
        links.linked_at,
        node_side.identifier_type,
        node_side.identifier_hash,
        linked_side.identifier_type as linked_identifier_type,
        linked_side.identifier_hash as linked_identifier_hash
    from links
    inner join members_compared as node_side
        on links.node_id = node_side.node_id
    inner join members_compared as linked_side
        on links.linked_node_id = linked_side.node_id
    where node_side.previous_customer_id is distinct from linked_side.previous_customer_id
    qualify row_number() over (
            partition by node_side.component_id
            order by links.linked_at desc, links.source_table desc, links.record_key desc,
                links.node_id asc, links.linked_node_id asc
        ) = 1
),

events as (
    select
        'created' as event_type,
        cast(null as string) as old_customer_id,
        issued.customer_id as new_customer_id,
        issued.first_seen_at as caused_at,
        cast(null as string) as caused_by_source_table,
        cast(null as string) as caused_by_record_key,
        issued.anchor_type as identifier_type,
        issued.anchor_hash as identifier_hash,
        cast(null as string) as linked_identifier_type,
        cast(null as string) as linked_identifier_hash
    from issued
    left join component_overlaps
        on issued.component_id = component_overlaps.component_id
    where component_overlaps.component_id is null
    union all
    select
        'split' as event_type,
        component_overlaps.customer_id as old_customer_id,
        issued.customer_id as new_customer_id,
        cast(null as timestamp) as caused_at,
        cast(null as string) as caused_by_source_table,
        cast(null as string) as caused_by_record_key,
        issued.anchor_type as identifier_type,
        issued.anchor_hash as identifier_hash,
        cast(null as string) as linked_identifier_type,
        cast(null as string) as linked_identifier_hash
    from issued
    inner join component_overlaps
        on issued.component_id = component_overlaps.component_id
    union all
    select
        'merged' as event_type,
        heirs.customer_id as old_customer_id,
        survivors.customer_id as new_customer_id,
        new_evidence.linked_at as caused_at,
        new_evidence.source_table as caused_by_source_table,
        new_evidence.record_key as caused_by_record_key,
        new_evidence.identifier_type,
        new_evidence.identifier_hash,
        new_evidence.linked_identifier_type,
        new_evidence.linked_identifier_hash
    from heirs
    inner join survivors
        on heirs.component_id = survivors.component_id
    left join new_evidence
        on heirs.component_id = new_evidence.component_id
    where heirs.was_active and heirs.customer_id <> survivors.customer_id
    union all
    select
        'restored' as event_type,
        restored_from.customer_id as old_customer_id,
        survivors.customer_id as new_customer_id,
        cast(null as timestamp) as caused_at,
        cast(null as string) as caused_by_source_table,
        cast(null as string) as caused_by_record_key,
        previous_ids.anchor_type as identifier_type,
        previous_ids.anchor_hash as identifier_hash,
        cast(null as string) as linked_identifier_type,
        cast(null as string) as linked_identifier_hash
    from survivors
    inner join previous_ids
        on survivors.customer_id = previous_ids.customer_id
    left join restored_from
        on survivors.component_id = restored_from.component_id
    where not survivors.was_active
    union all
    select
        'retired' as event_type,
        customer_id as old_customer_id,
        cast(null as string) as new_customer_id,
        cast(null as timestamp) as caused_at,
        cast(null as string) as caused_by_source_table,
        cast(null as string) as caused_by_record_key,
        cast(null as string) as identifier_type,
        cast(null as string) as identifier_hash,
        cast(null as string) as linked_identifier_type,
        cast(null as string) as linked_identifier_hash
    from heirs
    where component_id is null and was_active
),

final as (
    select
        'build' as row_kind,
        this_build.build_number,
        cast(null as string) as customer_id,
        cast(null as bigint) as issue_number,
        cast(null as string) as identifier_type,
        cast(null as string) as identifier_hash,
        cast(null as string) as event_type,
        cast(null as string) as old_customer_id,
        cast(null as string) as new_customer_id,
        cast(null as timestamp) as caused_at,
        cast(null as string) as caused_by_source_table,
        cast(null as string) as caused_by_record_key,
        cast(null as string) as linked_identifier_type,
        cast(null as string) as linked_identifier_hash
    from this_build
    union all
    select
        'issued' as row_kind,
        this_build.build_number,
        issued.customer_id,
        issued.issue_number,
        issued.anchor_type as identifier_type,
        issued.anchor_hash as identifier_hash,
        cast(null as string) as event_type,
        cast(null as string) as old_customer_id,
        cast(null as string) as new_customer_id,
        issued.first_seen_at as caused_at,
        cast(null as string) as caused_by_source_table,
        cast(null as string) as caused_by_record_key,
        cast(null as string) as linked_identifier_type,
        cast(null as string) as linked_identifier_hash
    from issued
    cross join this_build
    union all
    select
        'member' as row_kind,
        this_build.build_number,
        changed_members.customer_id,
        cast(null as bigint) as issue_number,
        changed_members.identifier_type,
        changed_members.identifier_hash,
        cast(null as string) as event_type,
        cast(null as string) as old_customer_id,
        cast(null as string) as new_customer_id,
        cast(null as timestamp) as caused_at,
        cast(null as string) as caused_by_source_table,
        cast(null as string) as caused_by_record_key,
        cast(null as string) as linked_identifier_type,
        cast(null as string) as linked_identifier_hash
    from changed_members
    cross join this_build
    union all
    select
        'event' as row_kind,
        this_build.build_number,
        cast(null as string) as customer_id,
        cast(null as bigint) as issue_number,
        events.identifier_type,
        events.identifier_hash,
        events.event_type,
        events.old_customer_id,
        events.new_customer_id,
        events.caused_at,
        events.caused_by_source_table,
        events.caused_by_record_key,
        events.linked_identifier_type,
        events.linked_identifier_hash
    from events
    cross join this_build
)

select * from final
