{#- Every stitching identifier with its customer. A customer is a connected component
    of the identity graph (int_identity_components); its customer_id is the one the id
    registry (int_identity_registry) holds for it: kept from earlier builds, the
    earliest-issued one when customers merged, a new one when a customer is new or
    split off. Each identifier's customer is its latest assignment in the registry,
    which this build has just brought up to date. -#}
with

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
),

registry as (
    select * from {{ ref('int_identity_registry') }}
),

assignments as (
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

final as (
    select
        assignments.customer_id,
        identifiers.node_id,
        components.component_id as anchor_node_id,
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.first_seen_at,
        identifiers.last_seen_at
    from identifiers
    inner join components
        on identifiers.node_id = components.node_id
    inner join hashed_identifiers
        on identifiers.node_id = hashed_identifiers.node_id
    inner join assignments
        on hashed_identifiers.identifier_type = assignments.identifier_type
            and hashed_identifiers.identifier_hash = assignments.identifier_hash
)

select * from final
