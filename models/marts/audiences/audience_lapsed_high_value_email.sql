-- Activation: win-back email audience that combines value and consent. High-value
-- customers (value tier platinum or gold) whose journey stage is lapsed (no
-- purchase within var('journey_lapsed_after_days')) and who may be emailed: every
-- member is a member of audience_email_marketing, so consent, erasure and the
-- suppression list apply unchanged.
with

email_audience as (
    select * from {{ ref('audience_email_marketing') }}
),

customer_value as (
    select * from {{ ref('customer_value') }}
),

profiles as (
    select * from {{ ref('customer_profiles') }}
),

final as (
    select
        email_audience.customer_id,
        email_audience.email,
        email_audience.email_sha256,
        email_audience.first_name,
        customer_value.value_tier,
        customer_value.rfm_segment,
        customer_value.purchases_count,
        customer_value.net_revenue,
        customer_value.gross_margin,
        customer_value.predicted_clv_12m,
        customer_value.recency_days,
        customer_value.last_purchase_at
    from email_audience
    inner join customer_value
        on email_audience.customer_id = customer_value.customer_id
    inner join profiles
        on email_audience.customer_id = profiles.customer_id
    where customer_value.value_tier in ('platinum', 'gold')
        and profiles.journey_stage = 'lapsed'
)

select * from final
