{#- Every stitching identifier with its customer. A customer is a connected
    component of the identity graph; its customer_id comes from its anchor: the
    component's oldest identifier (earliest first_seen_at in business time, then
    identifier type, then value). So the id does not change when unrelated records
    arrive, and when two customers merge the merged one keeps the older one's id.
    The id is a keyed hash of the anchor (macro salted_hash: the secret salt from env
    CDP_SECRET_SALT), never the identifier in clear.

    Node ids rank identifiers in exactly that order, so the anchor is the
    component's smallest node, which int_identity_components names it by. -#}
with

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

customers as (
    select
        identifiers.node_id as anchor_node_id,
        'cus_' || left(
            {{ salted_hash("identifiers.identifier_type || ':' || identifiers.identifier_value") }},
            24
        ) as customer_id
    from identifiers
    inner join components
        on identifiers.node_id = components.node_id
    where components.node_id = components.component_id
),

final as (
    select
        customers.customer_id,
        identifiers.node_id,
        customers.anchor_node_id,
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.first_seen_at,
        identifiers.last_seen_at
    from identifiers
    inner join components
        on identifiers.node_id = components.node_id
    inner join customers
        on components.component_id = customers.anchor_node_id
)

select * from final
