-- Every identifier with its keyed hash (macro identifier_hash: salted_hash of
-- 'type:value', secret env CDP_SECRET_SALT; the hash itself for a value `cdp
-- erase-raw` replaced): how the erasure log, which keeps hashes only, is matched
-- against the data. Computed once here for the models that need it.
-- One row per identifier.
with

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

final as (
    select
        node_id,
        identifier_type,
        identifier_value,
        {{ identifier_hash('identifier_type', 'identifier_value') }} as identifier_hash
    from identifiers
)

select * from final
