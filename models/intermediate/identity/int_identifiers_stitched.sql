{#- Every stitching identifier with its customer. A customer is a connected
    component of the identity graph; its customer_id comes from its anchor: the
    component's oldest identifier (earliest first_seen_at in business time, then
    identifier type, then value). So the id does not change when unrelated records
    arrive, and when two customers merge the merged one keeps the older one's id.
    The id is a salted sha256 of the anchor, never the identifier in clear. -#}
with

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

clustered as (
    select
        identifiers.*,
        components.component_id
    from identifiers
    inner join components
        on identifiers.node_id = components.node_id
),

anchored as (
    select
        *,
        first_value(identifier_type || ':' || identifier_value) over (
            partition by component_id
            order by first_seen_at, identifier_type, identifier_value
        ) as anchor_identifier
    from clustered
),

final as (
    select
        'cus_' || left(
            sha256('{{ var("customer_id_salt") }}:' || anchor_identifier), 24
        ) as customer_id,
        node_id,
        component_id,
        identifier_type,
        identifier_value,
        anchor_identifier,
        first_seen_at,
        last_seen_at
    from anchored
)

select * from final
