-- The inputs of the CLV models per buyer, as of the as-of date (purchases on or
-- before it, net of the refunds processed on or before it: int_purchases_valued),
-- in time units of var('clv_time_unit_days') (7: weeks). Purchases on one day
-- count as one (the models count purchase occasions), with their net revenue summed:
--   frequency       x:   purchase days after the first
--   recency         t_x: time from the first to the last purchase day
--   age             T:   time from the first purchase day to the as-of date
--   monetary_value  m_x: mean net revenue of the repeat purchase days (null if x = 0)
{%- set time_unit_days = number_literal(var('clv_time_unit_days'), 'clv_time_unit_days') %}
with

purchases as (
    select * from {{ ref('int_purchases_valued') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

purchase_days as (
    select
        purchases.customer_id,
        cast(purchases.purchased_at as date) as purchase_date,
        sum(purchases.net_revenue) as net_revenue
    from purchases
    where purchases.is_purchase
        and not purchases.is_after_as_of_date
        and purchases.customer_id is not null
    group by purchases.customer_id, cast(purchases.purchased_at as date)
),

numbered as (
    select
        *,
        row_number() over (partition by customer_id order by purchase_date) as day_number
    from purchase_days
),

final as (
    select
        numbered.customer_id,
        count(*) - 1 as frequency,
        {{ days_between('min(numbered.purchase_date)', 'max(numbered.purchase_date)') }}
        / {{ time_unit_days }} as recency,
        {{ days_between('min(numbered.purchase_date)', 'any_value(as_of.as_of_date)') }}
        / {{ time_unit_days }} as age,
        -- the mean as the DOUBLE nearest the exact one on both engines: whole cents over
        -- 100 x the count, each exact as a DOUBLE, in one (correctly rounded) division.
        -- (avg of a DECIMAL is a DOUBLE on DuckDB, a DECIMAL rounded to 6 places on Spark.)
        cast(sum(numbered.net_revenue * 100) filter (where numbered.day_number > 1) as double)
        / nullif(count(numbered.net_revenue) filter (where numbered.day_number > 1) * 100, 0)
            as monetary_value,
        min(numbered.purchase_date) as first_purchase_date
    from numbered
    cross join as_of
    group by numbered.customer_id
)

select * from final
