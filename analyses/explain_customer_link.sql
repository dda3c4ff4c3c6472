-- Why are these two identifiers one customer? The shortest chain of links between
-- them, with the source record of every link. Run it with
-- `cdp explain-link <type> <value> <type> <value>`: the four inputs are bound at run
-- time (macro query_parameter), so the SQL is compiled once, whoever is asked about,
-- and no value reaches compiled SQL or dbt's logs.
--
-- Each identifier is read as everywhere (docs/contract.md §2, Identifier readings), and
-- as cdp access-request reads its one (macro requested_identifiers). Rows: first the two ends
-- (row_type `from` and `to`), each with what was found: status found (a stitching
-- identifier of one customer), not_found, ambiguous (several countries' customers hold
-- the national digits), shared or blocked (it links nothing: non_stitching_reason
-- says why) or unreadable, with a reason code (seed request_attention_reasons); then,
-- when both are found in one customer, one row per link (row_type `hop`, numbered from
-- 1 at the first identifier): the identifier it leaves, the one it reaches and the
-- record that links them. Each identifier is reached through the link with the
-- smallest (from node, source table, record key) among the links from the level before
-- (macro shortest_link_chain), so the chain is the same on every engine.
{%- set ends = {
    'from': (query_parameter('from_identifier_type'), query_parameter('from_identifier_value')),
    'to': (query_parameter('to_identifier_type'), query_parameter('to_identifier_value')),
} %}
with

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

links as (
    select * from {{ ref('int_identity_links') }}
),

{{ requested_identifiers(ends) }},

link_ends as (
    select
        request as link_end,
        identifier_type,
        identifier_value,
        node_id,
        non_stitching_reason,
        customer_id,
        status,
        reason_code
    from requested
),

first_end as (
    select * from link_ends
    where link_end = 'from' and status = 'found'
),

second_end as (
    select * from link_ends
    where link_end = 'to' and status = 'found'
),

-- one row when both ends are found in one customer: the search runs only then
chain_ends as (
    select
        first_end.node_id as from_node_id,
        second_end.node_id as to_node_id
    from first_end
    inner join second_end
        on first_end.customer_id = second_end.customer_id
),

-- the links of that customer only: a record links identifiers of one customer
customer_links as (
    select links.* from links
    inner join stitched
        on links.node_id = stitched.node_id
    inner join first_end
        on stitched.customer_id = first_end.customer_id
),

-- breadth-first search from the first identifier (macro shortest_link_chain)
chain as (
    {{ shortest_link_chain('select * from chain_ends', 'customer_links') }}
),

final as (
    select
        link_ends.link_end as row_type,
        cast(null as bigint) as hop,
        link_ends.status,
        link_ends.reason_code,
        link_ends.non_stitching_reason,
        link_ends.customer_id,
        link_ends.identifier_type,
        link_ends.identifier_value,
        cast(null as string) as linked_identifier_type,
        cast(null as string) as linked_identifier_value,
        cast(null as string) as linked_by_table,
        cast(null as string) as linked_by_record
    from link_ends
    union all
    select
        'hop' as row_type,
        cast(chain.hop as bigint) as hop,
        cast(null as string) as status,
        cast(null as string) as reason_code,
        cast(null as string) as non_stitching_reason,
        cast(null as string) as customer_id,
        from_identifier.identifier_type,
        from_identifier.identifier_value,
        to_identifier.identifier_type as linked_identifier_type,
        to_identifier.identifier_value as linked_identifier_value,
        chain.source_table as linked_by_table,
        chain.record_key as linked_by_record
    from chain
    inner join identifiers as from_identifier
        on chain.from_node_id = from_identifier.node_id
    inner join identifiers as to_identifier
        on chain.to_node_id = to_identifier.node_id
)

select * from final
order by row_type = 'hop' asc, row_type asc, hop asc
