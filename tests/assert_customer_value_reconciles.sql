-- Invariants of customer_value: net = gross - refunds on every row, and each
-- buyer's figures equal the sums of their purchases in customer_purchases (made
-- on or before the as-of date); every customer with such a purchase is a buyer.
-- Returns the offending customers.
with

customer_value as (
    select * from {{ ref('customer_value') }}
),

purchases as (
    select * from {{ ref('customer_purchases') }}
),

purchase_sums as (
    select
        purchases.customer_id,
        count(*) as purchases_count,
        sum(purchases.gross_revenue) as gross_revenue,
        sum(purchases.refunded_amount) as refunded_amount,
        sum(purchases.gross_margin) as gross_margin
    from purchases
    inner join customer_value
        on purchases.customer_id = customer_value.customer_id
    where purchases.is_purchase
        and purchases.purchased_at < customer_value.as_of_date + interval 1 day
    group by purchases.customer_id
),

final as (
    select
        customer_value.customer_id,
        customer_value.purchases_count,
        purchase_sums.purchases_count as purchases_in_fact,
        customer_value.net_revenue,
        customer_value.gross_revenue,
        customer_value.refunded_amount
    from customer_value
    full outer join purchase_sums
        on customer_value.customer_id = purchase_sums.customer_id
    where customer_value.customer_id is null
        or customer_value.net_revenue
        <> customer_value.gross_revenue - customer_value.refunded_amount
        or customer_value.purchases_count <> coalesce(purchase_sums.purchases_count, 0)
        or customer_value.gross_revenue <> coalesce(purchase_sums.gross_revenue, 0)
        or customer_value.refunded_amount <> coalesce(purchase_sums.refunded_amount, 0)
        or customer_value.gross_margin <> coalesce(purchase_sums.gross_margin, 0)
        or customer_value.is_buyer <> (purchase_sums.customer_id is not null)
)

select * from final
