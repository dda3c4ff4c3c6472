-- SPEC 3: one row per customer and identifier its records carry. A stitching
-- identifier belongs to exactly one customer; a non-stitching one (blocked or
-- shared) is listed under every customer whose records carry it.
with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

records as (
    select * from {{ ref('int_records_stitched') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

carried as (
    select
        records.customer_id,
        occurrences.identifier_type,
        occurrences.identifier_value,
        count(*) as record_count,
        min(occurrences.first_seen_at) as first_seen_at,
        max(occurrences.last_seen_at) as last_seen_at
    from occurrences
    inner join records
        on occurrences.source_table = records.source_table
            and occurrences.record_key = records.record_key
    where records.customer_id is not null
    group by records.customer_id, occurrences.identifier_type, occurrences.identifier_value
),

final as (
    select
        carried.customer_id,
        carried.identifier_type,
        carried.identifier_value,
        identifiers.non_stitching_reason,
        carried.record_count,
        identifiers.is_stitching,
        carried.first_seen_at,
        carried.last_seen_at
    from carried
    inner join identifiers
        on carried.identifier_type = identifiers.identifier_type
            and carried.identifier_value = identifiers.identifier_value
)

select * from final
