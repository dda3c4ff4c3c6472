-- How much of the revenue carries a cost the catalogue does not give, per sales
-- channel, as of the as-of date: the purchases counted in value (non-cancelled, on
-- or before the as-of date). Their cost is estimated with the observed cost ratio
-- (int_purchases_unioned), so gross margin is neither overstated (free goods) nor
-- silently dropped; this is the share a finance team should know rests on an
-- estimate. Store sales carry no items: their whole revenue is estimated.
-- uncosted_revenue: revenue with no basis at all (margin not counted).
with

purchases as (
    select * from {{ ref('int_purchases_valued') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

per_channel as (
    select
        channel,
        count(*) as purchases_count,
        count(*) filter (where unknown_cost_revenue > 0) as purchases_with_unknown_cost_count,
        sum(gross_revenue) as gross_revenue,
        sum(unknown_cost_revenue) as unknown_cost_revenue,
        coalesce(sum(estimated_cost), 0) as estimated_cost_of_goods,
        coalesce(sum(gross_revenue) filter (where cost_basis = 'unknown'), 0)
            as uncosted_revenue
    from purchases
    where is_purchase and not is_after_as_of_date
    group by channel
),

final as (
    select
        per_channel.channel,
        per_channel.purchases_count,
        per_channel.purchases_with_unknown_cost_count,
        cast(per_channel.gross_revenue as decimal(18, 2)) as gross_revenue,
        cast(per_channel.unknown_cost_revenue as decimal(18, 2)) as unknown_cost_revenue,
        {{ double_to_decimal(
            'cast(per_channel.unknown_cost_revenue as double) / nullif(per_channel.gross_revenue, 0)',
            9,
            4
        ) }} as unknown_cost_revenue_share,
        cast(per_channel.estimated_cost_of_goods as decimal(18, 2)) as estimated_cost_of_goods,
        cast(per_channel.uncosted_revenue as decimal(18, 2)) as uncosted_revenue,
        as_of.as_of_date
    from per_channel
    cross join as_of
)

select * from final
