-- The sharing guard's evidence: for every email, phone and cookie, how many distinct
-- accounts and addresses of each kind appear with it on the same records, against
-- the limit for its type and line type (identifier_limits seed). A value over any
-- limit is evidently shared by different people and links nothing
-- (int_identifiers_classified). One row per identifier value and linked type.
with

-- every pair of identifiers on one record whose pair of types some limit applies to,
-- read from the records' own columns (macro recorded_identifier_pairs): not
-- materialized, the measurement below is its only reader
recorded_pairs as (
    {{ recorded_identifier_pairs() }}
),

recorded as (
    select * from {{ ref('int_identifiers_recorded') }}
),

national_phones as (
    select * from {{ ref('int_national_phones_read') }}
    where is_record and phone is not null
),

-- a phone read from national format, with the identifiers its record carries
national_phones_on_records as (
    select
        national_phones.phone,
        recorded.identifier_type,
        recorded.identifier_value
    from national_phones
    inner join recorded
        on national_phones.source_table = recorded.source_table
            and national_phones.record_key = recorded.record_key
),

identifier_pairs as (
    select * from recorded_pairs
    union all
    select
        'phone' as identifier_type,
        phone as identifier_value,
        identifier_type as linked_type,
        identifier_value as linked_value
    from national_phones_on_records
    union all
    select
        identifier_type,
        identifier_value,
        'phone' as linked_type,
        phone as linked_value
    from national_phones_on_records
),

final as (
    {{ identifier_sharing('identifier_pairs', line_types=ref('int_phone_line_types')) }}
)

select * from final
