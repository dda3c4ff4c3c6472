{{ config(materialized='table') }}

with

support_tickets as (
    select * from {{ source('support', 'support_tickets') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from support_tickets
),

standardized as (
    select
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ normalize_email('email') }} as email,
        -- a ticket carries no country: only international numbers normalize here
        {{ normalize_phone('phone', 'null', 'null') }} as phone,
        {{ phone_national_digits('phone') }} as phone_national_digits,
        {{ normalize_enum('channel') }} as channel,
        {{ normalize_enum('category') }} as category,
        {{ clean_text('body') }} as body,
        {{ parse_integer('csat_score') }} as csat_score,
        {{ is_dropped_as_invalid('email', normalize_email('email')) }}
            as has_invalid_email,
        {{ parse_timestamp_utc('created_at') }} as created_at,
        _loaded_at,
        _row_hash,
        ticket_id as _raw_key,
        created_at as _raw_created_at,
        csat_score as _raw_csat_score
    from hashed
),

checked as (
    select
        *,
        case
            when ticket_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_created_at', 'created_at') }}
            when {{ clean_text('_raw_csat_score') }} is not null and csat_score is null
                then 'unparseable_number'
            when csat_score not between 1 and 5 then 'score_out_of_range'
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        {{ row_outcome('ticket_id', '_loaded_at desc') }}
    from checked
),

final as (
    select {{ star_except(['_raw_created_at', '_raw_csat_score']) }} from classified
)

select * from final
