-- Why are these two identifiers one customer? The shortest chain of links
-- between them, with the source record of every link.
--
--   dbt show --select explain_customer_link --limit 100 --vars '{
--       from_identifier_type: email, from_identifier_value: " Jane.Doe@Example.com",
--       to_identifier_type: loyalty_id, to_identifier_value: "900000001234"}'
--
-- Values are normalized like the source data (emails lower-cased, phones in
-- international format to E.164). No rows: the two are not one customer (or one
-- of them is unknown or non-stitching). The vars reach SQL only as quoted
-- literals (macro quote_literal).
{%- set from_type = quote_literal(var('from_identifier_type', 'email')) %}
{%- set from_value = quote_literal(var('from_identifier_value', '')) %}
{%- set to_type = quote_literal(var('to_identifier_type', 'email')) %}
{%- set to_value = quote_literal(var('to_identifier_value', '')) %}
with recursive

links as (
    select * from {{ ref('int_identity_links') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

wanted as (
    select
        {{ normalize_identifier(from_type, from_value) }} as from_value,
        {{ normalize_identifier(to_type, to_value) }} as to_value
),

endpoints as (
    select
        from_node.node_id as from_node_id,
        to_node.node_id as to_node_id
    from wanted
    inner join identifiers as from_node
        on from_node.identifier_type = {{ from_type }}
            and wanted.from_value = from_node.identifier_value
    inner join identifiers as to_node
        on to_node.identifier_type = {{ to_type }}
            and wanted.to_value = to_node.identifier_value
),

undirected_links as (
    select
        node_id as from_node_id,
        linked_node_id as to_node_id,
        source_table,
        record_key
    from links
    union all
    select
        linked_node_id as from_node_id,
        node_id as to_node_id,
        source_table,
        record_key
    from links
),

-- breadth-first search from the first identifier, each node reached once
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

chain as (
    select unnest(reached.steps) as step, generate_subscripts(reached.steps, 1) as hop
    from reached
    inner join endpoints
        on reached.node_id = endpoints.to_node_id
),

final as (
    select
        chain.hop,
        from_identifier.identifier_type as from_identifier_type,
        from_identifier.identifier_value as from_identifier_value,
        to_identifier.identifier_type as to_identifier_type,
        to_identifier.identifier_value as to_identifier_value,
        chain.step.source_table as linked_by_table,
        chain.step.record_key as linked_by_record
    from chain
    inner join identifiers as from_identifier
        on chain.step.from_node_id = from_identifier.node_id
    inner join identifiers as to_identifier
        on chain.step.to_node_id = to_identifier.node_id
)

select * from final
order by hop
