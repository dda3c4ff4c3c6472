{#- Connected components, step 1: randomized contraction (Bögeholz, Brand, Todor,
    "In-database connected component analysis", ICDE 2020), as one recursive CTE.

    Level 0 is the identity graph. At each level every node picks, in its closed
    neighbourhood, the node with the smallest pseudo-random priority
    hash(node_id, level) (ties broken by node id) as its representative; edges are
    rewritten to representatives, self-loops and duplicates dropped. Every group
    is a star around its representative, so components are preserved, and the
    graph shrinks geometrically: a 1,000-hop chain needs ~15 levels, not 1,000
    rounds of label propagation. It runs to convergence (no edges left); if
    var('identity_max_contraction_levels') is reached first, the edges left are
    kept here and int_identity_components fails the build with a clear message.

    Output: the 'map' rows (level, node_id -> representative_id) of every level,
    and any 'unconverged' edges. -#}
{%- set max_levels = var('identity_max_contraction_levels') -%}

with recursive

identity_edges as (
    select * from {{ ref('int_identity_edges') }}
),

contraction (level, row_kind, node_id, other_node_id) as (
    select
        0,
        'edge',
        node_id,
        linked_node_id
    from identity_edges
    union all
    select
        0,
        'edge',
        linked_node_id,
        node_id
    from identity_edges
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

        priorities as (
            select distinct
                node_id,
                struct_pack(priority := hash(node_id, level), node_id := node_id) as priority
            from current_edges
        ),

        best_neighbours as (
            select
                current_edges.level,
                current_edges.node_id,
                min(neighbour.priority) as best_neighbour
            from current_edges
            inner join priorities as neighbour
                on current_edges.other_node_id = neighbour.node_id
            group by current_edges.level, current_edges.node_id
        ),

        representatives as (
            select
                best_neighbours.level,
                best_neighbours.node_id,
                least(own.priority, best_neighbours.best_neighbour).node_id as representative_id
            from best_neighbours
            inner join priorities as own
                on best_neighbours.node_id = own.node_id
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
