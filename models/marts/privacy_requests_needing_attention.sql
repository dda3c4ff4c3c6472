-- For a privacy officer: every privacy request (and consent denial) the build could
-- not carry out as given, why, and what to do (docs/contract.md §2: a request that
-- cannot be carried out is listed, never dropped). Empty when every request was
-- applied. One row per request or denial.
with

checked as (
    select * from {{ ref('int_privacy_requests_checked') }}
),

reasons as (
    select * from {{ ref('request_attention_reasons') }}
),

final as (
    select
        checked.source_table,
        checked.record_key,
        checked.request_type,
        checked.purpose,
        checked.identifier_type,
        checked.identifier_value_as_sent,
        checked.reason_code,
        checked.quarantine_reason,
        reasons.what_to_do,
        checked.raw_row_key,
        checked.received_at
    from checked
    left join reasons
        on checked.reason_code = reasons.reason_code
)

select * from final
