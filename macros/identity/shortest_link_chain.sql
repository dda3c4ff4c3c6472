{#- The shortest chain of identity links between two graph nodes, as rows (hop,
    from_node_id, to_node_id, source_table, record_key), hop 1 leaving the first node:
    a breadth-first search from it in which every node is reached once, through the
    link with the smallest (from_node_id, source_table, record_key) among the links
    from the previous level. No rows when the second node is not reached.
      endpoints_sql  a query of one row (from_node_id, to_node_id); no row: no chain
      links          the int_identity_links relation (node_id, linked_node_id,
                     source_table, record_key), followed in both directions
    DuckDB searches in SQL (a recursive CTE keyed by node). Spark's recursive CTEs
    refuse the outer join and the window a search needs, so on Spark dbt runs one
    query per level while compiling and writes the chain found as values. -#}
{% macro shortest_link_chain(endpoints_sql, links) -%}
    {{ return(adapter.dispatch('shortest_link_chain', 'cdp')(endpoints_sql, links)) }}
{%- endmacro %}

{% macro duckdb__shortest_link_chain(endpoints_sql, links) -%}
    with recursive

    endpoints as (
        {{ endpoints_sql }}
    ),

    undirected_links as (
        select
            node_id as from_node_id,
            linked_node_id as to_node_id,
            source_table,
            record_key
        from {{ links }}
        union all
        select
            linked_node_id as from_node_id,
            node_id as to_node_id,
            source_table,
            record_key
        from {{ links }}
    ),

    reached (node_id, hops, steps) using key (node_id) as (
        select
            from_node_id,
            0,
            []::struct(
                from_node_id bigint, to_node_id bigint, source_table varchar, record_key varchar
            )[]
        from endpoints
        union
        select
            undirected_links.to_node_id,
            reached.hops + 1,
            list_append(
                reached.steps,
                {
                    'from_node_id': undirected_links.from_node_id,
                    'to_node_id': undirected_links.to_node_id,
                    'source_table': undirected_links.source_table,
                    'record_key': undirected_links.record_key
                }
            )
        from reached
        inner join undirected_links
            on reached.node_id = undirected_links.from_node_id
        left join recurring.reached as seen
            on undirected_links.to_node_id = seen.node_id
        where seen.node_id is null
        qualify row_number() over (
            partition by undirected_links.to_node_id
            order by undirected_links.from_node_id, undirected_links.source_table,
                undirected_links.record_key
        ) = 1
    ),

    steps as (
        select unnest(reached.steps) as step, generate_subscripts(reached.steps, 1) as hop
        from reached
        inner join endpoints
            on reached.node_id = endpoints.to_node_id
    )

    select
        hop,
        step.from_node_id,
        step.to_node_id,
        step.source_table,
        step.record_key
    from steps
{%- endmacro %}

{% macro spark__shortest_link_chain(endpoints_sql, links) -%}
    {%- set chain = [] -%}
    {%- if execute -%}
        {%- set ends = run_query(endpoints_sql).rows -%}
        {%- if ends | length == 1 -%}
            {%- set start, goal = ends[0][0], ends[0][1] -%}
            {#- node -> (from_node_id, source_table, record_key) of the link that reached it -#}
            {%- set reached_by = {start: none} -%}
            {%- set search = {'frontier': [start]} -%}
            {#- a level per iteration; the search stops when nothing new is reached (Jinja's
                range stops at 100,000) -#}
            {%- for level in range(100000) -%}
                {%- if search.frontier and goal not in reached_by -%}
                    {%- set nodes = search.frontier | join(', ') -%}
                    {%- set found = run_query(
                        'select node_id, linked_node_id, source_table, record_key from '
                        ~ links ~ ' where node_id in (' ~ nodes ~ ') union all '
                        ~ 'select linked_node_id, node_id, source_table, record_key from '
                        ~ links ~ ' where linked_node_id in (' ~ nodes ~ ') '
                        ~ 'order by 2, 1, 3, 4'
                    ).rows -%}
                    {%- set next_frontier = [] -%}
                    {%- for row in found if row[1] not in reached_by -%}
                        {%- do reached_by.update({row[1]: (row[0], row[2], row[3])}) -%}
                        {%- do next_frontier.append(row[1]) -%}
                    {%- endfor -%}
                    {%- do search.update({'frontier': next_frontier}) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if goal in reached_by -%}
                {%- set node = {'at': goal} -%}
                {%- for step in range(reached_by | length) if node.at != start -%}
                    {%- set link = reached_by[node.at] -%}
                    {%- do chain.insert(0, (link[0], node.at, link[1], link[2])) -%}
                    {%- do node.update({'at': link[0]}) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- if chain -%}
        select
            cast(hop as int) as hop,
            cast(from_node_id as bigint) as from_node_id,
            cast(to_node_id as bigint) as to_node_id,
            source_table,
            record_key
        from values
        {%- for from_node, to_node, source_table, record_key in chain %}
            ({{ loop.index }}, {{ from_node }}, {{ to_node }}, {{ quote_literal(source_table) }},
                {{ quote_literal(record_key) }}){{ ',' if not loop.last }}
        {%- endfor %}
        as chain (hop, from_node_id, to_node_id, source_table, record_key)
    {%- else -%}
        select
            cast(null as int) as hop,
            cast(null as bigint) as from_node_id,
            cast(null as bigint) as to_node_id,
            cast(null as string) as source_table,
            cast(null as string) as record_key
        where false
    {%- endif %}
{%- endmacro %}

{% macro default__shortest_link_chain(endpoints_sql, links) -%}
    {{ unsupported_adapter('shortest_link_chain') }}
{%- endmacro %}
