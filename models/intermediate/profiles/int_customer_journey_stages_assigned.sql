{#- Each customer's journey stage as of the as-of date, from the purchases made
    on or before it (as the value models count them, int_purchases_valued):
      anonymous_visitor  not known: only cookies / device ids
      known_lead         known (email, phone or account), no purchase yet
      first_time_buyer   one purchase, within var('journey_lapsed_after_days')
      repeat_buyer       two or more purchases, the last within that window
      lapsed             purchased before, but not within that window
    An anonymous visitor never has purchases: a purchase carries an order id,
    loyalty id, email or phone, all of which make the customer known. -#}
{%- set lapsed_after_days = number_literal(
    var('journey_lapsed_after_days'), 'journey_lapsed_after_days'
) %}
with

customers as (
    select * from {{ ref('int_customers_summarized') }}
),

-- the purchases as the value models count them (int_purchases_valued: not cancelled,
-- a readable line, on or before the as-of date)
valued_purchases as (
    select * from {{ ref('int_purchases_valued') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

purchases as (
    select
        customer_id,
        count(*) as purchases_count,
        max(purchased_at) as last_purchase_at
    from valued_purchases
    where is_purchase and not is_after_as_of_date and customer_id is not null
    group by customer_id
),

final as (
    select
        customers.customer_id,
        case
            when not customers.is_known then 'anonymous_visitor'
            when purchases.customer_id is null then 'known_lead'
            when purchases.last_purchase_at
                < as_of.as_of_date - interval {{ lapsed_after_days }} day
                then 'lapsed'
            when purchases.purchases_count = 1 then 'first_time_buyer'
            else 'repeat_buyer'
        end as journey_stage,
        coalesce(purchases.purchases_count, 0) as purchases_to_date_count,
        as_of.as_of_date,
        purchases.last_purchase_at
    from customers
    cross join as_of
    left join purchases
        on customers.customer_id = purchases.customer_id
)

select * from final
