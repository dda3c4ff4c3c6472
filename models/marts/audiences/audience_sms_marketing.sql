-- Activation: customers who may receive marketing text messages, with the phone to send
-- to and its sha256 (for ad-platform matching). A member has an explicit grant for
-- sms_marketing and is contactable for it (customer_consent: so not erased nor
-- restricted), has a primary phone, and that phone is not on the suppression list
-- for the purpose (which also catches a value named in an erasure or opt-out that
-- stitching could not attribute).
with

profiles as (
    select * from {{ ref('customer_profiles') }}
),

consent as (
    select * from {{ ref('customer_consent') }}
),

suppressed as (
    select * from {{ ref('suppressed_identifiers') }}
),

final as (
    select
        profiles.customer_id,
        profiles.primary_phone as phone,
        profiles.phone_sha256,
        profiles.first_name,
        profiles.country,
        consent.status as consent_status,
        consent.source as consent_source,
        consent.policy_version as consent_policy_version,
        consent.decided_at as consent_decided_at
    from profiles
    inner join consent
        on profiles.customer_id = consent.customer_id
            and consent.purpose = 'sms_marketing'
    left join suppressed
        on suppressed.identifier_type = 'phone'
            and profiles.phone_sha256 = suppressed.identifier_sha256
            and suppressed.purpose = 'sms_marketing'
    where consent.is_contactable
        {%- if not var('audiences_include_default_consent') %}
        -- explicit consent only, unless the var admits opt-out jurisdictions' defaults
            and consent.status = 'granted'
        {%- endif %}
        and not profiles.is_erased
        and profiles.primary_phone is not null
        and suppressed.identifier_sha256 is null
)

select * from final
