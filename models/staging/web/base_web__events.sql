{{ config(materialized='table') }}

with

web_events as (
    select * from {{ source('web', 'web_events') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from web_events
),

standardized as (
    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ normalize_email('email') }} as email,
        {{ normalize_enum('event_type') }} as event_type,
        {{ normalize_enum('platform') }} as platform,
        {{ clean_text('page_url') }} as page_url,
        {{ clean_text('sku') }} as sku,
        {{ is_dropped_as_invalid('email', normalize_email('email')) }}
            as has_invalid_email,
        {{ parse_timestamp_utc('occurred_at') }} as occurred_at,
        {{ parse_timestamp_utc('received_at') }} as received_at,
        _loaded_at,
        _row_hash,
        event_id as _raw_key,
        occurred_at as _raw_occurred_at,
        received_at as _raw_received_at
    from hashed
),

checked as (
    select
        *,
        case
            when event_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_occurred_at', 'occurred_at') }}
            {{ timestamp_quarantine_reason('_raw_received_at', 'received_at', 'version') }}
            when event_type is null
                or event_type not in (
                    'page_view', 'product_view', 'add_to_cart', 'login', 'identify',
                    'newsletter_signup'
                )
                then 'unknown_event_type'
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        -- SDK retries re-deliver an event: the first delivery is kept
        {{ row_outcome('event_id', '_loaded_at asc nulls last, received_at asc nulls last') }}
    from checked
),

final as (
    select {{ star_except(['_raw_occurred_at', '_raw_received_at']) }} from classified
)

select * from final
