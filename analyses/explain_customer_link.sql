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
{%- set endpoints_sql -%}
    select
        from_node.node_id as from_node_id,
        to_node.node_id as to_node_id
    from {{ ref('int_identifiers_classified') }} as from_node
    inner join {{ ref('int_identifiers_classified') }} as to_node
        on from_node.identifier_type = {{ from_type }}
            and from_node.identifier_value = {{ normalize_identifier(from_type, from_value) }}
            and to_node.identifier_type = {{ to_type }}
            and to_node.identifier_value = {{ normalize_identifier(to_type, to_value) }}
{%- endset %}
with

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

-- breadth-first search from the first identifier (macro shortest_link_chain)
chain as (
    {{ shortest_link_chain(endpoints_sql, ref('int_identity_links')) }}
),

final as (
    select
        chain.hop,
        from_identifier.identifier_type as from_identifier_type,
        from_identifier.identifier_value as from_identifier_value,
        to_identifier.identifier_type as to_identifier_type,
        to_identifier.identifier_value as to_identifier_value,
        chain.source_table as linked_by_table,
        chain.record_key as linked_by_record
    from chain
    inner join identifiers as from_identifier
        on chain.from_node_id = from_identifier.node_id
    inner join identifiers as to_identifier
        on chain.to_node_id = to_identifier.node_id
)

select * from final
order by hop
