-- Every purchase attempt in one shape, in EUR: shop orders (revenue and cost summed
-- over their lines) and store transactions. Cancelled orders stay, flagged, so the
-- model reconciles with staging; they are not purchases (docs/contract.md §2), and
-- neither is an order without a readable line (value_check_reason).
-- Goods without a catalogue cost are never free: their cost is estimated with the
-- observed cost ratio (cost / revenue of the non-cancelled shop orders fully
-- costed from the catalogue and placed on or before the as-of date, for the brand,
-- else for all brands), and unknown_cost_revenue says how much revenue that is.
-- Store sales carry no items, so their cost is always estimated: the amount times
-- var('store_cost_of_goods_ratio'), or when unset the observed ratio. Cost basis:
--   catalog    every line's cost from the catalogue
--   partial    some lines from the catalogue, the others estimated
--   estimated  all of it estimated (store sales, orders of uncosted skus)
--   unknown    no basis (no line staged, or nothing to estimate from): cost null
{%- set store_ratio = var('store_cost_of_goods_ratio') %}
with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

order_lines as (
    select * from {{ ref('int_order_lines_costed') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

order_totals as (
    select
        order_id,
        count(*) as line_count,
        sum(line_revenue) as gross_revenue,
        coalesce(sum(line_cost), 0) as catalog_cost,
        coalesce(sum(line_revenue) filter (where line_cost is null), 0)
            as unknown_cost_revenue,
        count(*) filter (where line_cost is null) as lines_without_cost
    from order_lines
    group by order_id
),

shop_orders as (
    select
        orders.order_id,
        orders.brand,
        orders.status,
        orders.currency,
        orders.eur_per_unit,
        coalesce(order_totals.line_count, 0) as line_count,
        coalesce(order_totals.gross_revenue, 0) as gross_revenue,
        order_totals.catalog_cost,
        coalesce(order_totals.unknown_cost_revenue, 0) as unknown_cost_revenue,
        order_totals.lines_without_cost,
        orders.ordered_at
    from orders
    left join order_totals
        on orders.order_id = order_totals.order_id
),

-- the observed cost ratio comes from what was known on the as-of date
costed_orders as (
    select shop_orders.*
    from shop_orders
    cross join as_of
    where shop_orders.status <> 'cancelled'
        and shop_orders.line_count > 0
        and shop_orders.lines_without_cost = 0
        and shop_orders.ordered_at < as_of.as_of_date + interval 1 day
),

brand_cost_ratios as (
    select
        brand,
        -- money is divided as DOUBLE, explicitly: Spark would keep a DECIMAL
        cast(sum(catalog_cost) as double) / nullif(sum(gross_revenue), 0) as cost_ratio
    from costed_orders
    where brand is not null
    group by brand
),

overall_cost_ratio as (
    select cast(sum(catalog_cost) as double) / nullif(sum(gross_revenue), 0) as cost_ratio
    from costed_orders
),

shop_orders_estimated as (
    select
        shop_orders.*,
        case
            when shop_orders.line_count = 0 then null
            when shop_orders.lines_without_cost = 0 then 0
            else {{ round_double(
                    'shop_orders.unknown_cost_revenue
                    * coalesce(brand_ratios.cost_ratio, overall_ratio.cost_ratio)',
                    2
                ) }}
        end as estimated_cost
    from shop_orders
    left join brand_cost_ratios as brand_ratios
        on shop_orders.brand = brand_ratios.brand
    cross join overall_cost_ratio as overall_ratio
),

store_sales as (
    select
        pos_transactions.transaction_id,
        pos_transactions.brand,
        pos_transactions.currency,
        pos_transactions.eur_per_unit,
        pos_transactions.amount as gross_revenue,
        {%- if store_ratio is not none %}
        cast({{ number_literal(store_ratio, 'store_cost_of_goods_ratio') }} as double)
            as cost_ratio,
        {%- else %}
            coalesce(brand_ratios.cost_ratio, overall_ratio.cost_ratio) as cost_ratio,
        {%- endif %}
        pos_transactions.transacted_at
    from pos_transactions
    left join brand_cost_ratios as brand_ratios
        on pos_transactions.brand = brand_ratios.brand
    cross join overall_cost_ratio as overall_ratio
),

unioned as (
    select
        'shop_orders' as source_table,
        order_id as record_key,
        'online_shop' as channel,
        brand,
        status,
        currency,
        eur_per_unit,
        case
            when estimated_cost is null then 'unknown'
            when lines_without_cost = 0 then 'catalog'
            when lines_without_cost < line_count then 'partial'
            else 'estimated'
        end as cost_basis,
        line_count,
        gross_revenue,
        catalog_cost + estimated_cost as cost_of_goods,
        estimated_cost,
        unknown_cost_revenue,
        ordered_at as purchased_at
    from shop_orders_estimated
    union all
    select
        'pos_transactions' as source_table,
        transaction_id as record_key,
        'store' as channel,
        brand,
        'completed' as status,
        currency,
        eur_per_unit,
        case when cost_ratio is null then 'unknown' else 'estimated' end as cost_basis,
        0 as line_count,
        gross_revenue,
        {{ round_double('gross_revenue * cost_ratio', 2) }} as cost_of_goods,
        {{ round_double('gross_revenue * cost_ratio', 2) }} as estimated_cost,
        gross_revenue as unknown_cost_revenue,
        transacted_at as purchased_at
    from store_sales
),

final as (
    select
        source_table || ':' || record_key as purchase_id,
        source_table,
        record_key,
        channel,
        brand,
        status,
        cost_basis,
        line_count,
        cast(gross_revenue as decimal(18, 2)) as gross_revenue,
        cast(cost_of_goods as decimal(18, 2)) as cost_of_goods,
        cast(estimated_cost as decimal(18, 2)) as estimated_cost,
        cast(unknown_cost_revenue as decimal(18, 2)) as unknown_cost_revenue,
        status = 'cancelled' as is_cancelled,
        -- an order none of whose lines could be read is worth an unknown amount: no
        -- purchase (it would count as one worth 0), listed in dq_implausible_values
        case
            when source_table = 'shop_orders' and status <> 'cancelled' and line_count = 0
                then 'order_without_readable_lines'
        end as value_check_reason,
        -- the one rule of what is a purchase (docs/contract.md §2), for value and
        -- touchpoints alike
        status <> 'cancelled'
        and not (source_table = 'shop_orders' and line_count = 0) as is_purchase,
        currency,
        eur_per_unit,
        purchased_at
    from unioned
)

select * from final
