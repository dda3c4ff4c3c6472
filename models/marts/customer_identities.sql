-- docs/contract.md §3: one row per customer and identifier its records carry. A stitching
-- identifier belongs to exactly one customer; a non-stitching one (blocked or
-- shared) is listed under every customer whose records carry it.
-- Erasure (docs/contract.md §2): every email and phone of an erased person
-- (int_erasure_log: their own, the ones their requests name, and shared ones such as
-- a household's landline, under every customer that carries them) is
-- kept only as its keyed hash (identifier_hash; no plain sha256, which a phone's
-- could be brute-forced from); account ids and cookies stay (docs/contract.md §4).
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

erasure_log as (
    select * from {{ ref('int_erasure_log') }}
),

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
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

hashed as (
    select
        carried.*,
        hashed_identifiers.identifier_hash
    from carried
    inner join hashed_identifiers
        on carried.identifier_type = hashed_identifiers.identifier_type
            and carried.identifier_value = hashed_identifiers.identifier_value
),

final as (
    select
        hashed.customer_id,
        hashed.identifier_type,
        case
            when hashed.identifier_type in ('email', 'phone')
                and erasure_log.identifier_hash is not null
                then null
            else hashed.identifier_value
        end as identifier_value,
        case
            when erasure_log.identifier_hash is null then sha256(hashed.identifier_value)
        end as identifier_sha256,
        hashed.identifier_hash,
        identifiers.non_stitching_reason,
        identifiers.shared_with_type,
        identifiers.shared_with_count,
        identifiers.sharing_limit,
        identifiers.line_type,
        hashed.record_count,
        identifiers.is_stitching,
        hashed.first_seen_at,
        hashed.last_seen_at
    from hashed
    inner join identifiers
        on hashed.identifier_type = identifiers.identifier_type
            and hashed.identifier_value = identifiers.identifier_value
    left join erasure_log
        on hashed.identifier_type = erasure_log.identifier_type
            and hashed.identifier_hash = erasure_log.identifier_hash
)

select * from final
