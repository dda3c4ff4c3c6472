-- Every customer record with the stitching identifiers it carries, as graph nodes:
-- its anchor (the smallest node id) and the nodes it links to the anchor. One pass
-- over the occurrences serves both the identity links and, once the components are
-- known, the record's customer (int_records_stitched): the customer of its anchor.
with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

record_nodes as (
    select
        occurrences.source_table,
        occurrences.record_key,
        case when identifiers.is_stitching then identifiers.node_id end as stitching_node_id,
        occurrences.first_seen_at,
        occurrences.last_seen_at
    from occurrences
    inner join identifiers
        on occurrences.identifier_type = identifiers.identifier_type
            and occurrences.identifier_value = identifiers.identifier_value
),

records as (
    select
        source_table,
        record_key,
        -- a record carries an identifier once (the occurrences' key): nodes are distinct
        array_sort(
            array_agg(stitching_node_id) filter (where stitching_node_id is not null)
        ) as stitching_node_ids,
        count(stitching_node_id) as stitching_node_count,
        min(stitching_node_id) as anchor_node_id,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from record_nodes
    group by source_table, record_key
),

final as (
    select
        source_table,
        record_key,
        anchor_node_id,
        case
            when stitching_node_count > 1 then {{ list_tail('stitching_node_ids') }}
        end as linked_node_ids,
        first_seen_at,
        last_seen_at
    from records
)

select * from final
