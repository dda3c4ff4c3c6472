-- Back-office rows that were read but cannot be right, and what the value marts did
-- with them (seed value_check_reasons): an order none of whose lines could be read (no
-- purchase: its worth is unknown), a return dated before its order (not counted), a
-- refund above what was left of its purchase (counted up to that). Rows staging could
-- not read at all are in dq_quarantined_rows. One row per such order or return.
with

purchases as (
    select * from {{ ref('int_purchases_unioned') }}
),

returns as (
    select * from {{ ref('int_returns_matched') }}
),

value_check_reasons as (
    select * from {{ ref('value_check_reasons') }}
),

checked as (
    select
        source_table,
        record_key,
        purchase_id,
        value_check_reason as reason_code,
        cast(null as decimal(18, 2)) as amount_as_sent,
        cast(0 as decimal(18, 2)) as amount_counted,
        purchased_at as business_at
    from purchases
    where value_check_reason is not null
    union all
    select
        'returns' as source_table,
        return_id as record_key,
        purchase_id,
        value_check_reason as reason_code,
        cast(refund_amount_as_sent as decimal(18, 2)) as amount_as_sent,
        cast(refund_amount as decimal(18, 2)) as amount_counted,
        returned_at as business_at
    from returns
    where value_check_reason is not null
),

final as (
    select
        checked.source_table,
        checked.record_key,
        checked.purchase_id,
        checked.reason_code,
        value_check_reasons.treatment,
        value_check_reasons.description as reason,
        checked.amount_as_sent,
        checked.amount_counted,
        checked.business_at
    from checked
    left join value_check_reasons
        on checked.reason_code = value_check_reasons.reason_code
)

select * from final
