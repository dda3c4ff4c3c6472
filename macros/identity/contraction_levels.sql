{#- The levels of the randomized contraction of the graph `edges` (a relation of
    undirected edges node_id < linked_node_id: level 1), as a select of
    (level, row_kind, node_id, other_node_id): 'map' rows (node_id contracts into
    other_node_id, its representative at the next level) of levels 1 to
    `max_levels` - 1 while edges are left, and the 'edge' rows of every level (on
    Spark, of the last level only; int_identity_contraction keeps 'map' rows and the
    edges of level `max_levels`, i.e. those left when the safety limit was reached).
    The rule of a level: every node picks the node of smallest priority
    hash(node, level) in its closed neighbourhood as its representative; edges are
    rewritten to representatives, self-loops and duplicates dropped.
    DuckDB: one recursive CTE. Spark refuses aggregates over a recursive reference
    and runs recursion slowly: the model's materialization (iterated_table) runs the
    levels first, one statement per level (macro contraction_levels_loop), and this
    select reads what they wrote. -#}
{% macro contraction_levels(edges, max_levels) -%}
    {{ return(adapter.dispatch('contraction_levels', 'cdp')(edges, max_levels)) }}
{%- endmacro %}

{% macro duckdb__contraction_levels(edges, max_levels) -%}
    with recursive

    star_edges as (
        select * from {{ edges }}
    ),

    levels (level, row_kind, node_id, other_node_id) as (
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
                from levels
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
    )

    select * from levels
{%- endmacro %}

{% macro spark__contraction_levels(edges, max_levels) -%}
    select
        level,
        row_kind,
        node_id,
        other_node_id
    from {{ loop_table('levels') }}
{%- endmacro %}

{% macro default__contraction_levels(edges, max_levels) -%}
    {{ unsupported_adapter('contraction_levels') }}
{%- endmacro %}
