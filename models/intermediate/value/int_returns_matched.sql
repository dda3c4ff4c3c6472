-- Every staged return with the purchase it refunds (a shop order or a store
-- transaction), the refund that counts and the cost of the returned goods, which go
-- back into stock: quantity x the catalogue cost of the sku at the purchase date, or,
-- without a catalogue cost, the counted refund times the purchase's own cost ratio. A
-- return whose purchase is not staged stays, unmatched (is_matched false), so refunds
-- reconcile. A return that cannot be right never silently moves value
-- (value_check_reason, listed in dq_implausible_values):
--   return_before_order   dated before its purchase: not counted
--   refund_exceeds_order  the refunds of a purchase, in the order they were made, add up
--                         to more than the purchase was worth: the refund counts up to
--                         what was left (the goods did come back). A refund in the
--                         purchase's own currency is compared at the return's rate, so
--                         a full refund is never cut by a change of the exchange rate.
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
        returns.currency,
        returns.eur_per_unit,
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
        -- what the purchase was worth, in EUR at the return's rate when refunded in
        -- the purchase's own currency
        case
            when referenced.currency = purchases.currency and purchases.eur_per_unit > 0
                then purchases.gross_revenue * referenced.eur_per_unit / purchases.eur_per_unit
            else purchases.gross_revenue
        end as purchase_refundable,
        products.unit_cost_in_currency,
        products.currency as cost_currency
    from referenced
    left join purchases
        on referenced.purchase_id = purchases.purchase_id
    left join products
        on referenced.sku = products.sku
),

dated as (
    select
        *,
        is_matched and returned_at < purchased_at as is_before_purchase
    from with_purchase
),

-- the refunds of the same purchase counted before this one (in time, then id)
running as (
    select
        *,
        coalesce(
            sum(case when not is_before_purchase then refund_amount end) over (
                partition by purchase_id
                order by returned_at, return_id
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as refunded_before
    from dated
),

counted as (
    select
        *,
        cast(case
            when is_before_purchase then 0
            when not is_matched then refund_amount
            else greatest(least(refund_amount, purchase_refundable - refunded_before), 0)
        end as decimal(18, 2)) as refund_counted
    from running
),

final as (
    select
        counted.return_id,
        counted.purchase_id,
        counted.sku,
        counted.quantity,
        counted.refund_counted as refund_amount,
        counted.refund_amount as refund_amount_as_sent,
        -- a return not counted brings no goods back
        coalesce(
            {{ convert_to_eur(
                'counted.quantity * counted.unit_cost_in_currency',
                eur_rate('counted.cost_currency', 'cost_rates.eur_per_unit')
            ) }},
            {{ double_to_decimal(round_double(
                'cast(counted.refund_counted * counted.purchase_cost_of_goods as double)
                / nullif(counted.purchase_gross_revenue, 0)',
                2
            ), 18, 2) }}
        ) * case when counted.is_before_purchase then 0 else 1 end as returned_cost,
        counted.is_matched,
        counted.is_matched and not counted.is_before_purchase as is_counted,
        case
            when counted.is_before_purchase then 'return_before_order'
            when counted.refund_counted < counted.refund_amount then 'refund_exceeds_order'
        end as value_check_reason,
        counted.returned_at
    from counted
    {{ rate_asof_join(
        'currency_rates', 'cost_rates', 'counted.cost_currency', 'counted.purchased_at'
    ) }}
)

select * from final
