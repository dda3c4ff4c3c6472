-- Phones typed in national format in consent events and privacy requests ("020 7946
-- 0123"), resolved as docs/contract.md §2 says: with the customer's country. The event
-- carries no country and its customer is whoever holds the number, so every country's
-- reading of the digits (countries seed) is looked up among the phones the records
-- carry: exactly one known reading resolves it; none or several leave it unresolved,
-- with the reason, for requests_needing_attention to list. Never guessed.
-- One row per consent event or privacy request with a national phone.
with

consent_events as (
    select * from {{ ref('stg_consent__events') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

countries as (
    select * from {{ ref('countries') }}
),

signals as (
    select
        'consent_events' as source_table,
        event_id as record_key,
        phone_national_digits
    from consent_events
    where phone_national_digits is not null
    union all
    select
        'privacy_requests' as source_table,
        request_id as record_key,
        phone_national_digits
    from privacy_requests
    where phone_national_digits is not null
),

readings as (
    select distinct
        signals.source_table,
        signals.record_key,
        {{ normalize_phone(
            'signals.phone_national_digits', 'countries.dialing_code', 'countries.trunk_prefix'
        ) }} as phone
    from signals
    cross join countries
),

known_readings as (
    select
        readings.source_table,
        readings.record_key,
        readings.phone
    from readings
    inner join identifiers
        on identifiers.identifier_type = 'phone'
            and readings.phone = identifiers.identifier_value
),

matched as (
    select
        source_table,
        record_key,
        count(*) as known_reading_count,
        min(phone) as phone
    from known_readings
    group by source_table, record_key
),

final as (
    select
        signals.source_table,
        signals.record_key,
        case when matched.known_reading_count = 1 then matched.phone end as phone,
        coalesce(matched.known_reading_count, 0) as known_reading_count,
        case
            when matched.known_reading_count is null then 'national_phone_not_found'
            when matched.known_reading_count > 1 then 'national_phone_ambiguous'
        end as unresolved_reason
    from signals
    left join matched
        on signals.source_table = matched.source_table
            and signals.record_key = matched.record_key
)

select * from final
