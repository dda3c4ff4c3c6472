-- Subject access request (GDPR Art. 15): every record held about the person behind one
-- identifier, across all sources, with the source of each and the data itself. Run it
-- with `cdp access-request <type> <value> --output <file>`: the identifier is bound at run
-- time (macro query_parameter), so it never reaches compiled SQL or dbt's logs, and the
-- answer goes only to the file the officer names.
--
-- The identifier is read as everywhere (docs/contract.md §2, Identifier readings), and
-- as cdp explain-link reads its two (macro requested_identifiers). The first row
-- (section `answer`) says what was found: status found (one customer: their records
-- follow), not_found, ambiguous (several countries' customers hold the digits), shared
-- or blocked (the identifier names no one person: no one's records are given) or
-- unreadable, with a reason code (seed request_attention_reasons). For a customer: their
-- records (record_data is the staged row as JSON, macro row_to_json), consent signals
-- and privacy requests through any of their identifiers, third-party enrichment matched
-- through their hashed emails.
{%- set wanted_type = query_parameter('identifier_type') %}
{%- set wanted_value = query_parameter('identifier_value') %}
with

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

records as (
    select * from {{ ref('int_records_stitched') }}
),

consent_signals as (
    select * from {{ ref('int_consent_signals_unioned') }}
),

privacy_requests as (
    select * from {{ ref('int_privacy_requests_attributed') }}
),

staged_privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

enrichment as (
    select * from {{ ref('stg_enrichment__demographics') }}
),

source_tables as (
    select * from {{ ref('source_tables') }}
),

{{ requested_identifiers({'wanted': (wanted_type, wanted_value)}) }},

answer as (
    select * from requested
),

person as (
    select customer_id from answer
    where status = 'found'
),

person_identifiers as (
    select
        stitched.identifier_type,
        stitched.identifier_value
    from stitched
    inner join person
        on stitched.customer_id = person.customer_id
),

held_records as (
    select
        records.source_table,
        records.record_key
    from records
    inner join person
        on records.customer_id = person.customer_id
),

record_data as (
    {%- for source in identity_record_sources() %}
        select
            'record' as section,
            '{{ source.source_table }}' as source_table,
            cast(staged.{{ source.record_key }} as string) as record_key,
            {{ row_to_json('staged') }} as record_data
        from {{ source.relation }} as staged
        inner join held_records
            on held_records.source_table = '{{ source.source_table }}'
                and cast(staged.{{ source.record_key }} as string) = held_records.record_key
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

signals as (
    select distinct
        'consent_signal' as section,
        consent_signals.source_table,
        consent_signals.record_key,
        {{ row_to_json('consent_signals') }} as record_data
    from consent_signals
    inner join person_identifiers
        on consent_signals.identifier_type = person_identifiers.identifier_type
            and consent_signals.identifier_value = person_identifiers.identifier_value
    where not consent_signals.is_privacy_request
),

requests as (
    select
        'privacy_request' as section,
        'privacy_requests' as source_table,
        staged_privacy_requests.request_id as record_key,
        {{ row_to_json('staged_privacy_requests') }} as record_data
    from staged_privacy_requests
    inner join privacy_requests
        on staged_privacy_requests.request_id = privacy_requests.request_id
    inner join person
        on privacy_requests.customer_id = person.customer_id
),

third_party as (
    select
        'enrichment' as section,
        'enrichment_demographics' as source_table,
        enrichment.email_sha256 || '#' || enrichment.provider as record_key,
        {{ row_to_json('enrichment') }} as record_data
    from enrichment
    inner join person_identifiers
        on person_identifiers.identifier_type = 'email'
            and enrichment.email_sha256 = {{ sha256_hex('person_identifiers.identifier_value') }}
),

held as (
    select * from record_data
    union all
    select * from signals
    union all
    select * from requests
    union all
    select * from third_party
),

final as (
    select
        'answer' as section,
        answer.status,
        answer.reason_code,
        answer.identifier_type,
        answer.identifier_value as read_as,
        answer.customer_id,
        cast(null as string) as source_system,
        cast(null as string) as source_table,
        cast(null as string) as record_key,
        cast(null as string) as record_data
    from answer
    union all
    select
        held.section,
        cast(null as string) as status,
        cast(null as string) as reason_code,
        cast(null as string) as identifier_type,
        cast(null as string) as read_as,
        cast(null as string) as customer_id,
        source_tables.source_system,
        held.source_table,
        held.record_key,
        held.record_data
    from held
    left join source_tables
        on held.source_table = source_tables.source_table
)

select * from final
order by
    section = 'answer' desc, section asc, source_system asc, source_table asc, record_key asc
