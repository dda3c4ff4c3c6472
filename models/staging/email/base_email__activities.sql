{{ config(materialized='table') }}

with

email_activity as (
    select * from {{ source('email', 'email_activity') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from email_activity
),

standardized as (
    select
        {{ clean_text('activity_id') }} as activity_id,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ normalize_email('email') }} as email,
        {{ normalize_enum('activity_type') }} as activity_type,
        {{ is_dropped_as_invalid('email', normalize_email('email')) }}
            as has_invalid_email,
        {{ parse_timestamp_utc('occurred_at') }} as occurred_at,
        _loaded_at,
        _row_hash,
        activity_id as _raw_key,
        occurred_at as _raw_occurred_at
    from hashed
),

checked as (
    select
        *,
        case
            when activity_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_occurred_at', 'occurred_at') }}
            when activity_type is null
                or activity_type not in (
                    'sent', 'open', 'click', 'bounce', 'unsubscribe', 'complaint'
                )
                then 'unknown_activity_type'
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        {{ row_outcome('activity_id', '_loaded_at asc nulls last') }}
    from checked
),

final as (
    select {{ star_except(['_raw_occurred_at']) }} from classified
)

select * from final
