{#- docs/contract.md §3: one row per customer (buyers or not), as of the as-of date.
    Money in EUR. Purchases: non-cancelled shop orders plus store transactions made
    on or before the as-of date, with their refunds processed on or before it
    (int_purchases_valued decides both).
      net_revenue   gross_revenue - refunded_amount
      gross_margin  net_revenue - cost of the items kept (estimated for goods
                    without a catalogue cost; a purchase with no cost basis at all
                    adds no margin); unknown_cost_revenue says how much is estimated
    predicted_clv_12m uses the margin rate of the purchases with a known margin (the
    portfolio's when the customer has none; null when nobody has: no cost basis).
      return_rate   refunded_amount / gross_revenue
    R, F and M scores 1-5 by quintile of recency_days (recent = 5), purchases_count
    and net_revenue among buyers; tied values share a score (rank-based quintiles),
    so the scores never depend on row order. Segments and tiers: see the docs. -#}
{%- set shares = var('value_tier_margin_shares') %}
{%- set tier_shares = [] %}
{%- if shares is not string and shares is not mapping and shares is iterable %}
    {%- for share in shares %}
        {%- do tier_shares.append(number_literal(share, 'value_tier_margin_shares')) %}
    {%- endfor %}
{%- endif %}
{%- if tier_shares | length != 3
    or not (
        0 < tier_shares[0] | float and tier_shares[0] | float < tier_shares[1] | float
        and tier_shares[1] | float < tier_shares[2] | float and tier_shares[2] | float <= 1
    ) %}
    {{ exceptions.raise_compiler_error(
        'var value_tier_margin_shares must be three increasing shares between 0 and 1, got: '
        ~ shares
    ) }}
{%- endif %}
with

customers as (
    select * from {{ ref('int_customers_summarized') }}
),

purchases as (
    select * from {{ ref('int_purchases_valued') }}
),

predictions as (
    select * from {{ ref('int_customer_clv_predicted') }}
),

experience as (
    select * from {{ ref('int_customer_experience_summarized') }}
),

touchpoints as (
    select * from {{ ref('customer_touchpoints') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

purchase_totals as (
    select
        purchases.customer_id,
        count(*) as purchases_count,
        sum(purchases.return_count) as return_count,
        sum(purchases.gross_revenue) as gross_revenue,
        sum(purchases.refunded_amount) as refunded_amount,
        sum(purchases.net_revenue) as net_revenue,
        coalesce(sum(purchases.gross_margin), 0) as gross_margin,
        -- the net revenue behind a known (catalogue or estimated) margin
        coalesce(sum(purchases.net_revenue) filter (where purchases.gross_margin is not null), 0)
            as costed_net_revenue,
        sum(purchases.unknown_cost_revenue) as unknown_cost_revenue,
        min(purchases.purchased_at) as first_purchase_at,
        max(purchases.purchased_at) as last_purchase_at
    from purchases
    where purchases.is_purchase
        and not purchases.is_after_as_of_date
        and purchases.customer_id is not null
    group by purchases.customer_id
),

buyers as (
    select
        purchase_totals.*,
        {{ days_between('cast(purchase_totals.last_purchase_at as date)', 'as_of.as_of_date') }}
            as recency_days,
        {{ days_between('cast(purchase_totals.first_purchase_at as date)', 'as_of.as_of_date') }}
            as tenure_days,
        count(*) over () as buyer_count
    from purchase_totals
    cross join as_of
),

scored as (
    select
        *,
        1 + floor(5 * (rank() over (order by recency_days desc) - 1) / buyer_count) as r_score,
        1 + floor(5 * (rank() over (order by purchases_count asc) - 1) / buyer_count) as f_score,
        1 + floor(5 * (rank() over (order by net_revenue asc) - 1) / buyer_count) as m_score,
        -- share of the total positive margin carried by the customers ranked above
        -- (money is divided as DOUBLE, explicitly: Spark would keep a DECIMAL)
        cast(coalesce(
            sum(greatest(gross_margin, 0)) over (
                order by gross_margin desc, customer_id asc
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as double) / nullif(sum(greatest(gross_margin, 0)) over (), 0) as margin_share_before,
        cast(sum(gross_margin) over () as double) / nullif(sum(costed_net_revenue) over (), 0)
            as portfolio_margin_rate
    from buyers
),

engagement as (
    select
        touchpoints.customer_id,
        count(*) filter (where touchpoints.touchpoint_type = 'sent') as email_sent_count,
        count(*) filter (where touchpoints.touchpoint_type = 'open') as email_open_count,
        count(*) filter (where touchpoints.touchpoint_type = 'click') as email_click_count,
        count(*) filter (
            where touchpoints.channel in ('web', 'app')
            and touchpoints.occurred_at >= as_of.as_of_date - interval 29 day
        ) as web_events_30d,
        max(touchpoints.occurred_at) filter (
            where touchpoints.channel in ('web', 'app')
        ) as last_web_activity_at
    from touchpoints
    cross join as_of
    where touchpoints.customer_id is not null
        and touchpoints.channel in ('email', 'web', 'app')
        and touchpoints.occurred_at < as_of.as_of_date + interval 1 day
    group by touchpoints.customer_id
),

final as (
    select
        customers.customer_id,
        case
            when scored.customer_id is null then 'non_buyer'
            when scored.r_score >= 4 and scored.f_score >= 4 and scored.m_score >= 4
                then 'champions'
            when scored.r_score <= 2 and scored.f_score >= 4 and scored.m_score >= 4
                then 'cannot_lose_them'
            when scored.r_score >= 3 and scored.f_score >= 4 then 'loyal'
            when scored.r_score <= 2 and scored.f_score >= 3 then 'at_risk'
            when scored.r_score >= 4 and scored.f_score = 1 then 'new_customers'
            when scored.r_score >= 4 then 'potential_loyalists'
            when scored.r_score = 3 and scored.f_score <= 2 then 'promising'
            when scored.r_score = 2 then 'hibernating'
            when scored.r_score = 1 then 'lost'
            else 'needs_attention'
        end as rfm_segment,
        case
            when scored.customer_id is null then 'prospect'
            when scored.gross_margin > 0 and scored.margin_share_before < {{ tier_shares[0] }}
                then 'platinum'
            when scored.gross_margin > 0 and scored.margin_share_before < {{ tier_shares[1] }}
                then 'gold'
            when scored.gross_margin > 0 and scored.margin_share_before < {{ tier_shares[2] }}
                then 'silver'
            else 'bronze'
        end as value_tier,
        coalesce(scored.purchases_count, 0) as purchases_count,
        cast(coalesce(scored.return_count, 0) as bigint) as return_count,
        cast(scored.r_score as integer) as r_score,
        cast(scored.f_score as integer) as f_score,
        cast(scored.m_score as integer) as m_score,
        scored.recency_days,
        scored.tenure_days,
        cast(coalesce(scored.gross_revenue, 0) as decimal(18, 2)) as gross_revenue,
        cast(coalesce(scored.refunded_amount, 0) as decimal(18, 2)) as refunded_amount,
        cast(coalesce(scored.net_revenue, 0) as decimal(18, 2)) as net_revenue,
        cast(coalesce(scored.gross_margin, 0) as decimal(18, 2)) as gross_margin,
        cast(coalesce(scored.unknown_cost_revenue, 0) as decimal(18, 2)) as unknown_cost_revenue,
        {{ double_to_decimal(
            'cast(scored.refunded_amount as double) / nullif(scored.gross_revenue, 0)', 9, 4
        ) }} as return_rate,
        {{ double_to_decimal(
            'cast(scored.gross_revenue as double) / scored.purchases_count', 18, 2
        ) }} as average_order_value,
        {{ round_double('predictions.predicted_purchases', 4) }} as predicted_purchases_12m,
        {{ round_double('predictions.probability_alive', 4) }} as probability_alive,
        {{ double_to_decimal(round_double(
            'predictions.predicted_purchases
            * predictions.expected_average_net_revenue
            * case
                when scored.costed_net_revenue > 0
                    then greatest(
                        0, least(1, cast(scored.gross_margin as double) / scored.costed_net_revenue)
                    )
                -- greatest and least skip nulls: no margin known anywhere gives null
                when scored.portfolio_margin_rate is not null
                    then greatest(0, least(1, scored.portfolio_margin_rate))
            end',
            2
        ), 18, 2) }} as predicted_clv_12m,
        coalesce(engagement.email_sent_count, 0) as email_sent_count,
        {{ double_to_decimal(
            'engagement.email_open_count / nullif(engagement.email_sent_count, 0)', 9, 4
        ) }} as email_open_rate,
        {{ double_to_decimal(
            'engagement.email_click_count / nullif(engagement.email_sent_count, 0)', 9, 4
        ) }} as email_click_rate,
        coalesce(engagement.web_events_30d, 0) as web_events_30d,
        coalesce(experience.social_follower_count, 0) as social_follower_count,
        scored.customer_id is not null as is_buyer,
        coalesce(
            scored.gross_margin > 0 and scored.margin_share_before < {{ tier_shares[0] }}, false
        ) as is_strategic,
        as_of.as_of_date,
        scored.first_purchase_at,
        scored.last_purchase_at,
        engagement.last_web_activity_at
    from customers
    cross join as_of
    left join scored
        on customers.customer_id = scored.customer_id
    left join predictions
        on customers.customer_id = predictions.customer_id
    left join engagement
        on customers.customer_id = engagement.customer_id
    left join experience
        on customers.customer_id = experience.customer_id
)

select * from final
