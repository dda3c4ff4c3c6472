-- Every purchase attempt with its customer, refunds and margin, in EUR, as of the
-- as-of date (docs/contract.md §2: everything is as of var('as_of_date')):
--   refunds      the matched returns processed on or before the as-of date, as
--                int_returns_matched counts them (a return dated before its order
--                not at all, a refund above what was left of the purchase up to
--                that); a later return is not counted (not yet refunded on that date)
--   net_revenue  = gross_revenue - refunded_amount
--   gross_margin = net_revenue - (cost_of_goods - returned_cost): revenue kept
--                  minus the cost of the items kept (docs/contract.md §2); null
--                  when the cost has no basis at all (cost_basis unknown)
-- Every staged purchase stays, so the fact reconciles with staging: cancelled
-- orders and orders without a readable line flagged (is_purchase false), purchases
-- after the as-of date flagged (is_after_as_of_date): no value figure counts either.
-- customer_id is null for purchases that belong to nobody (a store sale without
-- identifiers).
with

purchases as (
    select * from {{ ref('int_purchases_unioned') }}
),

returns as (
    select * from {{ ref('int_returns_matched') }}
),

records as (
    select * from {{ ref('int_records_stitched') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

refunds as (
    select
        returns.purchase_id,
        count(*) as return_count,
        sum(returns.refund_amount) as refunded_amount,
        sum(returns.returned_cost) as returned_cost
    from returns
    cross join as_of
    where returns.is_counted
        and returns.returned_at < as_of.as_of_date + interval 1 day
    group by returns.purchase_id
),

final as (
    select
        purchases.purchase_id,
        records.customer_id,
        purchases.source_table,
        purchases.record_key,
        purchases.channel,
        purchases.brand,
        purchases.status,
        purchases.cost_basis,
        purchases.line_count,
        coalesce(refunds.return_count, 0) as return_count,
        purchases.gross_revenue,
        cast(coalesce(refunds.refunded_amount, 0) as decimal(18, 2)) as refunded_amount,
        cast(purchases.gross_revenue - coalesce(refunds.refunded_amount, 0) as decimal(18, 2))
            as net_revenue,
        purchases.cost_of_goods,
        cast(coalesce(refunds.returned_cost, 0) as decimal(18, 2)) as returned_cost,
        cast(
            purchases.gross_revenue - coalesce(refunds.refunded_amount, 0)
            - (purchases.cost_of_goods - coalesce(refunds.returned_cost, 0))
            as decimal(18, 2)
        ) as gross_margin,
        purchases.estimated_cost,
        purchases.unknown_cost_revenue,
        purchases.is_purchase,
        purchases.purchased_at >= as_of.as_of_date + interval 1 day as is_after_as_of_date,
        as_of.as_of_date,
        purchases.purchased_at
    from purchases
    cross join as_of
    left join refunds
        on purchases.purchase_id = refunds.purchase_id
    left join records
        on purchases.source_table = records.source_table
            and purchases.record_key = records.record_key
)

select * from final
