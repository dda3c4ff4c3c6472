-- Every staged return with the purchase it refunds (a shop order or a store
-- transaction) and the cost of the returned goods, which go back into stock:
-- quantity x the catalogue cost of the sku at the purchase date, or, without a
-- catalogue cost, the refund times the purchase's own cost ratio. A return whose
-- purchase is not staged stays, unmatched (is_matched false), so refunds reconcile.
with

returns as (
    select * from {{ ref('stg_returns__returns') }}
),

purchases as (
    select * from {{ ref('int_purchases_unioned') }}
),

products as (
    select * from {{ ref('stg_catalog__products') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

referenced as (
    select
        returns.return_id,
        case
            when returns.order_id is not null then 'shop_orders:' || returns.order_id
            else 'pos_transactions:' || returns.pos_transaction_id
        end as purchase_id,
        returns.sku,
        returns.quantity,
        returns.refund_amount,
        returns.returned_at
    from returns
),

with_purchase as (
    select
        referenced.*,
        purchases.purchase_id is not null as is_matched,
        purchases.gross_revenue as purchase_gross_revenue,
        purchases.cost_of_goods as purchase_cost_of_goods,
        purchases.purchased_at,
        products.unit_cost_in_currency,
        products.currency as cost_currency
    from referenced
    left join purchases
        on referenced.purchase_id = purchases.purchase_id
    left join products
        on referenced.sku = products.sku
),

final as (
    select
        with_purchase.return_id,
        with_purchase.purchase_id,
        with_purchase.sku,
        with_purchase.quantity,
        with_purchase.refund_amount,
        coalesce(
            {{ convert_to_eur(
                'with_purchase.quantity * with_purchase.unit_cost_in_currency',
                eur_rate('with_purchase.cost_currency', 'cost_rates.eur_per_unit')
            ) }},
            {{ double_to_decimal(round_double(
                'cast(with_purchase.refund_amount * with_purchase.purchase_cost_of_goods as double)
                / nullif(with_purchase.purchase_gross_revenue, 0)',
                2
            ), 18, 2) }}
        ) as returned_cost,
        with_purchase.is_matched,
        with_purchase.returned_at
    from with_purchase
    {{ rate_asof_join(
        'currency_rates', 'cost_rates', 'with_purchase.cost_currency', 'with_purchase.purchased_at'
    ) }}
)

select * from final
