-- Why are these two identifiers one customer? The shortest chain of links between
-- them, with the source record of every link. Run it with
-- `cdp explain-link <type> <value> <type> <value>`: the four inputs are bound at run
-- time (macro query_parameter), so the SQL is compiled once, whoever is asked about,
-- and no value reaches compiled SQL or dbt's logs.
--
-- Each identifier is read as everywhere (docs/contract.md §2, Identifier readings): by
-- its type (macro normalize_identifier), a phone in national format by the one known
-- reading of its digits (macro known_phone_readings). Rows: first the two ends
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

wanted as (
    {%- for link_end, (wanted_type, wanted_value) in ends.items() %}
        select
            '{{ link_end }}' as link_end,
            cast({{ wanted_type }} as string) as identifier_type,
            {{ normalize_identifier(wanted_type, wanted_value) }} as identifier_value,
            case
                when {{ wanted_type }} = 'phone' then {{ phone_national_digits(wanted_value) }}
            end as phone_national_digits
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

wanted_national as (
    select
        link_end,
        phone_national_digits
    from wanted
    where identifier_value is null and phone_national_digits is not null
),

known_phones as (
    select identifier_value as phone from identifiers
    where identifier_type = 'phone'
),

national_readings as (
    {{ known_phone_readings(
        'wanted_national', ['link_end'], 'phone_national_digits', 'known_phones'
    ) }}
),

readings as (
    select
        wanted.link_end,
        wanted.identifier_type,
        coalesce(
            wanted.identifier_value,
            case when national_readings.known_reading_count = 1 then national_readings.phone end
        ) as identifier_value,
        wanted.phone_national_digits is not null and wanted.identifier_value is null
            as is_national,
        coalesce(national_readings.known_reading_count, 0) as known_reading_count
    from wanted
    left join national_readings
        on wanted.link_end = national_readings.link_end
),

link_ends as (
    select
        readings.link_end,
        readings.identifier_type,
        readings.identifier_value,
        identifiers.node_id,
        identifiers.non_stitching_reason,
        stitched.customer_id,
        case
            when readings.identifier_value is null and readings.known_reading_count > 1
                then 'ambiguous'
            when readings.identifier_value is null and readings.is_national then 'not_found'
            when readings.identifier_value is null then 'unreadable'
            when identifiers.identifier_value is null then 'not_found'
            when identifiers.non_stitching_reason = 'blocked' then 'blocked'
            when not identifiers.is_stitching then 'shared'
            when stitched.customer_id is null then 'not_found'
            else 'found'
        end as status,
        case
            when readings.identifier_value is null and readings.known_reading_count > 1
                then 'national_phone_ambiguous'
            when readings.identifier_value is null and readings.is_national
                then 'national_phone_not_found'
            when readings.identifier_value is null then 'identifier_unreadable'
            when identifiers.identifier_value is null then 'no_matching_customer'
            when not identifiers.is_stitching then 'identifier_not_stitching'
            when stitched.customer_id is null then 'no_matching_customer'
        end as reason_code
    from readings
    left join identifiers
        on readings.identifier_type = identifiers.identifier_type
            and readings.identifier_value = identifiers.identifier_value
    left join stitched
        on identifiers.node_id = stitched.node_id
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
