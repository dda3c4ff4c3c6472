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
    and runs recursion slowly, so a loop issues one statement per level until no
    edge is left or the limit is reached, each level written to a scratch table in
    the model's schema (cdp_contraction_*: a cached temporary view would carry the
    plans of every level below it, two references per level, and planning a level
    would grow exponentially); the select then reads the scratch tables, which the
    model's post-hook drops (macro drop_contraction_levels). -#}
{% macro contraction_levels(edges, max_levels) -%}
    {{ adapter.dispatch('contraction_levels', 'cdp')(edges, max_levels) }}
{%- endmacro %}

{% macro default__contraction_levels(edges, max_levels) -%}
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
    {%- set limit = max_levels | int -%}
    {%- set state = namespace(level=1, remaining=0) -%}
    {%- if execute and flags.WHICH in ('run', 'build') -%}
        {%- do drop_contraction_levels() -%}
        {%- do run_query(
            'create table ' ~ contraction_level_view('edges', 1) ~ ' using parquet as'
            ~ ' select node_id, linked_node_id as other_node_id from ' ~ edges
            ~ ' union all select linked_node_id, node_id from ' ~ edges
        ) -%}
        {%- set state.remaining = contraction_level_count(contraction_level_view('edges', 1)) -%}
        {%- for level in range(1, limit) if state.remaining > 0 -%}
            {%- set current_edges = contraction_level_view('edges', level) -%}
            {%- set maps = contraction_level_view('maps', level) -%}
            {%- do run_query(
                'create table ' ~ maps ~ ' using parquet as'
                ~ ' with best_neighbours as ('
                ~ ' select node_id,'
                ~ ' min(xxhash64(other_node_id, ' ~ level ~ ')) as best_priority,'
                ~ ' min_by(other_node_id, xxhash64(other_node_id, ' ~ level ~ ')) as best_neighbour_id'
                ~ ' from ' ~ current_edges ~ ' group by node_id)'
                ~ ' select ' ~ level ~ ' as level, node_id,'
                ~ ' case when xxhash64(node_id, ' ~ level ~ ') < best_priority then node_id'
                ~ ' else best_neighbour_id end as representative_id'
                ~ ' from best_neighbours'
            ) -%}
            {%- do run_query(
                'create table ' ~ contraction_level_view('edges', level + 1) ~ ' using parquet as'
                ~ ' select distinct node_side.representative_id as node_id,'
                ~ ' other_side.representative_id as other_node_id'
                ~ ' from ' ~ current_edges ~ ' as current_edges'
                ~ ' inner join ' ~ maps ~ ' as node_side'
                ~ ' on current_edges.node_id = node_side.node_id'
                ~ ' inner join ' ~ maps ~ ' as other_side'
                ~ ' on current_edges.other_node_id = other_side.node_id'
                ~ ' where node_side.representative_id <> other_side.representative_id'
            ) -%}
            {%- set state.level = level + 1 -%}
            {%- set state.remaining = contraction_level_count(
                contraction_level_view('edges', level + 1)
            ) -%}
        {%- endfor -%}
        {{ log(
            'contraction_levels: ' ~ (state.level - 1) ~ ' levels, '
            ~ ('converged' if state.remaining == 0 else state.remaining ~ ' edges left at the limit'),
            info=true
        ) }}
    {%- endif %}
    select
        cast(null as int) as level,
        cast(null as string) as row_kind,
        cast(null as bigint) as node_id,
        cast(null as bigint) as other_node_id
    where false
    {%- for level in range(1, state.level) %}
    union all
    select level, 'map', node_id, representative_id from {{ contraction_level_view('maps', level) }}
    {%- endfor %}
    {%- if state.remaining > 0 %}
    union all
    select {{ state.level }}, 'edge', node_id, other_node_id
    from {{ contraction_level_view('edges', state.level) }}
    {%- endif %}
{%- endmacro %}
