-- docs/contract.md §3: one row per customer and identifier its records carry. A stitching
-- identifier belongs to exactly one customer; a non-stitching one (blocked or
-- shared) is listed under every customer whose records carry it.
-- Erasure (docs/contract.md §2): emails and phones of an erased customer, and any email or
-- phone named in an erasure request, are kept only as their sha256; account ids
-- and cookies stay.
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

privacy_flags as (
    select * from {{ ref('int_customers_privacy_flagged') }}
),

privacy_requests as (
    select * from {{ ref('int_privacy_requests_attributed') }}
),

erased_values as (
    select distinct
        identifier_type,
        identifier_value
    from privacy_requests
    where request_type = 'erasure'
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
        case
            when carried.identifier_type in ('email', 'phone')
                and (privacy_flags.is_erased or erased_values.identifier_value is not null)
                then null
            else carried.identifier_value
        end as identifier_value,
        sha256(carried.identifier_value) as identifier_sha256,
        identifiers.non_stitching_reason,
        identifiers.shared_with_type,
        identifiers.shared_with_count,
        identifiers.sharing_limit,
        identifiers.line_type,
        carried.record_count,
        identifiers.is_stitching,
        carried.first_seen_at,
        carried.last_seen_at
    from carried
    inner join identifiers
        on carried.identifier_type = identifiers.identifier_type
            and carried.identifier_value = identifiers.identifier_value
    left join privacy_flags
        on carried.customer_id = privacy_flags.customer_id
    left join erased_values
        on carried.identifier_type = erased_values.identifier_type
            and carried.identifier_value = erased_values.identifier_value
)

select * from final
