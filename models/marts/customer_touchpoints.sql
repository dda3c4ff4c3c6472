-- One row per interaction across every channel (web and app events, shop orders,
-- store purchases, email activity, support tickets, survey responses), with the
-- customer it belongs to. Null customer_id: activity that belongs to nobody (no
-- identifier, or only non-stitching ones). Holds no personal data.
with

touchpoints as (
    select * from {{ ref('int_touchpoints_attributed') }}
),

final as (
    select
        touchpoint_id,
        customer_id,
        source_table,
        record_key,
        channel,
        touchpoint_type,
        brand,
        is_purchase,
        occurred_at
    from touchpoints
)

select * from final
