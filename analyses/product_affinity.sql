-- Product affinity for cross-sell: pairs of products bought by the same customers
-- (over all their non-cancelled orders, not only in one basket), with
--   customers_both  customers who bought both
--   confidence      share of the buyers of product_a who also bought product_b
--   lift            confidence / share of all buyers who bought product_b (> 1: affinity)
--
--   dbt show --select product_affinity --limit 20 --vars '{min_customers: 5}'
{%- set min_customers = var('min_customers', 3) %}
with

order_lines as (
    select * from {{ ref('int_order_lines_costed') }}
),

purchases as (
    select * from {{ ref('customer_purchases') }}
),

products as (
    select * from {{ ref('stg_catalog__products') }}
),

customer_products as (
    select distinct
        purchases.customer_id,
        order_lines.sku
    from order_lines
    inner join purchases
        on purchases.source_table = 'shop_orders'
            and order_lines.order_id = purchases.record_key
    where purchases.is_purchase and purchases.customer_id is not null
),

buyers_per_product as (
    select
        sku,
        count(*) as buyers
    from customer_products
    group by sku
),

all_buyers as (
    select count(distinct customer_id) as buyers from customer_products
),

pairs as (
    select
        product_a.sku as product_a,
        product_b.sku as product_b,
        count(*) as customers_both
    from customer_products as product_a
    inner join customer_products as product_b
        on product_a.customer_id = product_b.customer_id
            and product_a.sku <> product_b.sku
    group by product_a.sku, product_b.sku
    having count(*) >= {{ number_literal(min_customers, 'min_customers') }}
),

final as (
    select
        pairs.product_a,
        name_a.product_name as product_a_name,
        pairs.product_b,
        name_b.product_name as product_b_name,
        pairs.customers_both,
        round(pairs.customers_both / buyers_a.buyers, 4) as confidence,
        round(
            (pairs.customers_both / buyers_a.buyers) / (buyers_b.buyers / all_buyers.buyers), 3
        ) as lift
    from pairs
    cross join all_buyers
    inner join buyers_per_product as buyers_a
        on pairs.product_a = buyers_a.sku
    inner join buyers_per_product as buyers_b
        on pairs.product_b = buyers_b.sku
    left join products as name_a
        on pairs.product_a = name_a.sku
    left join products as name_b
        on pairs.product_b = name_b.sku
    order by lift desc, pairs.customers_both desc, pairs.product_a asc, pairs.product_b asc
)

select * from final
