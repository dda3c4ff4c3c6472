-- Why identifiers are one customer: one row per record and pair of stitching
-- identifiers it links. Each record links its identifiers as a star around its
-- anchor, the smallest node id (enough for connectivity, and n-1 links instead of
-- n(n-1)/2).
with

records as (
    select * from {{ ref('int_records_anchored') }}
),

final as (
    select
        source_table,
        record_key,
        anchor_node_id as node_id,
        unnest(linked_node_ids) as linked_node_id,
        first_seen_at as linked_at
    from records
    where linked_node_ids is not null
)

select * from final
