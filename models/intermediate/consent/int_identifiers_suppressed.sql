-- Identifier values that must never be in an audience, computed from the
-- identifier values alone, without stitching: so a value that later shows up
-- unstitched (a new cookie beside an erased email, a re-imported CRM row, a
-- shared or blocked value) is still suppressed. Per identifier value and purpose:
--   suppressed for good: an erasure or restrict_processing request named it
--     (every purpose), or a do_not_sell request (third_party_sharing);
--   suppressed while the latest signal through this very value is a denial
--     (an email unsubscribe or complaint, an opt-out), until a later grant
--     through the same value.
with

signals as (
    select * from {{ ref('int_consent_signals_unioned') }}
),

-- privacy requests first (they cannot be undone), then the latest signal
deciding_per_value as (
    select
        identifier_type,
        identifier_value,
        purpose,
        is_privacy_request,
        status,
        signal_type,
        occurred_at
    from signals
    qualify row_number() over (
            partition by identifier_type, identifier_value, purpose
            order by is_privacy_request desc, occurred_at desc, status = 'denied' desc, signal_id
        ) = 1
),

final as (
    select
        identifier_type,
        identifier_value,
        {{ identifier_hash_columns('identifier_type', 'identifier_value') }},
        purpose,
        signal_type as suppression_reason,
        occurred_at as suppressed_at
    from deciding_per_value
    where is_privacy_request or status = 'denied'
)

select * from final
