-- Every consent signal with the customer it applies to (docs/contract.md §2): the customer of
-- the stitching identifier it arrived through. A grant given through a cookie
-- applies to whoever that cookie is stitched to, also when the login came later.
-- A signal through a non-stitching identifier, or one no record carries, applies
-- to no customer (customer_id null); its denial still suppresses the value itself
-- (int_identifiers_suppressed).
with

signals as (
    select * from {{ ref('int_consent_signals_unioned') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

final as (
    select
        signals.signal_id,
        stitched.customer_id,
        signals.source_table,
        signals.record_key,
        signals.signal_type,
        signals.identifier_type,
        signals.identifier_value,
        signals.purpose,
        signals.status,
        signals.source,
        signals.policy_version,
        signals.is_privacy_request,
        signals.occurred_at
    from signals
    left join stitched
        on signals.identifier_type = stitched.identifier_type
            and signals.identifier_value = stitched.identifier_value
)

select * from final
