-- Every customer record with the customer it belongs to: the customer of its
-- anchor identifier (the record links all its stitching identifiers, so they are
-- one customer; tests/assert_linked_identifiers_share_a_customer checks it). A
-- record whose identifiers are all non-stitching belongs to no customer (docs/contract.md §2:
-- a store sale keyed by the store's phone is anonymous revenue); records that
-- carry no identifier at all are not here either.
with

records as (
    select * from {{ ref('int_records_anchored') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

final as (
    select
        records.source_table,
        records.record_key,
        stitched.customer_id,
        stitched.customer_id is not null as is_stitched,
        records.first_seen_at,
        records.last_seen_at
    from records
    left join stitched
        on records.anchor_node_id = stitched.node_id
)

select * from final
