{{ config(materialized='table') }}

with

survey_responses as (
    select * from {{ source('survey', 'survey_responses') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from survey_responses
),

standardized as (
    select
        {{ clean_text('response_id') }} as response_id,
        {{ normalize_email('email') }} as email,
        {{ normalize_enum('survey') }} as survey,
        {{ clean_text('comment') }} as comment,
        {{ parse_integer('nps_score') }} as nps_score,
        {{ is_dropped_as_invalid('email', normalize_email('email')) }}
            as has_invalid_email,
        {{ parse_timestamp_utc('submitted_at') }} as submitted_at,
        _loaded_at,
        _row_hash,
        response_id as _raw_key,
        submitted_at as _raw_submitted_at,
        nps_score as _raw_nps_score
    from hashed
),

checked as (
    select
        *,
        case
            when response_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_submitted_at', 'submitted_at') }}
            when {{ clean_text('_raw_nps_score') }} is not null and nps_score is null
                then 'unparseable_number'
            when nps_score not between 0 and 10 then 'score_out_of_range'
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        {{ row_outcome('response_id', '_loaded_at desc') }}
    from checked
),

final as (
    select {{ star_except(['_raw_submitted_at', '_raw_nps_score']) }} from classified
)

select * from final
