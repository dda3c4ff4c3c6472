{#- The id registry (docs/contract.md §2): the one piece of state kept between builds,
    so that a customer_id once issued keeps meaning the same person for every system
    that stored it. Append-only: `--full-refresh` does not rebuild it. Each build
    appends rows of four kinds, their columns declared once (macro registry_row):
      build   the build's number (1, 2, …)
      issued  a new customer_id: its issue number and the anchor it stood for
      member  an identifier's customer from this build on (null: it links nobody now)
      event   created / merged / split / retired / restored, with the old and new
              id, the business time and the record and identifiers that caused it
    Identifiers are kept as keyed hashes only (macro salted_hash).
    For each connected component of this build: every id has at most one heir
    (macro registry_heirs); a component keeps the earliest-issued id whose heir it is
    and the other active ones are merged into it (a late record, even one dated 2020,
    never changes which id survives); an inactive id that is kept is restored (a
    merge a guard now refuses, a deleted record restored); a component heir of no id
    gets a new one (macro registry_new_ids), created or split from the ids whose
    identifiers it holds; an active id with no heir is retired. On a fresh database
    the ids are a pure function of the data, whatever the row order or thread count. -#}
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

-- what earlier builds appended: no rows on the first build
registry as (
    {%- if is_incremental() %}
        select * from {{ this }}
    {%- else %}
        select {{ registry_row() }}
        where false
    {%- endif %}
),

this_build as (
    select coalesce(max(build_number), 0) + 1 as build_number from registry
    where row_kind = 'build'
),

-- every id ever issued: never issued again
previous_ids as (
    {{ registry_issued_ids('registry') }}
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

-- and its customer as of the last build
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

heirs as (
    {{ registry_heirs('previous_ids', 'current_members', 'component_overlaps') }}
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

issued as (
    {{ registry_new_ids('current_members', 'survivors', 'previous_ids') }}
),

changed_members as (
    {{ registry_member_changes('members_compared', 'previous_members', 'survivors', 'issued') }}
),

new_evidence as (
    {{ registry_merge_evidence('links', 'members_compared') }}
),

final as (
    select {{ registry_row(row_kind="'build'", build_number='build_number') }}
    from this_build
    union all
    select
        {{ registry_row(
            row_kind="'issued'", build_number='this_build.build_number',
            customer_id='issued.customer_id', issue_number='issued.issue_number',
            identifier_type='issued.anchor_type', identifier_hash='issued.anchor_hash',
            caused_at='issued.first_seen_at'
        ) }}
    from issued
    cross join this_build
    union all
    select
        {{ registry_row(
            row_kind="'member'", build_number='this_build.build_number',
            customer_id='changed_members.customer_id',
            identifier_type='changed_members.identifier_type',
            identifier_hash='changed_members.identifier_hash'
        ) }}
    from changed_members
    cross join this_build
    union all
    -- created: a new id whose identifiers no id held; split: from each id that held some
    select
        {{ registry_row(
            row_kind="'event'", build_number='this_build.build_number',
            event_type="if(component_overlaps.customer_id is null, 'created', 'split')",
            old_customer_id='component_overlaps.customer_id',
            new_customer_id='issued.customer_id',
            caused_at='if(component_overlaps.customer_id is null, issued.first_seen_at, null)',
            identifier_type='issued.anchor_type', identifier_hash='issued.anchor_hash'
        ) }}
    from issued
    cross join this_build
    left join component_overlaps
        on issued.component_id = component_overlaps.component_id
    union all
    -- merged into the id its component kept, blamed on the record that tied them
    select
        {{ registry_row(
            row_kind="'event'", build_number='this_build.build_number', event_type="'merged'",
            old_customer_id='heirs.customer_id', new_customer_id='survivors.customer_id',
            caused_at='new_evidence.linked_at',
            caused_by_source_table='new_evidence.source_table',
            caused_by_record_key='new_evidence.record_key',
            identifier_type='new_evidence.identifier_type',
            identifier_hash='new_evidence.identifier_hash',
            linked_identifier_type='new_evidence.linked_identifier_type',
            linked_identifier_hash='new_evidence.linked_identifier_hash'
        ) }}
    from heirs
    cross join this_build
    inner join survivors
        on heirs.component_id = survivors.component_id
    left join new_evidence
        on heirs.component_id = new_evidence.component_id
    where heirs.was_active and heirs.customer_id <> survivors.customer_id
    union all
    -- retired: an active id without heir
    select
        {{ registry_row(
            row_kind="'event'", build_number='this_build.build_number', event_type="'retired'",
            old_customer_id='heirs.customer_id'
        ) }}
    from heirs
    cross join this_build
    where heirs.component_id is null and heirs.was_active
    union all
    -- restored: an inactive id kept, from the id that held most of its identifiers
    select
        {{ registry_row(
            row_kind="'event'", build_number='this_build.build_number', event_type="'restored'",
            old_customer_id='restored_from.customer_id', new_customer_id='survivors.customer_id',
            identifier_type='previous_ids.anchor_type', identifier_hash='previous_ids.anchor_hash'
        ) }}
    from survivors
    cross join this_build
    inner join previous_ids
        on survivors.customer_id = previous_ids.customer_id
    left join restored_from
        on survivors.component_id = restored_from.component_id
    where not survivors.was_active
)

select * from final
