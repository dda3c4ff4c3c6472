-- One row per interaction across every channel (web and app events, shop orders,
-- store purchases, email activity, support tickets, survey responses), with the
-- customer it belongs to (int_records_stitched). A touchpoint whose identifiers
-- are all non-stitching, or that carries none (a store sale without a loyalty
-- card), stays with a null customer_id: it is real activity, so counts reconcile
-- with staging, but it belongs to nobody. Holds no personal data.
with

touchpoints as (
    select * from {{ ref('int_touchpoints_unioned') }}
),

records as (
    select * from {{ ref('int_records_stitched') }}
),

-- the one rule of what is a purchase (int_purchases_unioned)
purchases as (
    select * from {{ ref('int_purchases_unioned') }}
),

final as (
    select
        touchpoints.touchpoint_id,
        records.customer_id,
        touchpoints.source_table,
        touchpoints.record_key,
        touchpoints.channel,
        touchpoints.touchpoint_type,
        touchpoints.brand,
        coalesce(purchases.is_purchase, false) as is_purchase,
        touchpoints.occurred_at
    from touchpoints
    left join records
        on touchpoints.source_table = records.source_table
            and touchpoints.record_key = records.record_key
    left join purchases
        on touchpoints.source_table = purchases.source_table
            and touchpoints.record_key = purchases.record_key
)

select * from final
