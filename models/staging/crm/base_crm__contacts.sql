{{ config(materialized='table') }}

{#- the record's phone in E.164, using its country for national numbers -#}
{%- set phone_e164 = normalize_phone(
    'hashed.phone', 'countries.dialing_code', 'countries.trunk_prefix'
) %}

with

crm_contacts as (
    select * from {{ source('crm', 'crm_contacts') }}
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
    from crm_contacts
),

standardized as (
    select
        {{ clean_text('hashed.contact_id') }} as contact_id,
        {{ normalize_enum('hashed.brand') }} as brand,
        {{ normalize_name('hashed.first_name') }} as first_name,
        {{ normalize_name('hashed.last_name') }} as last_name,
        {{ normalize_email('hashed.email') }} as email,
        {{ phone_e164 }} as phone,
        {{ clean_text('hashed.city') }} as city,
        {{ clean_text('hashed.postal_code') }} as postal_code,
        countries.country_code,
        {{ is_dropped_as_invalid('hashed.email', normalize_email('hashed.email')) }}
            as has_invalid_email,
        {{ is_dropped_as_invalid('hashed.phone', phone_e164) }} as has_invalid_phone,
        -- no flag sent: not deleted; an unreadable one is quarantined below
        coalesce({{ parse_boolean('hashed.is_deleted') }}, false) as is_deleted,
        {{ parse_date('hashed.birth_date') }} as birth_date,
        {{ parse_timestamp_utc('hashed.created_at') }} as created_at,
        {{ parse_timestamp_utc('hashed.updated_at') }} as updated_at,
        hashed._loaded_at,
        hashed._row_hash,
        hashed.contact_id as _raw_key,
        hashed.created_at as _raw_created_at,
        hashed.updated_at as _raw_updated_at,
        hashed.is_deleted as _raw_is_deleted,
        hashed.birth_date as _raw_birth_date
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
            when contact_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_created_at', 'created_at') }}
            {{ timestamp_quarantine_reason('_raw_updated_at', 'updated_at', 'version') }}
            -- read as false, an unreadable flag would bring a deleted contact back
            when {{ clean_text('_raw_is_deleted') }} is not null
                and {{ parse_boolean('_raw_is_deleted') }} is null
                then 'unparseable_boolean'
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        -- CDC: the latest version wins (docs/contract.md §1); a contact never updated has its
        -- creation as its only version time.
        {{ row_outcome('contact_id', 'coalesce(updated_at, created_at) desc, _loaded_at desc') }}
    from checked
),

-- a birth date in the future or before 1900 is a typo, not a fact: dropped, flagged
birth_dates_checked as (
    select
        {{ star_except(['birth_date']) }},
        case
            when birth_date between date '1900-01-01' and cast(created_at as date)
                then birth_date
        end as birth_date
    from classified
),

final as (
    select
        {{ star_except(
            ['_raw_created_at', '_raw_updated_at', '_raw_is_deleted', '_raw_birth_date']
        ) }},
        {{ is_dropped_as_invalid('_raw_birth_date', 'birth_date') }} as has_invalid_birth_date
    from birth_dates_checked
)

select * from final
