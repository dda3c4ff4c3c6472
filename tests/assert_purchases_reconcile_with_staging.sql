-- The purchases fact reconciles with staging: one row per staged order and store
-- transaction, whatever the as-of date, and those after it flagged; order revenue
-- equals the revenue of their staged lines; every staged refund processed on or
-- before the as-of date is in the fact, in an unmatched return, or left out as the
-- data-quality list of implausible values says (a return before its order, a refund
-- above its purchase), and none processed after it is in the fact. Returns what
-- differs.
with

purchases as (
    select * from {{ ref('customer_purchases') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

order_lines as (
    select * from {{ ref('int_order_lines_costed') }}
),

staged_returns as (
    select * from {{ ref('stg_returns__returns') }}
),

matched_returns as (
    select * from {{ ref('int_returns_matched') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

implausible as (
    select * from {{ ref('dq_implausible_values') }}
),

fact_totals as (
    select
        count(*) filter (where source_table = 'shop_orders') as order_rows,
        count(*) filter (where source_table = 'pos_transactions') as store_rows,
        count(*) filter (where is_after_as_of_date) as rows_after_as_of_date,
        coalesce(sum(gross_revenue) filter (where source_table = 'shop_orders'), 0)
            as order_revenue,
        coalesce(sum(refunded_amount), 0) as refunds
    from purchases
),

staged_totals as (
    select
        (select count(*) from orders) as order_rows,
        (select count(*) from pos_transactions) as store_rows,
        (
            select count(*) from orders
            where ordered_at >= (select as_of.as_of_date from as_of) + interval 1 day
        ) + (
            select count(*) from pos_transactions
            where transacted_at >= (select as_of.as_of_date from as_of) + interval 1 day
        ) as rows_after_as_of_date,
        (select coalesce(sum(line_revenue), 0) from order_lines) as order_revenue,
        (
            select coalesce(sum(refund_amount), 0) from staged_returns
            where returned_at < (select as_of.as_of_date from as_of) + interval 1 day
        ) as refunds,
        (
            select coalesce(sum(refund_amount), 0) from matched_returns
            where not is_matched
                and returned_at < (select as_of.as_of_date from as_of) + interval 1 day
        ) as unmatched_refunds,
        (
            select coalesce(sum(amount_as_sent - amount_counted), 0) from implausible
            where source_table = 'returns'
                and business_at < (select as_of.as_of_date from as_of) + interval 1 day
        ) as refunds_left_out
),

final as (
    select
        fact_totals.*,
        staged_totals.*
    from fact_totals
    cross join staged_totals
    where fact_totals.order_rows <> staged_totals.order_rows
        or fact_totals.store_rows <> staged_totals.store_rows
        or fact_totals.rows_after_as_of_date <> staged_totals.rows_after_as_of_date
        or fact_totals.order_revenue <> staged_totals.order_revenue
        or fact_totals.refunds + staged_totals.unmatched_refunds + staged_totals.refunds_left_out
        <> staged_totals.refunds
)

select * from final
