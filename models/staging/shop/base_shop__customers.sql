{{ config(materialized='table') }}

{#- the record's phone in E.164, using its country for national numbers -#}
{%- set phone_e164 = normalize_phone(
    'hashed.phone', 'countries.dialing_code', 'countries.trunk_prefix'
) %}

with

shop_customers as (
    select * from {{ source('shop', 'shop_customers') }}
),

country_aliases as (
    select * from {{ ref('country_aliases') }}
),

countries as (
    select * from {{ ref('countries') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from shop_customers
),

standardized as (
    select
        {{ clean_text('hashed.customer_id') }} as customer_id,
        {{ normalize_enum('hashed.brand') }} as brand,
        {{ normalize_email('hashed.email') }} as email,
        {{ phone_e164 }} as phone,
        {{ normalize_name('hashed.first_name') }} as first_name,
        {{ normalize_name('hashed.last_name') }} as last_name,
        countries.country_code,
        {{ is_dropped_as_invalid('hashed.email', normalize_email('hashed.email')) }}
            as has_invalid_email,
        {{ is_dropped_as_invalid('hashed.phone', phone_e164) }} as has_invalid_phone,
        -- null: the shop sent no (or an unreadable) answer, which is no consent signal:
        -- never a grant, never a denial; the account itself is kept
        {{ parse_boolean('hashed.accepts_marketing') }} as accepts_marketing,
        {{ is_dropped_as_invalid(
            'hashed.accepts_marketing', parse_boolean('hashed.accepts_marketing')
        ) }} as has_invalid_accepts_marketing,
        {{ parse_timestamp_utc('hashed.created_at') }} as created_at,
        {{ parse_timestamp_utc('hashed.updated_at') }} as updated_at,
        hashed._loaded_at,
        hashed._row_hash,
        hashed.customer_id as _raw_key,
        hashed.created_at as _raw_created_at,
        hashed.updated_at as _raw_updated_at
    from hashed
    left join country_aliases
        on upper({{ clean_text('hashed.country') }}) = country_aliases.alias
    left join countries
        on country_aliases.country_code = countries.country_code
),

checked as (
    select
        *,
        case
            when customer_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_created_at', 'created_at') }}
            {{ timestamp_quarantine_reason('_raw_updated_at', 'updated_at', 'version') }}
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        {{ row_outcome('customer_id', 'coalesce(updated_at, created_at) desc, _loaded_at desc') }}
    from checked
),

final as (
    select {{ star_except(['_raw_created_at', '_raw_updated_at']) }} from classified
)

select * from final
