{#- The shortest chain of identity links between two graph nodes, as rows (hop,
    from_node_id, to_node_id, source_table, record_key), hop 1 leaving the first node:
    a breadth-first search from it in which every node is reached once, through the
    link with the smallest (from_node_id, source_table, record_key) among the links
    from the previous level. No rows when the second node is not reached.
      endpoints_sql  a query of one row (from_node_id, to_node_id); no row: no chain
      links          the int_identity_links relation (node_id, linked_node_id,
                     source_table, record_key), followed in both directions
    endpoints_sql may read values bound at run time (macro query_parameter): the search
    is one query. DuckDB searches with a recursive CTE keyed by node. Spark's recursive
    CTEs refuse the outer join and the window a search needs, so on Spark the links go
    into one sorted array and the search folds over it, a level per step, with array
    functions (`aggregate`, `filter`, `transform`): meant for the links of one
    customer, which the caller passes. -#}
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
    {%- set step_type = 'struct<from_node_id: bigint, to_node_id: bigint, source_table: string, '
        ~ 'record_key: string>' -%}
    with

    endpoints as (
        {{ endpoints_sql }}
    ),

    undirected_links as (
        select
            cast(node_id as bigint) as from_node_id,
            cast(linked_node_id as bigint) as to_node_id,
            source_table,
            record_key
        from {{ links }}
        union all
        select
            cast(linked_node_id as bigint) as from_node_id,
            cast(node_id as bigint) as to_node_id,
            source_table,
            record_key
        from {{ links }}
    ),

    -- every link in one array, sorted: the first link found to a node is the one with the
    -- smallest (from_node_id, source_table, record_key)
    link_list as (
        select
            array_sort(collect_list(
                struct(from_node_id, to_node_id, source_table, record_key)
            )) as links,
            count(*) as link_count
        from undirected_links
    ),

    -- one level per step: the links leaving the frontier to nodes not yet reached, the
    -- first one per node; a search needs at most as many levels as there are links
    searched as (
        select
            endpoints.from_node_id as start_node_id,
            endpoints.to_node_id as goal_node_id,
            aggregate(
                sequence(1, greatest(link_list.link_count, 1)),
                named_struct(
                    'reached', array(endpoints.from_node_id),
                    'frontier', array(endpoints.from_node_id),
                    'steps', cast(array() as array<{{ step_type }}>)
                ),
                (search, level) -> case
                    when size(search.frontier) = 0
                        or array_contains(search.reached, endpoints.to_node_id)
                        then search
                    else transform(
                        array(filter(
                            link_list.links,
                            candidate -> array_contains(search.frontier, candidate.from_node_id)
                            and not array_contains(search.reached, candidate.to_node_id)
                        )),
                        candidates -> transform(
                            array(array_distinct(transform(candidates, c -> c.to_node_id))),
                            new_nodes -> named_struct(
                                'reached', concat(search.reached, new_nodes),
                                'frontier', new_nodes,
                                'steps', concat(search.steps, transform(
                                    new_nodes,
                                    node -> filter(candidates, c -> c.to_node_id = node)[0]
                                ))
                            )
                        )[0]
                    )[0]
                end
            ) as search
        from endpoints
        cross join link_list
    ),

    -- back from the second node to the first, through the link that reached each node
    walked as (
        select
            aggregate(
                sequence(1, greatest(size(search.steps), 1)),
                named_struct('at', goal_node_id, 'path', cast(array() as array<{{ step_type }}>)),
                (walk, position) -> case
                    when walk.at = start_node_id or not array_contains(search.reached, goal_node_id)
                        then walk
                    else transform(
                        array(filter(search.steps, step -> step.to_node_id = walk.at)[0]),
                        step -> named_struct(
                            'at', step.from_node_id, 'path', concat(array(step), walk.path)
                        )
                    )[0]
                end
            ).path as path
        from searched
    ),

    steps as (
        select posexplode(path) as (position, step) from walked
    )

    select
        cast(position + 1 as int) as hop,
        step.from_node_id,
        step.to_node_id,
        step.source_table,
        step.record_key
    from steps
{%- endmacro %}

{% macro default__shortest_link_chain(endpoints_sql, links) -%}
    {{ unsupported_adapter('shortest_link_chain') }}
{%- endmacro %}
