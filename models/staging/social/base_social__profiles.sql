{{ config(materialized='table') }}

with

social_profiles as (
    select * from {{ source('social', 'social_profiles') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from social_profiles
),

standardized as (
    select
        {{ clean_text('profile_id') }} as profile_id,
        {{ normalize_enum('platform') }} as platform,
        {{ clean_text('handle') }} as handle,
        {{ normalize_email('email') }} as email,
        {{ parse_integer('follower_count') }} as follower_count,
        {{ is_dropped_as_invalid('email', normalize_email('email')) }}
            as has_invalid_email,
        {{ parse_timestamp_utc('updated_at') }} as updated_at,
        _loaded_at,
        _row_hash,
        profile_id as _raw_key,
        updated_at as _raw_updated_at,
        follower_count as _raw_follower_count
    from hashed
),

checked as (
    select
        *,
        case
            when profile_id is null then 'missing_key'
            -- a social profile's only time is its last update: the business timestamp
            {{ timestamp_quarantine_reason('_raw_updated_at', 'updated_at') }}
            when {{ clean_text('_raw_follower_count') }} is not null and follower_count is null
                then 'unparseable_number'
            when {{ is_number_out_of_range('follower_count') }} then 'number_out_of_range'
            when follower_count < 0 then 'negative_quantity'
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        {{ row_outcome('profile_id', 'updated_at desc, _loaded_at desc') }}
    from checked
),

final as (
    select {{ star_except(['_raw_updated_at', '_raw_follower_count']) }} from classified
)

select * from final
