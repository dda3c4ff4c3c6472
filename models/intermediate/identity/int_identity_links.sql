-- Why identifiers are one customer: one row per record and pair of stitching
-- identifiers it links. Each record links its identifiers as a star around its
-- anchor, the smallest node id (enough for connectivity, and n-1 links instead of
-- n(n-1)/2). And an erased person's identifier is one with the stand-in `cdp
-- erase-raw` left in its place ('cdp-erased:<keyed hash>'): when the EL tool delivers
-- the identifier again in clear, the two are linked (source_table erasure_stand_in),
-- so the person stays one (erased) customer.
with

records as (
    select * from {{ ref('int_records_anchored') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
),

record_links as (
    select
        source_table,
        record_key,
        anchor_node_id as node_id,
        {{ unnest_list('linked_node_ids') }} as linked_node_id,
        first_seen_at as linked_at
    from records
    where linked_node_ids is not null
),

stitching_hashes as (
    select
        identifiers.node_id,
        identifiers.identifier_type,
        identifiers.identifier_value,
        hashed_identifiers.identifier_hash,
        identifiers.first_seen_at
    from identifiers
    inner join hashed_identifiers
        on identifiers.node_id = hashed_identifiers.node_id
    where identifiers.is_stitching
),

stand_in_links as (
    select
        'erasure_stand_in' as source_table,
        stand_in.identifier_value as record_key,
        least(stand_in.node_id, original.node_id) as node_id,
        greatest(stand_in.node_id, original.node_id) as linked_node_id,
        greatest(stand_in.first_seen_at, original.first_seen_at) as linked_at
    from stitching_hashes as stand_in
    inner join stitching_hashes as original
        on stand_in.identifier_type = original.identifier_type
            and stand_in.identifier_hash = original.identifier_hash
            and stand_in.node_id <> original.node_id
    where left(stand_in.identifier_value, 11) = 'cdp-erased:'
),

final as (
    select * from record_links
    union all
    select * from stand_in_links
)

select * from final
