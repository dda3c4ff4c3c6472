{#- Every stitching identifier with its customer. A customer is a connected
    component of the identity graph; its customer_id comes from its anchor: the
    component's oldest identifier (earliest first_seen_at in business time, then
    identifier type, then value). So the id does not change when unrelated records
    arrive, and when two customers merge the merged one keeps the older one's id.
    The id is a salted sha256 of the anchor, never the identifier in clear.

    Node ids are ranks over (identifier_type, identifier_value), so the anchor is
    found on integers: the smallest node id among the earliest identifiers. -#}
with

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

clustered as (
    select
        identifiers.node_id,
        components.component_id,
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.first_seen_at,
        identifiers.last_seen_at,
        -- an identifier without a business time is never older than one with it
        coalesce(identifiers.first_seen_at, 'infinity'::timestamp) as anchor_seen_at
    from identifiers
    inner join components
        on identifiers.node_id = components.node_id
),

component_first_seen as (
    select
        component_id,
        min(anchor_seen_at) as anchor_seen_at
    from clustered
    group by component_id
),

anchors as (
    select
        clustered.component_id,
        min(clustered.node_id) as anchor_node_id
    from clustered
    inner join component_first_seen
        on clustered.component_id = component_first_seen.component_id
            and clustered.anchor_seen_at = component_first_seen.anchor_seen_at
    group by clustered.component_id
),

customers as (
    select
        anchors.component_id,
        anchors.anchor_node_id,
        'cus_' || left(
            sha256(
                '{{ var("customer_id_salt") }}:'
                || identifiers.identifier_type || ':' || identifiers.identifier_value
            ),
            24
        ) as customer_id
    from anchors
    inner join identifiers
        on anchors.anchor_node_id = identifiers.node_id
),

final as (
    select
        customers.customer_id,
        clustered.node_id,
        clustered.component_id,
        customers.anchor_node_id,
        clustered.identifier_type,
        clustered.identifier_value,
        clustered.first_seen_at,
        clustered.last_seen_at
    from clustered
    inner join customers
        on clustered.component_id = customers.component_id
)

select * from final
