-- Activation: customers who may receive marketing email, with the address to send
-- to and its sha256 (for ad-platform matching). A member has an explicit grant for
-- email_marketing and is contactable for it (customer_consent: so not erased nor
-- restricted), has a primary email, and that email is not on the suppression list
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
        profiles.primary_email as email,
        profiles.email_sha256,
        profiles.first_name,
        profiles.country,
        consent.status as consent_status,
        consent.source as consent_source,
        consent.policy_version as consent_policy_version,
        consent.decided_at as consent_decided_at
    from profiles
    inner join consent
        on profiles.customer_id = consent.customer_id
            and consent.purpose = 'email_marketing'
    left join suppressed
        on suppressed.identifier_type = 'email'
            and profiles.email_sha256 = suppressed.identifier_sha256
            and suppressed.purpose = 'email_marketing'
    where consent.is_contactable
        {%- if not var('audiences_include_default_consent') %}
        -- explicit consent only, unless the var admits opt-out jurisdictions' defaults
            and consent.status = 'granted'
        {%- endif %}
        and not profiles.is_erased
        and profiles.primary_email is not null
        and suppressed.identifier_sha256 is null
)

select * from final
