-- Every consent signal from every source that carries one, per purpose, with the
-- identifier it arrived through, its time, source and policy version (docs/contract.md §2):
--   consent_events             any identifier type, statuses normalized in staging
--   email unsubscribe/complaint a denial of email_marketing through the email
--   shop accepts_marketing     a grant or denial of email_marketing through the
--                              shop account, when the stored flag changes
--                              (int_shop_marketing_flags_changed)
--   web newsletter_signup      a grant of email_marketing through the email (else
--                              the logged-in account, else the cookie)
--   privacy requests           erasure and restrict_processing deny every purpose;
--                              do_not_sell denies third_party_sharing
{%- set blocking_requests = ('erasure', 'restrict_processing') %}
with

consent_events as (
    select * from {{ ref('stg_consent__events') }}
),

email_activities as (
    select * from {{ ref('stg_email__activities') }}
),

shop_flag_changes as (
    select * from {{ ref('int_shop_marketing_flags_changed') }}
),

web_events as (
    select * from {{ ref('stg_web__events') }}
),

-- identifiers read as everywhere (int_signal_identifiers_read)
privacy_requests as (
    select * from {{ ref('int_privacy_requests_attributed') }}
),

-- the identifier each event names, read as everywhere (int_signal_identifiers_read)
consent_event_identifiers as (
    select * from {{ ref('int_signal_identifiers_read') }}
    where source_table = 'consent_events'
),

consent_purposes as (
    select * from {{ ref('consent_purposes') }}
),

unioned as (
    select
        'consent_events' as source_table,
        consent_events.event_id as record_key,
        'consent_event' as signal_type,
        consent_events.identifier_type,
        -- a national phone no customer holds, or several do, carries no signal here
        -- (requests_needing_attention lists the denials)
        consent_event_identifiers.identifier_value,
        consent_events.purpose,
        consent_events.status,
        coalesce(consent_events.source, 'consent') as source,
        consent_events.policy_version,
        consent_events.occurred_at
    from consent_events
    inner join consent_event_identifiers
        on consent_events.event_id = consent_event_identifiers.record_key
    where consent_event_identifiers.identifier_value is not null
    union all
    select
        'email_activity' as source_table,
        activity_id as record_key,
        'email_' || activity_type as signal_type,
        'email' as identifier_type,
        email as identifier_value,
        'email_marketing' as purpose,
        'denied' as status,
        'email' as source,
        null as policy_version,
        occurred_at
    from email_activities
    where activity_type in ('unsubscribe', 'complaint') and email is not null
    union all
    select
        'shop_customers' as source_table,
        record_key,
        'shop_accepts_marketing' as signal_type,
        'shop_customer_id' as identifier_type,
        customer_id as identifier_value,
        'email_marketing' as purpose,
        status,
        'shop' as source,
        null as policy_version,
        version_at as occurred_at
    from shop_flag_changes
    union all
    select
        'web_events' as source_table,
        event_id as record_key,
        'newsletter_signup' as signal_type,
        case
            when email is not null then 'email'
            when customer_id is not null then 'shop_customer_id'
            else 'anonymous_id'
        end as identifier_type,
        coalesce(email, customer_id, anonymous_id) as identifier_value,
        'email_marketing' as purpose,
        'granted' as status,
        'web' as source,
        null as policy_version,
        occurred_at
    from web_events
    where event_type = 'newsletter_signup'
        and coalesce(email, customer_id, anonymous_id) is not null
    union all
    select
        'privacy_requests' as source_table,
        privacy_requests.request_id as record_key,
        'privacy_' || privacy_requests.request_type as signal_type,
        privacy_requests.identifier_type,
        privacy_requests.identifier_value,
        consent_purposes.purpose,
        'denied' as status,
        'privacy' as source,
        null as policy_version,
        privacy_requests.received_at as occurred_at
    from privacy_requests
    inner join consent_purposes
        on privacy_requests.identifier_value is not null
            and privacy_requests.request_type in {{ blocking_requests }}
            or (
                privacy_requests.identifier_value is not null
                and privacy_requests.request_type = 'do_not_sell'
                and consent_purposes.purpose = 'third_party_sharing'
            )
),

final as (
    select
        source_table || ':' || record_key || ':' || purpose as signal_id,
        source_table,
        record_key,
        signal_type,
        identifier_type,
        identifier_value,
        purpose,
        status,
        source,
        policy_version,
        signal_type in (
            'privacy_erasure', 'privacy_restrict_processing', 'privacy_do_not_sell'
        ) as is_privacy_request,
        occurred_at
    from unioned
)

select * from final
