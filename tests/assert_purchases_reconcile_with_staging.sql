-- The purchases fact reconciles with staging: one row per staged order and store
-- transaction; order revenue equals the revenue of their staged lines; every
-- staged refund is in the fact or in an unmatched return. Returns what differs.
with

purchases as (
    select * from {{ ref('customer_purchases') }}
),

order_lines as (
    select * from {{ ref('int_order_lines_costed') }}
),

returns as (
    select * from {{ ref('int_returns_matched') }}
),

checks as (
    select
        'shop_orders rows' as check_name,
        (select count(*) from {{ ref('stg_shop__orders') }}) as expected,
        count(*) filter (where source_table = 'shop_orders') as actual
    from purchases
    union all
    select
        'pos_transactions rows' as check_name,
        (select count(*) from {{ ref('stg_pos__transactions') }}) as expected,
        count(*) filter (where source_table = 'pos_transactions') as actual
    from purchases
    union all
    select
        'order revenue' as check_name,
        (select sum(line_revenue) from order_lines where order_id is not null) as expected,
        sum(gross_revenue) filter (where source_table = 'shop_orders') as actual
    from purchases
    union all
    select
        'refunds' as check_name,
        (select sum(refund_amount) from {{ ref('stg_returns__returns') }}) as expected,
        sum(refunded_amount)
        + (select coalesce(sum(refund_amount), 0) from returns where not is_matched) as actual
    from purchases
),

final as (
    select * from checks
    where expected is distinct from actual
        and not (expected is null and actual = 0)
)

select * from final
