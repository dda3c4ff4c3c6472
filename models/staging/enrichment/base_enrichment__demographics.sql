{{ config(materialized='table') }}

with

enrichment_demographics as (
    select * from {{ source('enrichment', 'enrichment_demographics') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from enrichment_demographics
),

standardized as (
    select
        lower({{ clean_text('email_sha256') }}) as email_sha256,
        {{ normalize_enum('provider') }} as provider,
        {{ clean_text('age_band') }} as age_band,
        {{ normalize_enum('income_band') }} as income_band,
        {{ normalize_enum('interests') }} as interests,
        {{ parse_timestamp_utc('acquired_at') }} as acquired_at,
        _loaded_at,
        _row_hash,
        concat_ws('#', email_sha256, provider) as _raw_key,
        acquired_at as _raw_acquired_at
    from hashed
),

checked as (
    select
        *,
        case
            when email_sha256 is null or provider is null then 'missing_key'
            when not {{ regex_full_match('email_sha256', '[0-9a-f]{64}') }}
                then 'invalid_identifier_value'
            {{ timestamp_quarantine_reason('_raw_acquired_at', 'acquired_at') }}
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        -- one profile per email hash and provider: the latest acquisition wins
        {{ row_outcome('email_sha256, provider', 'acquired_at desc, _loaded_at desc') }}
    from checked
),

final as (
    select {{ star_except(['_raw_acquired_at']) }} from classified
)

select * from final
