-- Every audience member is safe to contact, checked against independent evidence
-- (the staged signals and requests themselves, not customer_consent or the
-- suppression list the audiences are built from). A member fails when:
--   erased_or_restricted   an erasure or restrict_processing request names one of
--                          the customer's stitching identifiers or the address itself,
--                          or the profile is erased
--   denial_not_overridden  the customer's latest denial for the purpose (a consent
--                          event, an email unsubscribe or complaint, the shop flag
--                          turning to no) is not followed by a later grant; without
--                          any grant (unless var audiences_include_default_consent
--                          admits members without a signal)
--   address_opted_out      the address's own latest denial is not followed by a
--                          later grant through that same address
-- Signals are read from staging; the shop flag from int_shop_marketing_flags_changed
-- (only its changes are signals), a phone typed in national format in a consent event
-- or request with its reading from int_national_phones_read. Returns the offending
-- members and the reason.
{%- set audiences = [
    ('audience_email_marketing', 'email_marketing', 'email', 'email'),
    ('audience_sms_marketing', 'sms_marketing', 'phone', 'phone'),
    ('audience_lapsed_high_value_email', 'email_marketing', 'email', 'email'),
] %}
with

profiles as (
    select * from {{ ref('customer_profiles') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

consent_events as (
    select * from {{ ref('stg_consent__events') }}
),

email_activities as (
    select * from {{ ref('stg_email__activities') }}
),

web_events as (
    select * from {{ ref('stg_web__events') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

resolved_phones as (
    select * from {{ ref('int_national_phones_read') }}
),

shop_flag_changes as (
    select * from {{ ref('int_shop_marketing_flags_changed') }}
),

members as (
    {%- for audience, purpose, identifier_type, address_column in audiences %}
        select
            '{{ audience }}' as audience,
            '{{ purpose }}' as purpose,
            '{{ identifier_type }}' as address_type,
            customer_id,
            {{ address_column }} as address
        from {{ ref(audience) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

-- every staged signal, through the identifier it names
staged_signals as (
    select
        consent_events.identifier_type,
        coalesce(consent_events.identifier_value, resolved_phones.phone) as identifier_value,
        consent_events.purpose,
        consent_events.status,
        consent_events.occurred_at
    from consent_events
    left join resolved_phones
        on resolved_phones.source_table = 'consent_events'
            and consent_events.event_id = resolved_phones.record_key
    union all
    select
        'email' as identifier_type,
        email as identifier_value,
        'email_marketing' as purpose,
        'denied' as status,
        occurred_at
    from email_activities
    where activity_type in ('unsubscribe', 'complaint')
    union all
    select
        case
            when email is not null then 'email'
            when customer_id is not null then 'shop_customer_id'
            else 'anonymous_id'
        end as identifier_type,
        coalesce(email, customer_id, anonymous_id) as identifier_value,
        'email_marketing' as purpose,
        'granted' as status,
        occurred_at
    from web_events
    where event_type = 'newsletter_signup'
    union all
    select
        'shop_customer_id' as identifier_type,
        customer_id as identifier_value,
        'email_marketing' as purpose,
        status,
        version_at as occurred_at
    from shop_flag_changes
),

member_identifiers as (
    select
        members.audience,
        members.customer_id,
        members.purpose,
        stitched.identifier_type,
        stitched.identifier_value
    from members
    inner join stitched
        on members.customer_id = stitched.customer_id
),

customer_signals as (
    select
        member_identifiers.audience,
        member_identifiers.customer_id,
        max(staged_signals.occurred_at) filter (where staged_signals.status = 'granted')
            as latest_grant_at,
        max(staged_signals.occurred_at) filter (where staged_signals.status = 'denied')
            as latest_denial_at
    from member_identifiers
    inner join staged_signals
        on member_identifiers.identifier_type = staged_signals.identifier_type
            and member_identifiers.identifier_value = staged_signals.identifier_value
            and member_identifiers.purpose = staged_signals.purpose
    group by member_identifiers.audience, member_identifiers.customer_id
),

address_signals as (
    select
        members.audience,
        members.customer_id,
        max(staged_signals.occurred_at) filter (where staged_signals.status = 'granted')
            as latest_grant_at,
        max(staged_signals.occurred_at) filter (where staged_signals.status = 'denied')
            as latest_denial_at
    from members
    inner join staged_signals
        on members.address_type = staged_signals.identifier_type
            and members.address = staged_signals.identifier_value
            and members.purpose = staged_signals.purpose
    group by members.audience, members.customer_id
),

blocking_requests as (
    select
        privacy_requests.identifier_type,
        coalesce(privacy_requests.identifier_value, resolved_phones.phone) as identifier_value
    from privacy_requests
    left join resolved_phones
        on resolved_phones.source_table = 'privacy_requests'
            and privacy_requests.request_id = resolved_phones.record_key
    where privacy_requests.request_type in ('erasure', 'restrict_processing')
),

requested_members as (
    select distinct
        member_identifiers.audience,
        member_identifiers.customer_id
    from member_identifiers
    inner join blocking_requests
        on member_identifiers.identifier_type = blocking_requests.identifier_type
            and member_identifiers.identifier_value = blocking_requests.identifier_value
    union
    select
        members.audience,
        members.customer_id
    from members
    inner join blocking_requests
        on members.address_type = blocking_requests.identifier_type
            and members.address = blocking_requests.identifier_value
),

judged as (
    select
        members.audience,
        members.customer_id,
        case
            when requested_members.customer_id is not null
                or coalesce(profiles.is_erased, true)
                then 'erased_or_restricted'
            when customer_signals.latest_denial_at >= customer_signals.latest_grant_at
                or (
                    customer_signals.latest_denial_at is not null
                    and customer_signals.latest_grant_at is null
                )
                then 'denial_not_overridden'
            when customer_signals.latest_grant_at is null
                and not {{ 'true' if var('audiences_include_default_consent') else 'false' }}
                then 'no_grant'
            when address_signals.latest_denial_at
                >= coalesce(address_signals.latest_grant_at, address_signals.latest_denial_at)
                then 'address_opted_out'
        end as failure,
        customer_signals.latest_grant_at,
        customer_signals.latest_denial_at
    from members
    left join profiles
        on members.customer_id = profiles.customer_id
    left join requested_members
        on members.audience = requested_members.audience
            and members.customer_id = requested_members.customer_id
    left join customer_signals
        on members.audience = customer_signals.audience
            and members.customer_id = customer_signals.customer_id
    left join address_signals
        on members.audience = address_signals.audience
            and members.customer_id = address_signals.customer_id
),

final as (
    select * from judged
    where failure is not null
)

select * from final
