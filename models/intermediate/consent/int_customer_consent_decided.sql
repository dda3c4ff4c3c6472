-- The deciding signal per customer and purpose (docs/contract.md §2): the latest signal across
-- all of the customer's identifiers; on equal timestamps a denial wins; then a
-- fixed tie-break (signal id) so the result never depends on row order.
-- One row per customer and purpose with at least one signal.
with

signals as (
    select * from {{ ref('int_consent_signals_attributed') }}
),

final as (
    select
        customer_id,
        purpose,
        status,
        signal_id,
        signal_type,
        source,
        policy_version,
        identifier_type,
        occurred_at as decided_at
    from signals
    where customer_id is not null
    qualify row_number() over (
            partition by customer_id, purpose
            order by occurred_at desc, status = 'denied' desc, signal_id
        ) = 1
)

select * from final
