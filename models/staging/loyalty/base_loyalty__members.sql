{{ config(materialized='table') }}

with

loyalty_members as (
    select * from {{ source('loyalty', 'loyalty_members') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from loyalty_members
),

standardized as (
    select
        {{ clean_text('loyalty_id') }} as loyalty_id,
        {{ normalize_enum('brand') }} as brand,
        {{ normalize_email('email') }} as email,
        -- a loyalty card carries no country: only international numbers normalize here
        {{ normalize_phone('phone', 'null', 'null') }} as phone,
        {{ phone_national_digits('phone') }} as phone_national_digits,
        {{ normalize_name('first_name') }} as first_name,
        {{ normalize_name('last_name') }} as last_name,
        {{ normalize_enum('tier') }} as tier,
        {{ is_dropped_as_invalid('email', normalize_email('email')) }}
            as has_invalid_email,
        {{ parse_timestamp_utc('enrolled_at') }} as enrolled_at,
        {{ parse_timestamp_utc('updated_at') }} as updated_at,
        _loaded_at,
        _row_hash,
        loyalty_id as _raw_key,
        enrolled_at as _raw_enrolled_at,
        updated_at as _raw_updated_at
    from hashed
),

checked as (
    select
        *,
        case
            when loyalty_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_enrolled_at', 'enrolled_at') }}
            {{ timestamp_quarantine_reason('_raw_updated_at', 'updated_at', 'version') }}
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        {{ row_outcome('loyalty_id', 'coalesce(updated_at, enrolled_at) desc, _loaded_at desc') }}
    from checked
),

final as (
    select {{ star_except(['_raw_enrolled_at', '_raw_updated_at']) }} from classified
)

select * from final
