-- Every customer record with the customer it belongs to: the customer of its
-- stitching identifiers (all in one component, as the record links them). A
-- record whose identifiers are all non-stitching belongs to no customer (SPEC 2:
-- a store sale keyed by the store's phone is anonymous revenue); records that
-- carry no identifier at all are not here either.
with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

record_customers as (
    select
        occurrences.source_table,
        occurrences.record_key,
        min(stitched.customer_id) as customer_id,
        count(distinct stitched.customer_id) as customer_count,
        min(occurrences.first_seen_at) as first_seen_at,
        max(occurrences.last_seen_at) as last_seen_at
    from occurrences
    left join stitched
        on occurrences.identifier_type = stitched.identifier_type
            and occurrences.identifier_value = stitched.identifier_value
    group by occurrences.source_table, occurrences.record_key
),

final as (
    select
        source_table,
        record_key,
        customer_id,
        customer_count,
        customer_id is not null as is_stitched,
        first_seen_at,
        last_seen_at
    from record_customers
)

select * from final
