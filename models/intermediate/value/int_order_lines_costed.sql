-- Every staged order line in EUR, with its cost of goods. Revenue is quantity x
-- unit price - discount, converted at the order's rate (the rate of the order
-- date, from staging). Cost is quantity x the catalogue's unit cost, converted
-- from the product's currency at the rate of the order date; null when the sku
-- is not in the catalogue. Lines whose order is not staged keep a null order
-- (the purchases reconciliation test counts them).
with

order_lines as (
    select * from {{ ref('stg_shop__order_lines') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

products as (
    select * from {{ ref('stg_catalog__products') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

priced as (
    select
        order_lines.order_id,
        order_lines.line_number,
        order_lines.sku,
        order_lines.quantity,
        orders.ordered_at,
        {{ convert_to_eur(
            'order_lines.quantity * order_lines.unit_price_in_order_currency'
            ~ ' - coalesce(order_lines.discount_amount_in_order_currency, 0)',
            'orders.eur_per_unit'
        ) }} as line_revenue,
        products.unit_cost_in_currency,
        products.currency as cost_currency
    from order_lines
    left join orders
        on order_lines.order_id = orders.order_id
    left join products
        on order_lines.sku = products.sku
),

final as (
    select
        priced.order_id,
        priced.line_number,
        priced.sku,
        priced.quantity,
        priced.line_revenue,
        {{ convert_to_eur(
            'priced.quantity * priced.unit_cost_in_currency',
            eur_rate('priced.cost_currency', 'cost_rates.eur_per_unit')
        ) }} as line_cost,
        priced.ordered_at
    from priced
    {{ rate_asof_join(
        'currency_rates', 'cost_rates', 'priced.cost_currency', 'priced.ordered_at'
    ) }}
)

select * from final
