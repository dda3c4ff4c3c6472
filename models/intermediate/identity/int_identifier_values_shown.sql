-- The identifier behind each keyed hash, as the identity history may show it: in the
-- data now, and nobody's erased value (an erased person's identifiers stay keyed hashes
-- only). For the merge log and the moves, which the registry keeps as hashes.
-- One row per identifier type and keyed hash.
with

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
),

erasure_log as (
    select * from {{ ref('int_erasure_log') }}
),

final as (
    select
        hashed_identifiers.identifier_type,
        hashed_identifiers.identifier_hash,
        min(hashed_identifiers.identifier_value) as identifier_value
    from hashed_identifiers
    left join erasure_log
        on hashed_identifiers.identifier_type = erasure_log.identifier_type
            and hashed_identifiers.identifier_hash = erasure_log.identifier_hash
    where erasure_log.identifier_hash is null
    group by hashed_identifiers.identifier_type, hashed_identifiers.identifier_hash
)

select * from final
