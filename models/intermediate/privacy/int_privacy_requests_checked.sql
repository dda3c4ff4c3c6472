-- Every privacy request, and every consent denial, that could not be carried out as
-- given, with the reason (seed request_attention_reasons): rows staging could not
-- read (quarantined: no key, unreadable date, unknown type, unreadable identifier), a
-- national phone that no customer holds or that several countries' customers hold,
-- a request through a shared or placeholder identifier (it suppresses the value but
-- erases nobody), a request for an identifier no record carries. A request must never
-- vanish: marts.privacy_requests_needing_attention lists these for a privacy officer.
-- Requests whose identifier `cdp erase-raw` replaced by its hash were carried out.
-- One row per distinct raw privacy request or consent denial needing attention.
with

raw_requests as (
    select * from {{ source('privacy', 'privacy_requests') }}
),

raw_consent_events as (
    select * from {{ source('consent', 'consent_events') }}
),

base_requests as (
    select * from {{ ref('base_privacy__requests') }}
),

base_consent_events as (
    select * from {{ ref('base_consent__events') }}
),

requests as (
    select * from {{ ref('int_privacy_requests_attributed') }}
),

resolved_phones as (
    select * from {{ ref('int_signal_phones_resolved') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

quarantined as (
    select
        'privacy_requests' as source_table,
        _raw_key as record_key,
        request_type,
        cast(null as string) as purpose,
        identifier_type,
        identifier_value_as_sent,
        received_at,
        'quarantined' as reason_code,
        _outcome_reason as quarantine_reason,
        _row_hash as row_hash
    from base_requests
    where _row_outcome = 'quarantined'
    union all
    select
        'consent_events' as source_table,
        _raw_key as record_key,
        'consent_denial' as request_type,
        purpose,
        identifier_type,
        identifier_value_as_sent,
        occurred_at as received_at,
        'quarantined' as reason_code,
        _outcome_reason as quarantine_reason,
        _row_hash as row_hash
    from base_consent_events
    where _row_outcome = 'quarantined' and coalesce(status, 'denied') = 'denied'
),

unattributed_requests as (
    select
        'privacy_requests' as source_table,
        requests.request_id as record_key,
        requests.request_type,
        cast(null as string) as purpose,
        requests.identifier_type,
        base_requests.identifier_value_as_sent,
        requests.received_at,
        case
            when requests.unresolved_reason is not null then requests.unresolved_reason
            when identifiers.identifier_value is not null then 'identifier_not_stitching'
            else 'no_matching_customer'
        end as reason_code,
        cast(null as string) as quarantine_reason,
        base_requests._row_hash as row_hash
    from requests
    inner join base_requests
        on requests.request_id = base_requests.request_id
            and base_requests._row_outcome = 'kept'
    left join identifiers
        on requests.identifier_type = identifiers.identifier_type
            and requests.identifier_value = identifiers.identifier_value
    where requests.customer_id is null and base_requests.erased_identifier_hash is null
),

unresolved_denials as (
    select
        'consent_events' as source_table,
        base_consent_events.event_id as record_key,
        'consent_denial' as request_type,
        base_consent_events.purpose,
        base_consent_events.identifier_type,
        base_consent_events.identifier_value_as_sent,
        base_consent_events.occurred_at as received_at,
        resolved_phones.unresolved_reason as reason_code,
        cast(null as string) as quarantine_reason,
        base_consent_events._row_hash as row_hash
    from base_consent_events
    inner join resolved_phones
        on resolved_phones.source_table = 'consent_events'
            and base_consent_events.event_id = resolved_phones.record_key
    where
        base_consent_events._row_outcome = 'kept'
        and base_consent_events.status = 'denied'
        and resolved_phones.unresolved_reason is not null
),

unioned as (
    select * from quarantined
    union all
    select * from unattributed_requests
    union all
    select * from unresolved_denials
),

-- a bad row delivered twice, byte for byte, needs attention once
distinct_rows as (
    select distinct * from unioned
),

-- the engine-independent key of every raw row, by its (engine-specific) row hash
request_row_keys as (
    select distinct
        'privacy_requests' as source_table,
        {{ row_hash() }} as row_hash,
        {{ raw_row_key(source('privacy', 'privacy_requests')) }} as raw_row_key
    from raw_requests
),

consent_event_row_keys as (
    select distinct
        'consent_events' as source_table,
        {{ row_hash() }} as row_hash,
        {{ raw_row_key(source('consent', 'consent_events')) }} as raw_row_key
    from raw_consent_events
),

row_keys as (
    select * from request_row_keys
    union all
    select * from consent_event_row_keys
),

final as (
    select
        distinct_rows.source_table,
        distinct_rows.record_key,
        distinct_rows.request_type,
        distinct_rows.purpose,
        distinct_rows.identifier_type,
        distinct_rows.identifier_value_as_sent,
        distinct_rows.received_at,
        distinct_rows.reason_code,
        distinct_rows.quarantine_reason,
        distinct_rows.row_hash,
        row_keys.raw_row_key
    from distinct_rows
    inner join row_keys
        on distinct_rows.source_table = row_keys.source_table
            and distinct_rows.row_hash = row_keys.row_hash
)

select * from final
