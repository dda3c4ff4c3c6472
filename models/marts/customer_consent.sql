-- docs/contract.md §3: one row per customer and purpose of the consent_purposes seed, resolved
-- per docs/contract.md §2. status is the deciding signal's (latest across all the customer's
-- identifiers, denial wins ties) or not_set. is_contactable: granted, or not_set
-- where the jurisdiction's default is granted (GDPR countries: opt-in; an unknown
-- country gets the most protective default, denied); never after an erasure or
-- restrict_processing request; never for third_party_sharing after do_not_sell.
with

customers as (
    select * from {{ ref('int_customers_summarized') }}
),

consent_purposes as (
    select * from {{ ref('consent_purposes') }}
),

decided as (
    select * from {{ ref('int_customer_consent_decided') }}
),

golden_values as (
    select * from {{ ref('int_customer_attributes_survived') }}
),

privacy_flags as (
    select * from {{ ref('int_customers_privacy_flagged') }}
),

countries as (
    select * from {{ ref('countries') }}
),

jurisdictions as (
    select
        customers.customer_id,
        case
            when countries.is_gdpr then 'gdpr'
            when countries.country_code is not null then 'other'
            else 'unknown'
        end as jurisdiction
    from customers
    left join golden_values
        on customers.customer_id = golden_values.customer_id
            and golden_values.attribute_name = 'country'
    left join countries
        on golden_values.attribute_value = countries.country_code
),

resolved as (
    select
        jurisdictions.customer_id,
        consent_purposes.purpose,
        coalesce(decided.status, 'not_set') as status,
        coalesce(decided.source, 'jurisdiction_default') as source,
        decided.policy_version,
        decided.signal_type,
        decided.signal_id,
        jurisdictions.jurisdiction,
        case jurisdictions.jurisdiction
            when 'gdpr' then consent_purposes.default_status_gdpr
            when 'other' then consent_purposes.default_status_other
            else 'denied'
        end as default_status,
        coalesce(privacy_flags.is_erased, false) as is_erased,
        coalesce(privacy_flags.is_processing_restricted, false) as is_processing_restricted,
        coalesce(privacy_flags.has_do_not_sell, false) as has_do_not_sell,
        decided.decided_at
    from jurisdictions
    cross join consent_purposes
    left join decided
        on jurisdictions.customer_id = decided.customer_id
            and consent_purposes.purpose = decided.purpose
    left join privacy_flags
        on jurisdictions.customer_id = privacy_flags.customer_id
),

final as (
    select
        customer_id,
        purpose,
        status,
        source,
        policy_version,
        signal_type,
        signal_id,
        jurisdiction,
        default_status,
        (
            status = 'granted' or (status = 'not_set' and default_status = 'granted')
        )
        and not is_erased
        and not is_processing_restricted
        and not (purpose = 'third_party_sharing' and has_do_not_sell) as is_contactable,
        is_erased,
        is_processing_restricted,
        decided_at
    from resolved
)

select * from final
