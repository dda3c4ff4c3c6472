-- Which open orders to ship first when stock is short: open orders (placed or paid,
-- not yet shipped) that contain a sku, strategic customers first (the ones who
-- carry the top share of gross margin), then by value tier, predicted 12-month
-- CLV, and finally first come first served.
--
--   dbt show --select backorder_priority --limit 50 --vars '{sku: "SKU-00042"}'
--
-- Without the sku var, every open order is ranked.
{%- set sku = var('sku', none) %}
with

purchases as (
    select * from {{ ref('customer_purchases') }}
),

order_lines as (
    select * from {{ ref('int_order_lines_costed') }}
),

customer_value as (
    select * from {{ ref('customer_value') }}
),

open_orders as (
    select
        purchases.record_key as order_id,
        purchases.customer_id,
        purchases.gross_revenue,
        purchases.purchased_at as ordered_at
    from purchases
    where purchases.source_table = 'shop_orders'
        and purchases.status in ('placed', 'paid')
),

waiting_lines as (
    select
        order_id,
        sum(quantity) as units_waiting
    from order_lines
    {%- if sku %}
        where sku = {{ quote_literal(sku) }}
    {%- endif %}
    group by order_id
),

final as (
    select
        row_number() over (
            order by
                coalesce(customer_value.is_strategic, false) desc,
                case customer_value.value_tier
                    when 'platinum' then 1
                    when 'gold' then 2
                    when 'silver' then 3
                    when 'bronze' then 4
                    else 5
                end asc,
                customer_value.predicted_clv_12m desc nulls last,
                open_orders.ordered_at asc,
                open_orders.order_id asc
        ) as ship_priority,
        open_orders.order_id,
        open_orders.customer_id,
        customer_value.is_strategic,
        customer_value.value_tier,
        customer_value.predicted_clv_12m,
        waiting_lines.units_waiting,
        open_orders.gross_revenue,
        open_orders.ordered_at
    from open_orders
    inner join waiting_lines
        on open_orders.order_id = waiting_lines.order_id
    left join customer_value
        on open_orders.customer_id = customer_value.customer_id
    order by ship_priority
)

select * from final
