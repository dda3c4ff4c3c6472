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
        {{ identifier_hash_columns('carried.identifier_type', 'carried.identifier_value') }},
        identifiers.non_stitching_reason,
        identifiers.shared_with_type,
        identifiers.shared_with_count,
        identifiers.sharing_limit,
        identifiers.line_type,
        identifiers.is_stitching
    from carried
    inner join identifiers
        on carried.identifier_type = identifiers.identifier_type
            and carried.identifier_value = identifiers.identifier_value
),

-- one row per identifier: an erased person's address delivered again in clear and
-- the 'cdp-erased:' stand-in left in its place have one keyed hash
final as (
    select
        customer_id,
        identifier_type,
        case
            when
                identifier_type not in ('email', 'phone')
                or bool_and(identifier_sha256 is not null)
                then min(identifier_value)
        end as identifier_value,
        min(identifier_sha256) as identifier_sha256,
        identifier_hash,
        min(non_stitching_reason) as non_stitching_reason,
        min(shared_with_type) as shared_with_type,
        max(shared_with_count) as shared_with_count,
        max(sharing_limit) as sharing_limit,
        min(line_type) as line_type,
        cast(sum(record_count) as bigint) as record_count,
        bool_or(is_stitching) as is_stitching,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from hashed
    group by customer_id, identifier_type, identifier_hash
)

select * from final
