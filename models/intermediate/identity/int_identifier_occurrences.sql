-- Every identifier every customer record carries: as recorded, plus the phones typed
-- in national format on records without a country, as int_national_phones_read reads
-- them. A view: the union is read a few times, never worth a copy.
{{ config(materialized='view') }}

with

recorded as (
    select * from {{ ref('int_identifiers_recorded') }}
),

national_phones as (
    select * from {{ ref('int_national_phones_read') }}
    where is_record and phone is not null
),

final as (
    select
        source_table,
        record_key,
        identifier_type,
        identifier_value,
        first_seen_at,
        last_seen_at
    from recorded
    union all
    select
        source_table,
        record_key,
        'phone' as identifier_type,
        phone as identifier_value,
        first_seen_at,
        last_seen_at
    from national_phones
)

select * from final
