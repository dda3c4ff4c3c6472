-- The identifier every consent event and privacy request names, read as the records'
-- identifiers are (docs/contract.md §2, Identifier readings): normalized by its type in
-- staging, a phone typed in national format read by int_national_phones_read, and a
-- value `cdp erase-raw` replaced by its keyed hash ('cdp-erased:<hash>') read back as
-- the identifier that has that hash, when a record carries it (in clear, or as the
-- same stand-in). So anonymizing the raw tables changes no decision: the signal names
-- the same identifier before and after. One row per kept consent event or privacy
-- request; identifier_value null when it cannot be read (unresolved_reason says why).
with

consent_events as (
    select * from {{ ref('stg_consent__events') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

national_phones as (
    select * from {{ ref('int_national_phones_read') }}
    where not is_record
),

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
),

signals as (
    select
        'consent_events' as source_table,
        event_id as record_key,
        identifier_type,
        identifier_value,
        erased_identifier_hash
    from consent_events
    union all
    select
        'privacy_requests' as source_table,
        request_id as record_key,
        identifier_type,
        identifier_value,
        erased_identifier_hash
    from privacy_requests
),

signals_read as (
    select
        signals.source_table,
        signals.record_key,
        signals.identifier_type,
        coalesce(signals.identifier_value, national_phones.phone) as identifier_value,
        signals.erased_identifier_hash,
        national_phones.unresolved_reason
    from signals
    left join national_phones
        on signals.source_table = national_phones.source_table
            and signals.record_key = national_phones.record_key
),

-- a stand-in names whichever identifier has its hash; when two do (an erased address
-- delivered again in clear beside its stand-in), the one in clear
final as (
    select
        signals_read.source_table,
        signals_read.record_key,
        signals_read.identifier_type,
        coalesce(hashed_identifiers.identifier_value, signals_read.identifier_value)
            as identifier_value,
        signals_read.erased_identifier_hash,
        signals_read.unresolved_reason
    from signals_read
    left join hashed_identifiers
        on signals_read.erased_identifier_hash is not null
            and signals_read.identifier_type = hashed_identifiers.identifier_type
            and signals_read.erased_identifier_hash = hashed_identifiers.identifier_hash
    qualify row_number() over (
            partition by signals_read.source_table, signals_read.record_key
            order by
                left(coalesce(hashed_identifiers.identifier_value, ''), 11) = 'cdp-erased:',
                hashed_identifiers.identifier_value
        ) = 1
)

select * from final
