-- The purchases fact: one row per shop order and store transaction, in EUR, with
-- its customer, refunds, cost of goods and margin (int_purchases_valued).
-- Cancelled orders are kept with is_purchase false, so the fact reconciles with
-- staging; every value figure counts only rows with is_purchase true.
with

purchases as (
    select * from {{ ref('int_purchases_valued') }}
),

final as (
    select
        purchase_id,
        customer_id,
        source_table,
        record_key,
        channel,
        brand,
        status,
        cost_basis,
        line_count,
        return_count,
        gross_revenue,
        refunded_amount,
        net_revenue,
        cost_of_goods,
        returned_cost,
        gross_margin,
        is_purchase,
        purchased_at
    from purchases
)

select * from final
