{#- Connected components, level 0 of the contraction: every identifier that a
    record links to a smaller one (node ids rank identifiers oldest first) joins
    the star of the smallest such neighbour. One aggregation over the links
    leaves about a quarter of the edges (1M generated customers: 0.64M of 2.5M)
    to the randomized levels (int_identity_contraction), whose first level would
    otherwise group both directions of every distinct edge.

    A representative is always smaller than its node and in its component, so the
    smallest node of a component is never contracted away here: it is a node of
    the next level, which int_identity_components relies on to find it. Nodes
    without a smaller neighbour are their own representatives and are not
    listed. -#}
with

links as (
    select * from {{ ref('int_identity_links') }}
),

-- a record's links point from its smallest node, but do not rely on it
oriented_links as (
    select
        greatest(node_id, linked_node_id) as node_id,
        least(node_id, linked_node_id) as smaller_node_id
    from links
),

final as (
    select
        node_id,
        min(smaller_node_id) as representative_id
    from oriented_links
    group by node_id
)

select * from final
