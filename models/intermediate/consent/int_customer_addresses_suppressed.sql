-- The suppression list's customer side: every stitching email and phone of a
-- customer who may not be contacted for a purpose because of what they said, so
-- an email platform given the list does not mail someone who opted out through
-- another identifier (the shop account, a cookie, the preference centre by
-- account id). Per customer and purpose, the first reason that applies:
--   privacy_erasure, privacy_restrict_processing  every purpose, for good
--   privacy_do_not_sell                           third_party_sharing, for good
--   the deciding signal's type                    the customer's decision is a
--                                                 denial (until a later grant)
-- A customer without any signal (jurisdiction default) said nothing: not listed.
-- Hashes only. One row per identifier hash and purpose.
with

decided as (
    select * from {{ ref('int_customer_consent_decided') }}
),

privacy_flags as (
    select * from {{ ref('int_customers_privacy_flagged') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

consent_purposes as (
    select * from {{ ref('consent_purposes') }}
),

reasons as (
    select
        privacy_flags.customer_id,
        consent_purposes.purpose,
        1 as priority,
        'privacy_erasure' as suppression_reason,
        privacy_flags.erasure_requested_at as suppressed_at
    from privacy_flags
    cross join consent_purposes
    where privacy_flags.is_erased
    union all
    select
        privacy_flags.customer_id,
        consent_purposes.purpose,
        2 as priority,
        'privacy_restrict_processing' as suppression_reason,
        privacy_flags.restriction_requested_at as suppressed_at
    from privacy_flags
    cross join consent_purposes
    where privacy_flags.is_processing_restricted
    union all
    select
        customer_id,
        'third_party_sharing' as purpose,
        3 as priority,
        'privacy_do_not_sell' as suppression_reason,
        do_not_sell_requested_at as suppressed_at
    from privacy_flags
    where has_do_not_sell
    union all
    select
        customer_id,
        purpose,
        4 as priority,
        signal_type as suppression_reason,
        decided_at as suppressed_at
    from decided
    where status = 'denied'
),

first_reason as (
    select * from reasons
    qualify row_number() over (
            partition by customer_id, purpose
            order by priority, suppressed_at nulls last, suppression_reason
        ) = 1
),

-- distinct: an erased address delivered again and its 'cdp-erased:' stand-in share a hash
final as (
    select distinct
        stitched.identifier_type,
        {{ identifier_hash_columns('stitched.identifier_type', 'stitched.identifier_value') }},
        first_reason.purpose,
        first_reason.customer_id,
        first_reason.suppression_reason,
        first_reason.suppressed_at
    from first_reason
    inner join stitched
        on first_reason.customer_id = stitched.customer_id
    where stitched.identifier_type in ('email', 'phone')
)

select * from final
