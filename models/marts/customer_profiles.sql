{#- docs/contract.md §3: one row per customer, the golden record. Each golden attribute comes
    from int_customer_attributes_survived with the source system it came from
    (<attribute>_source) and when it was collected there (<attribute>_collected_at).
    After an erasure request the row stays, is_erased is true and every column
    that holds or is derived from personal data is null (docs/contract.md §2). -#}
{%- set golden_attributes = {
    'primary_email': 'email',
    'primary_phone': 'phone',
    'first_name': 'first_name',
    'last_name': 'last_name',
    'city': 'city',
    'postal_code': 'postal_code',
    'country': 'country',
    'birth_date': 'birth_date',
} %}
{%- set personal_columns = [
    'primary_email', 'primary_phone', 'first_name', 'last_name', 'city', 'postal_code',
    'country', 'region', 'age_band', 'email_sha256', 'phone_sha256',
    'enrichment_provider', 'enrichment_age_band', 'enrichment_income_band',
    'enrichment_interests', 'birth_date', 'enrichment_acquired_at',
] %}
{%- for column in golden_attributes %}
    {%- do personal_columns.extend([column ~ '_source', column ~ '_collected_at']) %}
{%- endfor %}
with

customers as (
    select * from {{ ref('int_customers_summarized') }}
),

golden_values as (
    select * from {{ ref('int_customer_attributes_survived') }}
),

observations as (
    select * from {{ ref('int_customer_attributes_observed') }}
),

touchpoints as (
    select * from {{ ref('customer_touchpoints') }}
),

experience as (
    select * from {{ ref('int_customer_experience_summarized') }}
),

enrichment as (
    select * from {{ ref('int_customer_enrichment_matched') }}
),

journey_stages as (
    select * from {{ ref('int_customer_journey_stages_assigned') }}
),

privacy_flags as (
    select * from {{ ref('int_customers_privacy_flagged') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

countries as (
    select * from {{ ref('countries') }}
),

golden_record as (
    select
        customer_id,
        {%- for column, attribute in golden_attributes.items() %}
            max(attribute_value) filter (where attribute_name = '{{ attribute }}') as {{ column }},
            max(source_system) filter (
                where attribute_name = '{{ attribute }}'
            ) as {{ column }}_source,
            max(observed_at) filter (
                where attribute_name = '{{ attribute }}'
            ) as {{ column }}_collected_at,
        {%- endfor %}
        max(attribute_value) filter (where attribute_name = 'loyalty_tier') as loyalty_tier
    from golden_values
    group by customer_id
),

-- full years at the as-of date, for the generalized age band
ages as (
    select
        golden_record.customer_id,
        {{ full_years_between('cast(golden_record.birth_date as date)', 'as_of.as_of_date') }}
            as age_years
    from golden_record
    cross join as_of
    where golden_record.birth_date is not null
),

-- brands of the customer's accounts and of their orders and store purchases
brand_observations as (
    select
        customer_id,
        attribute_value as brand
    from observations
    where attribute_name = 'brand'
    union all
    select
        customer_id,
        brand
    from touchpoints
    where customer_id is not null and brand is not null
),

brands as (
    select
        customer_id,
        array_sort(array_agg(distinct brand)) as brands
    from brand_observations
    group by customer_id
),

profiled as (
    select
        customers.customer_id,
        {%- for column in golden_attributes if column != 'birth_date' %}
            golden_record.{{ column }},
        {%- endfor %}
        countries.region,
        case
            when ages.age_years < 18 then 'under 18'
            when ages.age_years < 25 then '18-24'
            when ages.age_years < 35 then '25-34'
            when ages.age_years < 45 then '35-44'
            when ages.age_years < 55 then '45-54'
            when ages.age_years < 65 then '55-64'
            when ages.age_years >= 65 then '65+'
        end as age_band,
        {{ sha256_hex('golden_record.primary_email') }} as email_sha256,
        {{ sha256_hex('golden_record.primary_phone') }} as phone_sha256,
        {%- for column in golden_attributes %}
            golden_record.{{ column }}_source,
        {%- endfor %}
        golden_record.loyalty_tier,
        coalesce(brands.brands, {{ empty_list() }}) as brands,
        journey_stages.journey_stage,
        enrichment.enrichment_provider,
        enrichment.enrichment_age_band,
        enrichment.enrichment_income_band,
        enrichment.enrichment_interests,
        customers.email_count,
        customers.phone_count,
        customers.crm_contact_id_count,
        customers.shop_customer_id_count,
        customers.loyalty_id_count,
        customers.anonymous_id_count,
        customers.record_count,
        experience.latest_nps_score,
        coalesce(experience.support_ticket_count, 0) as support_ticket_count,
        experience.average_csat_score,
        coalesce(experience.social_profile_count, 0) as social_profile_count,
        experience.social_follower_count,
        customers.is_known,
        coalesce(privacy_flags.is_erased, false) as is_erased,
        customers.has_first_party_data,
        customers.has_second_party_data,
        enrichment.customer_id is not null as has_third_party_data,
        cast(golden_record.birth_date as date) as birth_date,
        customers.first_seen_at,
        customers.last_seen_at,
        {%- for column in golden_attributes %}
            golden_record.{{ column }}_collected_at,
        {%- endfor %}
        experience.latest_nps_at,
        enrichment.enrichment_acquired_at,
        privacy_flags.erasure_requested_at
    from customers
    left join golden_record
        on customers.customer_id = golden_record.customer_id
    left join brands
        on customers.customer_id = brands.customer_id
    left join journey_stages
        on customers.customer_id = journey_stages.customer_id
    left join experience
        on customers.customer_id = experience.customer_id
    left join enrichment
        on customers.customer_id = enrichment.customer_id
    left join privacy_flags
        on customers.customer_id = privacy_flags.customer_id
    left join countries
        on golden_record.country = countries.country_code
    left join ages
        on customers.customer_id = ages.customer_id
),

final as (
    select
        {{ star_except(personal_columns) }},
        {%- for column in personal_columns %}
            case when is_erased then null else {{ column }} end as {{ column }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from profiled
)

select * from final
