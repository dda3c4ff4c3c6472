-- Every consent signal that applies to a customer, in order, with its proof
-- (signal type, source, policy version, the identifier it arrived through, time)
-- and whether it changed the customer's status for the purpose. Signals are
-- ordered as they are decided: by time, a denial after a grant at the same
-- instant, then by signal id; so the last row per customer and purpose is the
-- one customer_consent shows. Erased customers' emails and phones are kept
-- only as their keyed hash (macro identifier_hash_columns).
with

signals as (
    select * from {{ ref('int_consent_signals_attributed') }}
),

privacy_flags as (
    select * from {{ ref('int_customers_privacy_flagged') }}
),

sequenced as (
    select
        *,
        -- BIGINT on both engines (Spark's row_number() is an INT)
        cast(row_number() over (
            partition by customer_id, purpose
            order by occurred_at asc nulls last, status = 'denied' asc, signal_id desc
        ) as bigint) as signal_sequence
    from signals
    where customer_id is not null
),

with_previous as (
    select
        *,
        lag(status) over (
            partition by customer_id, purpose order by signal_sequence
        ) as previous_status
    from sequenced
),

final as (
    select
        with_previous.customer_id,
        with_previous.purpose,
        with_previous.signal_id,
        with_previous.status,
        with_previous.previous_status,
        with_previous.signal_type,
        with_previous.source,
        with_previous.policy_version,
        with_previous.identifier_type,
        case
            when with_previous.identifier_type in ('email', 'phone')
                and coalesce(privacy_flags.is_erased, false)
                then null
            else with_previous.identifier_value
        end as identifier_value,
        {{ identifier_hash_columns(
            'with_previous.identifier_type', 'with_previous.identifier_value'
        ) }},
        with_previous.signal_sequence,
        coalesce(
            with_previous.status <> with_previous.previous_status, true
        ) as is_status_change,
        with_previous.occurred_at
    from with_previous
    left join privacy_flags
        on with_previous.customer_id = privacy_flags.customer_id
)

select * from final
