-- customer_value reconciles with staging itself, as of the as-of date: for every
-- customer, the purchases (staged non-cancelled orders and store transactions made
-- on or before the as-of date, attributed through int_records_stitched), their
-- gross revenue recomputed from the staged order lines and store amounts, and the
-- refunds of the staged returns of those purchases processed on or before the
-- as-of date; net = gross - refunds; a buyer is a customer with such a purchase.
-- What the data-quality list of implausible values names is left out as it says: an
-- order without a readable line is no purchase, a return before its order counts
-- nothing, a refund above its purchase counts up to what was left.
-- (Margins need the cost rules; test_value_scenarios asserts them to the cent.)
-- Returns the customers whose figures differ.
with

customer_value as (
    select * from {{ ref('customer_value') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

order_lines as (
    select * from {{ ref('stg_shop__order_lines') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

staged_returns as (
    select * from {{ ref('stg_returns__returns') }}
),

records as (
    select * from {{ ref('int_records_stitched') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

implausible as (
    select * from {{ ref('dq_implausible_values') }}
),

order_revenue as (
    select
        order_lines.order_id,
        sum({{ convert_to_eur(
            'order_lines.quantity * order_lines.unit_price_in_order_currency'
            ~ ' - coalesce(order_lines.discount_amount_in_order_currency, 0)',
            'orders.eur_per_unit'
        ) }}) as gross_revenue
    from order_lines
    inner join orders
        on order_lines.order_id = orders.order_id
    group by order_lines.order_id
),

staged_purchases as (
    select
        'shop_orders' as source_table,
        orders.order_id as record_key,
        coalesce(order_revenue.gross_revenue, 0) as gross_revenue,
        orders.ordered_at as purchased_at
    from orders
    left join order_revenue
        on orders.order_id = order_revenue.order_id
    left join implausible
        on implausible.source_table = 'shop_orders'
            and orders.order_id = implausible.record_key
    where orders.status <> 'cancelled' and implausible.record_key is null
    union all
    select
        'pos_transactions' as source_table,
        transaction_id as record_key,
        amount as gross_revenue,
        transacted_at as purchased_at
    from pos_transactions
),

purchases_as_of as (
    select
        records.customer_id,
        staged_purchases.source_table,
        staged_purchases.record_key,
        staged_purchases.gross_revenue,
        staged_purchases.purchased_at
    from staged_purchases
    cross join as_of
    inner join records
        on staged_purchases.source_table = records.source_table
            and staged_purchases.record_key = records.record_key
    where staged_purchases.purchased_at < as_of.as_of_date + interval 1 day
        and records.customer_id is not null
),

-- staging keeps only returns with exactly one of the two references
returns_referenced as (
    select
        case
            when staged_returns.order_id is not null then 'shop_orders' else 'pos_transactions'
        end as source_table,
        coalesce(staged_returns.order_id, staged_returns.pos_transaction_id) as record_key,
        staged_returns.refund_amount
        - coalesce(implausible.amount_as_sent - implausible.amount_counted, 0) as refund_amount,
        staged_returns.returned_at
    from staged_returns
    left join implausible
        on implausible.source_table = 'returns'
            and staged_returns.return_id = implausible.record_key
),

refunds_as_of as (
    select
        purchases_as_of.customer_id,
        sum(returns_referenced.refund_amount) as refunded_amount
    from returns_referenced
    cross join as_of
    inner join purchases_as_of
        on returns_referenced.source_table = purchases_as_of.source_table
            and returns_referenced.record_key = purchases_as_of.record_key
    where returns_referenced.returned_at < as_of.as_of_date + interval 1 day
    group by purchases_as_of.customer_id
),

staged_totals as (
    select
        purchases_as_of.customer_id,
        count(*) as purchases_count,
        sum(purchases_as_of.gross_revenue) as gross_revenue,
        coalesce(any_value(refunds_as_of.refunded_amount), 0) as refunded_amount,
        min(purchases_as_of.purchased_at) as first_purchase_at,
        max(purchases_as_of.purchased_at) as last_purchase_at
    from purchases_as_of
    left join refunds_as_of
        on purchases_as_of.customer_id = refunds_as_of.customer_id
    group by purchases_as_of.customer_id
),

final as (
    select
        coalesce(customer_value.customer_id, staged_totals.customer_id) as customer_id,
        customer_value.purchases_count,
        staged_totals.purchases_count as staged_purchases_count,
        customer_value.gross_revenue,
        staged_totals.gross_revenue as staged_gross_revenue,
        customer_value.refunded_amount,
        staged_totals.refunded_amount as staged_refunded_amount,
        customer_value.net_revenue
    from customer_value
    full outer join staged_totals
        on customer_value.customer_id = staged_totals.customer_id
    where customer_value.customer_id is null
        or customer_value.purchases_count <> coalesce(staged_totals.purchases_count, 0)
        or customer_value.gross_revenue <> coalesce(staged_totals.gross_revenue, 0)
        or customer_value.refunded_amount <> coalesce(staged_totals.refunded_amount, 0)
        or customer_value.net_revenue
        <> coalesce(staged_totals.gross_revenue, 0) - coalesce(staged_totals.refunded_amount, 0)
        or customer_value.is_buyer <> (staged_totals.customer_id is not null)
        or customer_value.first_purchase_at is distinct from staged_totals.first_purchase_at
        or customer_value.last_purchase_at is distinct from staged_totals.last_purchase_at
)

select * from final
