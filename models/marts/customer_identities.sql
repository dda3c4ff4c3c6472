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

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

-- A stitching identifier's records all belong to its customer: a record links every
-- stitching identifier it carries and takes their customer (int_records_stitched;
-- tests/assert_linked_identifiers_share_a_customer). Its record count and dates are
-- therefore the identifier's own, counted once in int_identifiers_classified: no
-- join of the occurrences (20 M at 1M customers) to their records.
stitching_carried as (
    select
        stitched.customer_id,
        identifiers.node_id,
        identifiers.record_count,
        identifiers.first_seen_at,
        identifiers.last_seen_at
    from identifiers
    inner join stitched
        on identifiers.node_id = stitched.node_id
),

-- A non-stitching identifier (a store's phone) is listed under every customer whose
-- records carry it, with that customer's records only. Its occurrences (0.1 M of 20 M
-- at 1M customers) are grouped by record before the records are joined: the grouping
-- keeps the join planner from joining all occurrences to their records first.
non_stitching_occurrences as (
    select
        occurrences.source_table,
        occurrences.record_key,
        identifiers.node_id,
        min(occurrences.first_seen_at) as first_seen_at,
        max(occurrences.last_seen_at) as last_seen_at
    from occurrences
    inner join identifiers
        on occurrences.identifier_type = identifiers.identifier_type
            and occurrences.identifier_value = identifiers.identifier_value
    where not identifiers.is_stitching
    group by occurrences.source_table, occurrences.record_key, identifiers.node_id
),

non_stitching_carried as (
    select
        records.customer_id,
        non_stitching_occurrences.node_id,
        count(*) as record_count,
        min(non_stitching_occurrences.first_seen_at) as first_seen_at,
        max(non_stitching_occurrences.last_seen_at) as last_seen_at
    from non_stitching_occurrences
    inner join records
        on non_stitching_occurrences.source_table = records.source_table
            and non_stitching_occurrences.record_key = records.record_key
    where records.customer_id is not null
    group by records.customer_id, non_stitching_occurrences.node_id
),

carried as (
    select * from stitching_carried
    union all
    select * from non_stitching_carried
),

hashed as (
    select
        carried.customer_id,
        identifiers.identifier_type,
        identifiers.identifier_value,
        carried.record_count,
        carried.first_seen_at,
        carried.last_seen_at,
        {{ identifier_hash_columns(
            'identifiers.identifier_type', 'identifiers.identifier_value',
            keyed_hash='hashed_identifiers.identifier_hash'
        ) }},
        identifiers.non_stitching_reason,
        identifiers.shared_with_type,
        identifiers.shared_with_count,
        identifiers.sharing_limit,
        identifiers.line_type,
        identifiers.is_stitching
    from carried
    inner join identifiers
        on carried.node_id = identifiers.node_id
    inner join hashed_identifiers
        on carried.node_id = hashed_identifiers.node_id
),

-- An erased person's address delivered again in clear and the 'cdp-erased:' stand-in
-- left in its place have one keyed hash and become one row. Only rows that can share
-- a keyed hash are grouped: an erased value (no plain sha256) or a stand-in's hash.
stand_in_hashes as (
    select identifier_hash from hashed_identifiers
    where left(identifier_value, 11) = 'cdp-erased:'
),

flagged as (
    select
        hashed.*,
        hashed.identifier_sha256 is null
        or hashed.identifier_hash in (select stand_in_hashes.identifier_hash from stand_in_hashes)
            as may_share_a_keyed_hash
    from hashed
),

collapsed as (
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
    from flagged
    where may_share_a_keyed_hash
    group by customer_id, identifier_type, identifier_hash
),

-- every other row is one identifier already: the same columns, as a group of one row
final as (
    select
        customer_id,
        identifier_type,
        identifier_value,
        identifier_sha256,
        identifier_hash,
        non_stitching_reason,
        shared_with_type,
        shared_with_count,
        sharing_limit,
        line_type,
        cast(record_count as bigint) as record_count,
        is_stitching,
        first_seen_at,
        last_seen_at
    from flagged
    where not may_share_a_keyed_hash
    union all
    select * from collapsed
)

select * from final
