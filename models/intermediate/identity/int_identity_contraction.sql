{#- Connected components, step 1: randomized contraction (Bögeholz, Brand, Todor,
    "In-database connected component analysis", ICDE 2020), as one recursive CTE.

    Level 0 is int_identity_stars; level 1 is the graph it leaves: the links with
    both ends replaced by their stars' representatives, self-loops dropped, as
    distinct undirected edges in both directions. At each level every node picks,
    in its closed neighbourhood, the node with the smallest pseudo-random priority
    hash(node_id, level) as its representative; edges are rewritten to
    representatives, self-loops and duplicates dropped. (Two neighbours with equal
    64-bit priorities could only change which node represents a group, never the
    components.) Every group is a star around its representative, so components
    are preserved, and the graph shrinks geometrically: a 1,000-hop chain needs
    ~15 levels, not 1,000 rounds of label propagation. It runs to convergence (no
    edges left); if var('identity_max_contraction_levels') is reached first, the
    edges left are kept here and int_identity_components fails the build with a
    clear message.

    Output: the 'map' rows (level, node_id -> representative_id) of every level
    from 1, and any 'unconverged' edges. -#}
{%- set max_levels = var('identity_max_contraction_levels') -%}

with recursive

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

star_edges as (
    select distinct
        least(node_id, linked_node_id) as node_id,
        greatest(node_id, linked_node_id) as linked_node_id
    from star_links
    where node_id <> linked_node_id
),

contraction (level, row_kind, node_id, other_node_id) as (
    select
        1,
        'edge',
        node_id,
        linked_node_id
    from star_edges
    union all
    select
        1,
        'edge',
        linked_node_id,
        node_id
    from star_edges
    union all
    (
        with

        current_edges as (
            select
                level,
                node_id,
                other_node_id
            from contraction
            where row_kind = 'edge' and level < {{ max_levels }}
        ),

        -- priorities are a pure function of (node, level), so no join is needed
        best_neighbours as (
            select
                level,
                node_id,
                min(hash(other_node_id, level)) as best_priority,
                arg_min(other_node_id, hash(other_node_id, level)) as best_neighbour_id
            from current_edges
            group by level, node_id
        ),

        representatives as (
            select
                level,
                node_id,
                case
                    when hash(node_id, level) < best_priority then node_id
                    else best_neighbour_id
                end as representative_id
            from best_neighbours
        ),

        contracted_edges as (
            select distinct
                current_edges.level + 1 as level,
                node_side.representative_id as node_id,
                other_side.representative_id as other_node_id
            from current_edges
            inner join representatives as node_side
                on current_edges.node_id = node_side.node_id
            inner join representatives as other_side
                on current_edges.other_node_id = other_side.node_id
            where node_side.representative_id <> other_side.representative_id
        )

        select
            level,
            'map' as row_kind,
            node_id,
            representative_id as other_node_id
        from representatives
        union all
        select
            level,
            'edge' as row_kind,
            node_id,
            other_node_id
        from contracted_edges
    )
),

final as (
    select
        level,
        case row_kind when 'map' then 'map' else 'unconverged' end as row_kind,
        node_id,
        other_node_id as representative_id
    from contraction
    where row_kind = 'map' or level >= {{ max_levels }}
)

select * from final
