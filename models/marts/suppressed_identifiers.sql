-- The suppression list: sha256 of every identifier value that must not be in an
-- audience for a purpose. Two sides, one row per value and purpose:
--   identifier  the value's own signals, independent of stitching
--               (int_identifiers_suppressed): also values no customer holds
--   customer    every email and phone of a customer who said no for the purpose
--               or made a privacy request (int_customer_addresses_suppressed)
-- Where both apply, a privacy request wins (it is permanent), then the value's own
-- signal. Only hashes: it can be shared with an email or ad platform as is (an erased
-- person's values keep only the keyed hash: a plain one could be brute-forced).
with

identifier_suppressions as (
    select * from {{ ref('int_identifiers_suppressed') }}
),

customer_suppressions as (
    select * from {{ ref('int_customer_addresses_suppressed') }}
),

unioned as (
    select
        identifier_type,
        identifier_sha256,
        identifier_hash,
        purpose,
        suppression_reason,
        'identifier' as suppression_scope,
        suppressed_at
    from identifier_suppressions
    union all
    select
        identifier_type,
        identifier_sha256,
        identifier_hash,
        purpose,
        suppression_reason,
        'customer' as suppression_scope,
        suppressed_at
    from customer_suppressions
),

final as (
    select * from unioned
    qualify row_number() over (
            partition by identifier_type, identifier_hash, purpose
            order by
                suppression_reason like 'privacy%' desc,
                suppression_scope = 'identifier' desc,
                suppressed_at asc nulls last,
                suppression_reason asc
        ) = 1
)

select * from final
