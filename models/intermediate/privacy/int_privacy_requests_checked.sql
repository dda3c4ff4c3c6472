-- Every privacy request, and every consent denial (an opt-out, an email unsubscribe
-- or complaint), that could not be carried out as given, with the reason (seed
-- request_attention_reasons): rows staging could not read and no later delivery of the
-- same key corrected (quarantined: no key, unreadable date, unknown type, unreadable
-- identifier), a
-- national phone that no customer holds or that several countries' customers hold,
-- a request through a shared or placeholder identifier (it suppresses the value but
-- erases nobody), a request for an identifier no record carries. A request must never
-- vanish: marts.privacy_requests_needing_attention lists these for a privacy officer.
-- A request whose identifier `cdp erase-raw` replaced by its hash is checked as before.
-- One row per distinct raw privacy request or consent denial needing attention.
with

raw_requests as (
    select * from {{ source('privacy', 'privacy_requests') }}
),

raw_consent_events as (
    select * from {{ source('consent', 'consent_events') }}
),

raw_email_activities as (
    select * from {{ source('email', 'email_activity') }}
),

base_requests as (
    select * from {{ ref('base_privacy__requests') }}
),

base_consent_events as (
    select * from {{ ref('base_consent__events') }}
),

base_email_activities as (
    select * from {{ ref('base_email__activities') }}
),

requests as (
    select * from {{ ref('int_privacy_requests_attributed') }}
),

resolved_phones as (
    select * from {{ ref('int_national_phones_read') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

-- ids a later delivery corrected: their unreadable deliveries were carried out
corrected_request_ids as (
    select distinct request_id from base_requests
    where _row_outcome = 'kept'
),

corrected_event_ids as (
    select distinct event_id from base_consent_events
    where _row_outcome = 'kept'
),

corrected_activity_ids as (
    select distinct activity_id from base_email_activities
    where _row_outcome = 'kept'
),

quarantined as (
    select
        'privacy_requests' as source_table,
        base_requests._raw_key as record_key,
        base_requests.request_type,
        cast(null as string) as purpose,
        base_requests.identifier_type,
        base_requests.identifier_value_as_sent,
        base_requests.received_at,
        'quarantined' as reason_code,
        base_requests._outcome_reason as quarantine_reason,
        base_requests._row_hash as row_hash
    from base_requests
    left join corrected_request_ids
        on base_requests.request_id = corrected_request_ids.request_id
    where base_requests._row_outcome = 'quarantined'
        and corrected_request_ids.request_id is null
    union all
    select
        'consent_events' as source_table,
        base_consent_events._raw_key as record_key,
        'consent_denial' as request_type,
        base_consent_events.purpose,
        base_consent_events.identifier_type,
        base_consent_events.identifier_value_as_sent,
        base_consent_events.occurred_at as received_at,
        'quarantined' as reason_code,
        base_consent_events._outcome_reason as quarantine_reason,
        base_consent_events._row_hash as row_hash
    from base_consent_events
    left join corrected_event_ids
        on base_consent_events.event_id = corrected_event_ids.event_id
    where base_consent_events._row_outcome = 'quarantined'
        and coalesce(base_consent_events.status, 'denied') = 'denied'
        and corrected_event_ids.event_id is null
    union all
    select
        'email_activity' as source_table,
        base_email_activities._raw_key as record_key,
        'consent_denial' as request_type,
        'email_marketing' as purpose,
        'email' as identifier_type,
        base_email_activities.email as identifier_value_as_sent,
        base_email_activities.occurred_at as received_at,
        'quarantined' as reason_code,
        base_email_activities._outcome_reason as quarantine_reason,
        base_email_activities._row_hash as row_hash
    from base_email_activities
    left join corrected_activity_ids
        on base_email_activities.activity_id = corrected_activity_ids.activity_id
    where base_email_activities._row_outcome = 'quarantined'
        and base_email_activities.activity_type in ('unsubscribe', 'complaint')
        and corrected_activity_ids.activity_id is null
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
    where requests.customer_id is null
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

email_activity_row_keys as (
    select distinct
        'email_activity' as source_table,
        {{ row_hash() }} as row_hash,
        {{ raw_row_key(source('email', 'email_activity')) }} as raw_row_key
    from raw_email_activities
),

row_keys as (
    select * from request_row_keys
    union all
    select * from consent_event_row_keys
    union all
    select * from email_activity_row_keys
),

final as (
    select
        distinct_rows.source_table,
        distinct_rows.record_key,
        distinct_rows.request_type,
        distinct_rows.purpose,
        distinct_rows.identifier_type,
        -- an erasure request's identifier is erased with it: the officer finds the
        -- request by its key in the privacy portal
        case
            when distinct_rows.request_type <> 'erasure'
                then distinct_rows.identifier_value_as_sent
        end as identifier_value_as_sent,
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
