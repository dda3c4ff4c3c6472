-- Every purchase attempt with its customer, refunds and margin, in EUR:
--   net_revenue  = gross_revenue - refunded_amount
--   gross_margin = net_revenue - (cost_of_goods - returned_cost): revenue kept
--                  minus the cost of the items kept (docs/contract.md §2); a missing
--                  cost counts 0
-- Cancelled orders stay flagged (is_purchase false). customer_id is null for
-- purchases that belong to nobody (a store sale without identifiers).
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

refunds as (
    select
        purchase_id,
        count(*) as return_count,
        sum(refund_amount) as refunded_amount,
        sum(returned_cost) as returned_cost
    from returns
    where is_matched
    group by purchase_id
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
            - (coalesce(purchases.cost_of_goods, 0) - coalesce(refunds.returned_cost, 0))
            as decimal(18, 2)
        ) as gross_margin,
        not purchases.is_cancelled as is_purchase,
        purchases.purchased_at
    from purchases
    left join refunds
        on purchases.purchase_id = refunds.purchase_id
    left join records
        on purchases.source_table = records.source_table
            and purchases.record_key = records.record_key
)

select * from final
