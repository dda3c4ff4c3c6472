{{ config(materialized='table') }}

with

consent_events as (
    select * from {{ source('consent', 'consent_events') }}
),

identifier_types as (
    select * from {{ ref('identifier_types') }}
),

consent_purposes as (
    select * from {{ ref('consent_purposes') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from consent_events
),

standardized as (
    select
        {{ clean_text('hashed.event_id') }} as event_id,
        identifier_types.identifier_type,
        {{ signal_identifier_columns(
            'identifier_types.identifier_type', 'hashed.identifier_value'
        ) }},
        consent_purposes.purpose,
        {{ normalize_enum('hashed.status') }} as status_as_sent,
        case
            when {{ normalize_enum('hashed.status') }} in ('granted', 'opt_in') then 'granted'
            when {{ normalize_enum('hashed.status') }} in ('denied', 'withdrawn', 'opt_out')
                then 'denied'
        end as status,
        {{ normalize_enum('hashed.source') }} as source,
        {{ clean_text('hashed.policy_version') }} as policy_version,
        {{ parse_timestamp_utc('hashed.occurred_at') }} as occurred_at,
        hashed._loaded_at,
        hashed._row_hash,
        hashed.event_id as _raw_key,
        hashed.occurred_at as _raw_occurred_at
    from hashed
    left join identifier_types
        on {{ normalize_enum('hashed.identifier_type') }} = identifier_types.identifier_type
    left join consent_purposes
        on {{ normalize_enum('hashed.purpose') }} = consent_purposes.purpose
),

checked as (
    select
        *,
        case
            when event_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_occurred_at', 'occurred_at') }}
            when identifier_type is null then 'unknown_identifier_type'
            when identifier_value is null
                and phone_national_digits is null
                and erased_identifier_hash is null
                then 'invalid_identifier_value'
            when purpose is null then 'unknown_purpose'
            when status is null then 'unknown_status'
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        {{ row_outcome('event_id', '_loaded_at asc nulls last') }}
    from checked
),

final as (
    select {{ star_except(['_raw_occurred_at']) }} from classified
)

select * from final
