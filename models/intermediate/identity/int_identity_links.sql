-- Why identifiers are one customer: one row per record and pair of stitching
-- identifiers it links. Each record links its identifiers as a star around the
-- first of them (enough for connectivity, and n-1 links instead of n(n-1)/2).
with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

stitching_occurrences as (
    select distinct
        occurrences.source_table,
        occurrences.record_key,
        identifiers.node_id,
        occurrences.first_seen_at
    from occurrences
    inner join identifiers
        on occurrences.identifier_type = identifiers.identifier_type
            and occurrences.identifier_value = identifiers.identifier_value
    where identifiers.is_stitching
),

anchored as (
    select
        *,
        min(node_id) over (partition by source_table, record_key) as anchor_node_id
    from stitching_occurrences
),

final as (
    select
        source_table,
        record_key,
        anchor_node_id as node_id,
        node_id as linked_node_id,
        first_seen_at as linked_at
    from anchored
    where node_id <> anchor_node_id
)

select * from final
