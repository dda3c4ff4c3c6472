-- Invariant over every audience: each member has a granted consent for the
-- audience's purpose (or, where var audiences_include_default_consent admits
-- them, is contactable by default), is neither erased nor restricted, and the
-- address is not on the suppression list. Returns the offending members.
{%- set audiences = [
    ('audience_email_marketing', 'email_marketing', 'email', 'email_sha256'),
    ('audience_sms_marketing', 'sms_marketing', 'phone', 'phone_sha256'),
    ('audience_lapsed_high_value_email', 'email_marketing', 'email', 'email_sha256'),
] %}
with

consent as (
    select * from {{ ref('customer_consent') }}
),

profiles as (
    select * from {{ ref('customer_profiles') }}
),

suppressed as (
    select * from {{ ref('suppressed_identifiers') }}
),

members as (
    {%- for audience, purpose, identifier_type, hash_column in audiences %}
        select
            '{{ audience }}' as audience,
            '{{ purpose }}' as purpose,
            '{{ identifier_type }}' as identifier_type,
            customer_id,
            {{ hash_column }} as address_sha256
        from {{ ref(audience) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        members.audience,
        members.customer_id,
        consent.status,
        consent.is_contactable,
        profiles.is_erased,
        suppressed.suppression_reason
    from members
    left join consent
        on members.customer_id = consent.customer_id
            and members.purpose = consent.purpose
    left join profiles
        on members.customer_id = profiles.customer_id
    left join suppressed
        on members.identifier_type = suppressed.identifier_type
            and members.address_sha256 = suppressed.identifier_sha256
            and members.purpose = suppressed.purpose
    where not coalesce(consent.is_contactable, false)
        or consent.is_processing_restricted
        or coalesce(profiles.is_erased, true)
        or suppressed.identifier_sha256 is not null
        {%- if not var('audiences_include_default_consent') %}
            or consent.status <> 'granted'
        {%- endif %}
)

select * from final
