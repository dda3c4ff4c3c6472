{#- The body of a channel audience: customers with consent for `purpose` who can be
    reached at their primary address for the channel.
      purpose          consent purpose (customer_consent.purpose)
      identifier_type  identifier type of the address (email, phone)
      address_column   customer_profiles column holding the address
      hash_column      customer_profiles column holding its sha256
      address_alias    output name of the address column
    A member: is contactable for the purpose (so not erased nor restricted), has an
    explicit grant unless var('audiences_include_default_consent') admits the
    jurisdiction's default, is not erased, has the address, and the address is not
    on the suppression list for the purpose. -#}
{% macro consent_safe_audience(purpose, identifier_type, address_column, hash_column, address_alias) -%}
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
        profiles.{{ address_column }} as {{ address_alias }},
        profiles.{{ hash_column }},
        profiles.first_name,
        profiles.country,
        consent.status as consent_status,
        consent.source as consent_source,
        consent.policy_version as consent_policy_version,
        consent.decided_at as consent_decided_at
    from profiles
    inner join consent
        on profiles.customer_id = consent.customer_id
            and consent.purpose = '{{ purpose }}'
    left join suppressed
        on suppressed.identifier_type = '{{ identifier_type }}'
            and profiles.{{ hash_column }} = suppressed.identifier_sha256
            and suppressed.purpose = '{{ purpose }}'
    where consent.is_contactable
        {%- if not var('audiences_include_default_consent') %}
        and consent.status = 'granted'
        {%- endif %}
        and not profiles.is_erased
        and profiles.{{ address_column }} is not null
        and suppressed.identifier_sha256 is null
)

select * from final
{%- endmacro %}
