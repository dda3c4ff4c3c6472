{{ config(materialized='table') }}

with

privacy_requests as (
    select * from {{ source('privacy', 'privacy_requests') }}
),

identifier_types as (
    select * from {{ ref('identifier_types') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from privacy_requests
),

standardized as (
    select
        {{ clean_text('hashed.request_id') }} as request_id,
        identifier_types.identifier_type,
        {{ signal_identifier_columns(
            'identifier_types.identifier_type', 'hashed.identifier_value'
        ) }},
        {{ normalize_enum('hashed.request_type') }} as request_type,
        {{ parse_timestamp_utc('hashed.received_at') }} as received_at,
        hashed._loaded_at,
        hashed._row_hash,
        hashed.request_id as _raw_key,
        hashed.received_at as _raw_received_at
    from hashed
    left join identifier_types
        on {{ normalize_enum('hashed.identifier_type') }} = identifier_types.identifier_type
),

checked as (
    select
        *,
        case
            when request_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_received_at', 'received_at') }}
            when identifier_type is null then 'unknown_identifier_type'
            when identifier_value is null
                and phone_national_digits is null
                and erased_identifier_hash is null
                then 'invalid_identifier_value'
            when request_type is null
                or request_type not in (
                    'erasure', 'access', 'restrict_processing', 'do_not_sell'
                )
                then 'unknown_request_type'
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        {{ row_outcome('request_id', '_loaded_at asc nulls last') }}
    from checked
),

final as (
    select {{ star_except(['_raw_received_at']) }} from classified
)

select * from final
