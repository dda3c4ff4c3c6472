-- The purchases fact: one row per staged shop order and store transaction, in EUR,
-- with its customer, refunds, cost of goods and margin as of the as-of date
-- (int_purchases_valued). Every staged purchase is a row, so the fact reconciles
-- with staging whatever the date: cancelled orders with is_purchase false,
-- purchases after the as-of date with is_after_as_of_date true, and returns after
-- that date in no row's refunds. Value figures count the rows with is_purchase
-- true and is_after_as_of_date false.
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
        unknown_cost_revenue,
        is_purchase,
        is_after_as_of_date,
        as_of_date,
        purchased_at
    from purchases
)

select * from final
