-- One row per customer (a connected component of the identity graph): how many
-- stitching identifiers of each type it has, whether it is known, and when it
-- was first and last seen over all of its records, and which data parties
-- (first: own systems, second: social) its records come from.
{%- set identifier_types = [
    'email', 'phone', 'crm_contact_id', 'shop_customer_id', 'loyalty_id', 'anonymous_id'
] %}
with

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

records as (
    select * from {{ ref('int_records_stitched') }}
),

source_tables as (
    select * from {{ ref('source_tables') }}
),

source_systems as (
    select * from {{ ref('source_systems') }}
),

identifier_counts as (
    select
        customer_id,
        {%- for identifier_type in identifier_types %}
            count(*) filter (
                where identifier_type = '{{ identifier_type }}'
            ) as {{ identifier_type }}_count,
        {%- endfor %}
        count(*) as identifier_count
    from stitched
    group by customer_id
),

record_spans as (
    select
        records.customer_id,
        count(*) as record_count,
        coalesce(bool_or(source_systems.party = 'first'), false) as has_first_party_data,
        coalesce(bool_or(source_systems.party = 'second'), false) as has_second_party_data,
        min(records.first_seen_at) as first_seen_at,
        max(records.last_seen_at) as last_seen_at
    from records
    left join source_tables
        on records.source_table = source_tables.source_table
    left join source_systems
        on source_tables.source_system = source_systems.source_system
    where records.customer_id is not null
    group by records.customer_id
),

final as (
    select
        identifier_counts.*,
        record_spans.record_count,
        -- known: reachable or identifiable beyond a cookie (docs/contract.md §3 is_known)
        (
            identifier_counts.email_count + identifier_counts.phone_count
            + identifier_counts.crm_contact_id_count
            + identifier_counts.shop_customer_id_count
            + identifier_counts.loyalty_id_count
        ) > 0 as is_known,
        record_spans.has_first_party_data,
        record_spans.has_second_party_data,
        record_spans.first_seen_at,
        record_spans.last_seen_at
    from identifier_counts
    inner join record_spans
        on identifier_counts.customer_id = record_spans.customer_id
)

select * from final
