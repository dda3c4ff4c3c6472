{#- Connected components, level 1 of the contraction: the graph the stars of level 0
    (int_identity_stars) leave. Every link with both ends replaced by their stars'
    representatives, self-loops dropped, as distinct undirected edges (the smaller
    node first). int_identity_contraction contracts it further. -#}
with

links as (
    select * from {{ ref('int_identity_links') }}
),

stars as (
    select * from {{ ref('int_identity_stars') }}
),

-- every link with both ends replaced by their stars' representatives
star_links as (
    select
        coalesce(node_star.representative_id, links.node_id) as node_id,
        coalesce(linked_star.representative_id, links.linked_node_id) as linked_node_id
    from links
    left join stars as node_star
        on links.node_id = node_star.node_id
    left join stars as linked_star
        on links.linked_node_id = linked_star.node_id
),

final as (
    select distinct
        least(node_id, linked_node_id) as node_id,
        greatest(node_id, linked_node_id) as linked_node_id
    from star_links
    where node_id <> linked_node_id
)

select * from final
