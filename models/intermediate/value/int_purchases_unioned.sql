-- Every purchase attempt in one shape, in EUR: shop orders (revenue and cost summed
-- over their lines) and store transactions. Cancelled orders stay, flagged, so the
-- model reconciles with staging; they are not purchases (docs/contract.md §2).
-- Cost basis: `catalog` (every line's product cost known), `partial` (some lines
-- without a catalogue cost), `estimated` (store sales carry no items: the amount
-- times var('store_cost_of_goods_ratio'), or when unset the web shop's observed
-- cost ratio for the brand, else for all brands), `unknown` (no basis at all).
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

order_totals as (
    select
        order_id,
        count(*) as line_count,
        sum(line_revenue) as gross_revenue,
        sum(line_cost) as cost_of_goods,
        count(*) filter (where line_cost is null) as lines_without_cost
    from order_lines
    group by order_id
),

shop_orders as (
    select
        orders.order_id,
        orders.brand,
        orders.status,
        coalesce(order_totals.line_count, 0) as line_count,
        coalesce(order_totals.gross_revenue, 0) as gross_revenue,
        order_totals.cost_of_goods,
        case
            when order_totals.line_count is null then 'unknown'
            when order_totals.lines_without_cost = 0 then 'catalog'
            when order_totals.lines_without_cost < order_totals.line_count then 'partial'
            else 'unknown'
        end as cost_basis,
        orders.ordered_at
    from orders
    left join order_totals
        on orders.order_id = order_totals.order_id
),

-- cost / revenue of the non-cancelled orders fully costed from the catalogue
costed_orders as (
    select * from shop_orders
    where status <> 'cancelled' and cost_basis = 'catalog'
),

brand_cost_ratios as (
    select
        brand,
        sum(cost_of_goods) / nullif(sum(gross_revenue), 0) as cost_ratio
    from costed_orders
    where brand is not null
    group by brand
),

overall_cost_ratio as (
    select sum(cost_of_goods) / nullif(sum(gross_revenue), 0) as cost_ratio
    from costed_orders
),

store_sales as (
    select
        pos_transactions.transaction_id,
        pos_transactions.brand,
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
        line_count,
        gross_revenue,
        cost_of_goods,
        cost_basis,
        ordered_at as purchased_at
    from shop_orders
    union all
    select
        'pos_transactions' as source_table,
        transaction_id as record_key,
        'store' as channel,
        brand,
        'completed' as status,
        0 as line_count,
        gross_revenue,
        cast(round(gross_revenue * cost_ratio, 2) as decimal(18, 2)) as cost_of_goods,
        case when cost_ratio is null then 'unknown' else 'estimated' end as cost_basis,
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
        status = 'cancelled' as is_cancelled,
        purchased_at
    from unioned
)

select * from final
