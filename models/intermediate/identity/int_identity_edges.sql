-- The identity graph's distinct undirected edges (node_id < linked_node_id).
with

links as (
    select * from {{ ref('int_identity_links') }}
),

final as (
    select distinct
        least(node_id, linked_node_id) as node_id,
        greatest(node_id, linked_node_id) as linked_node_id
    from links
)

select * from final
