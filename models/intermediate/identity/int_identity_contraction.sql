{#- Connected components, step 1: randomized contraction (Bögeholz, Brand, Todor,
    "In-database connected component analysis", ICDE 2020) of the graph the stars
    leave (int_identity_star_edges, level 1).

    At each level every node picks, in its closed neighbourhood, the node with the
    smallest pseudo-random priority hash(node_id, level) as its representative; edges
    are rewritten to representatives, self-loops and duplicates dropped. (Two
    neighbours with equal 64-bit priorities could only change which node represents a
    group, never the components.) Every group is a star around its representative, so
    components are preserved, and the graph shrinks geometrically: a 1,000-hop chain
    needs ~15 levels, not 1,000 rounds of label propagation. It runs to convergence (no
    edges left); if var('identity_max_contraction_levels') is reached first, the edges
    left are kept here and int_identity_components fails the build with a clear
    message. DuckDB runs the levels as one recursive CTE; Spark as a loop of one
    statement per level, which the materialization iterated_table runs when the model
    is built (macro contraction_levels_loop), never while it compiles. The priority
    hash differs between the engines, so the maps do, never the components.

    Output: the 'map' rows (level, node_id -> representative_id) of every level
    from 1, and any 'unconverged' edges. -#}
{%- set max_levels = var('identity_max_contraction_levels') -%}
{%- set star_edges = 'int_identity_star_edges' -%}
{{ config(
    materialized='iterated_table',
    loop='contraction_levels_loop',
    loop_input=star_edges,
) }}

with

contraction as (
    {{ contraction_levels(ref(star_edges), max_levels) }}
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
