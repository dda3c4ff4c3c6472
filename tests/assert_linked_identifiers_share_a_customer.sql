-- Connected components: the two identifiers of every link belong to one customer
-- (int_records_stitched relies on it to give a record its anchor's customer).
-- Returns every link whose ends have different customers, or a missing one.
with

links as (
    select * from {{ ref('int_identity_links') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

final as (
    select
        links.source_table,
        links.record_key,
        links.node_id,
        links.linked_node_id,
        anchor.customer_id as anchor_customer_id,
        linked.customer_id as linked_customer_id
    from links
    left join stitched as anchor
        on links.node_id = anchor.node_id
    left join stitched as linked
        on links.linked_node_id = linked.node_id
    where coalesce(anchor.customer_id <> linked.customer_id, true)
)

select * from final
