{{ config(materialized='view') }}

-- Every interaction a person had with the business, from every channel, in one
-- shape: web and app events, shop orders, store purchases, email activity,
-- support tickets and survey responses. Staging has already deduplicated each
-- source (re-delivered events, order status changes), so this is one row per
-- interaction. Customer records that are not interactions (CRM contacts, shop
-- accounts, loyalty memberships, social profiles) are not touchpoints.
with

web_events as (
    select * from {{ ref('stg_web__events') }}
),

shop_orders as (
    select * from {{ ref('stg_shop__orders') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

email_activities as (
    select * from {{ ref('stg_email__activities') }}
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

survey_responses as (
    select * from {{ ref('stg_survey__responses') }}
),

unioned as (
    select
        'web_events' as source_table,
        event_id as record_key,
        case when platform in ('ios', 'android', 'app') then 'app' else 'web' end as channel,
        event_type as touchpoint_type,
        cast(null as string) as brand,
        false as is_purchase,
        occurred_at
    from web_events
    union all
    select
        'shop_orders' as source_table,
        order_id as record_key,
        'online_shop' as channel,
        'order' as touchpoint_type,
        brand,
        status <> 'cancelled' as is_purchase,
        ordered_at as occurred_at
    from shop_orders
    union all
    select
        'pos_transactions' as source_table,
        transaction_id as record_key,
        'store' as channel,
        'store_purchase' as touchpoint_type,
        brand,
        true as is_purchase,
        transacted_at as occurred_at
    from pos_transactions
    union all
    select
        'email_activity' as source_table,
        activity_id as record_key,
        'email' as channel,
        activity_type as touchpoint_type,
        null as brand,
        false as is_purchase,
        occurred_at
    from email_activities
    union all
    select
        'support_tickets' as source_table,
        ticket_id as record_key,
        'support' as channel,
        'support_ticket' as touchpoint_type,
        null as brand,
        false as is_purchase,
        created_at as occurred_at
    from support_tickets
    union all
    select
        'survey_responses' as source_table,
        response_id as record_key,
        'survey' as channel,
        'survey_response' as touchpoint_type,
        null as brand,
        false as is_purchase,
        submitted_at as occurred_at
    from survey_responses
),

final as (
    select
        source_table || ':' || record_key as touchpoint_id,
        source_table,
        record_key,
        channel,
        touchpoint_type,
        brand,
        is_purchase,
        occurred_at
    from unioned
)

select * from final
