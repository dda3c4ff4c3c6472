{#- The loop of materialization iterated_table for int_identity_contraction, where the
    engine cannot run the levels of macro contraction_levels in one query: one
    statement per level, until no edge is left or var identity_max_contraction_levels
    is reached, each level in scratch tables (macro loop_table: a cached temporary view
    would carry the plans of every level below it, two references per level, and
    planning a level would grow exponentially). Writes loop_table('levels'): the 'map'
    rows of every level, and the 'edge' rows left at the limit. `edges`: the graph of
    level 1 (node_id < linked_node_id). Runs when the model is built. -#}
{% macro contraction_levels_loop(edges) -%}
    {{ return(adapter.dispatch('contraction_levels_loop', 'cdp')(edges)) }}
{%- endmacro %}

{#- Spark: priorities are xxhash64(node, level) (DuckDB: hash), so the maps differ
    from DuckDB's, never the components. -#}
{% macro spark__contraction_levels_loop(edges) -%}
    {%- set limit = var('identity_max_contraction_levels') | int -%}
    {%- set state = namespace(level=1, remaining=0) -%}
    {%- call statement('contraction_edges_1') -%}
        create table {{ loop_table('edges_1') }} using parquet as
        select node_id, linked_node_id as other_node_id from {{ edges }}
        union all
        select linked_node_id, node_id from {{ edges }}
    {%- endcall -%}
    {%- set state.remaining = contraction_row_count(loop_table('edges_1')) -%}
    {%- for level in range(1, limit) if state.remaining > 0 -%}
        {%- call statement('contraction_maps') -%}
            create table {{ loop_table('maps_' ~ level) }} using parquet as
            with best_neighbours as (
                select
                    node_id,
                    min(xxhash64(other_node_id, {{ level }})) as best_priority,
                    min_by(other_node_id, xxhash64(other_node_id, {{ level }})) as best_neighbour_id
                from {{ loop_table('edges_' ~ level) }}
                group by node_id
            )
            select
                {{ level }} as level,
                node_id,
                case
                    when xxhash64(node_id, {{ level }}) < best_priority then node_id
                    else best_neighbour_id
                end as representative_id
            from best_neighbours
        {%- endcall -%}
        {%- call statement('contraction_edges') -%}
            create table {{ loop_table('edges_' ~ (level + 1)) }} using parquet as
            select distinct
                node_side.representative_id as node_id,
                other_side.representative_id as other_node_id
            from {{ loop_table('edges_' ~ level) }} as current_edges
            inner join {{ loop_table('maps_' ~ level) }} as node_side
                on current_edges.node_id = node_side.node_id
            inner join {{ loop_table('maps_' ~ level) }} as other_side
                on current_edges.other_node_id = other_side.node_id
            where node_side.representative_id <> other_side.representative_id
        {%- endcall -%}
        {%- set state.level = level + 1 -%}
        {%- set state.remaining = contraction_row_count(loop_table('edges_' ~ (level + 1))) -%}
    {%- endfor -%}
    {%- call statement('contraction_levels') -%}
        create table {{ loop_table('levels') }} using parquet as
        select
            cast(null as int) as level,
            cast(null as string) as row_kind,
            cast(null as bigint) as node_id,
            cast(null as bigint) as other_node_id
        where false
        {%- for level in range(1, state.level) %}
        union all
        select level, 'map', node_id, representative_id from {{ loop_table('maps_' ~ level) }}
        {%- endfor %}
        {%- if state.remaining > 0 %}
        union all
        select {{ state.level }}, 'edge', node_id, other_node_id
        from {{ loop_table('edges_' ~ state.level) }}
        {%- endif %}
    {%- endcall -%}
    {{ log(
        'contraction_levels_loop: ' ~ (state.level - 1) ~ ' levels, '
        ~ ('converged' if state.remaining == 0 else state.remaining ~ ' edges left at the limit'),
        info=true
    ) }}
{%- endmacro %}

{% macro default__contraction_levels_loop(edges) -%}
    {{ unsupported_adapter('contraction_levels_loop') }}
{%- endmacro %}
