-- Subject access request (GDPR Art. 15): every record held about the person behind
-- one identifier, across all sources, with the source of each and the data itself.
--
--   dbt show --select subject_access_request --limit 1000 --vars '{
--       identifier_type: email, identifier_value: " Jane.Doe@Example.com"}'
--
-- The person is the customer the identifier is stitched to; records that carry the
-- identifier without belonging to that customer (it is shared or blocked, or the
-- record belongs to nobody) are included too, since they hold the value. Consent
-- signals and privacy requests through any of the person's identifiers, and
-- third-party enrichment matched through their hashed emails, are listed as well.
-- record_data is the whole staged row as JSON (macro row_to_json). The vars reach
-- SQL only as quoted literals (macro quote_literal): o'brien@x.com is an email.
{%- set wanted_type = quote_literal(var('identifier_type', 'email')) %}
{%- set wanted_value = quote_literal(var('identifier_value', '')) %}
with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

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
    select * from {{ ref('stg_privacy__requests') }}
),

enrichment as (
    select * from {{ ref('stg_enrichment__demographics') }}
),

source_tables as (
    select * from {{ ref('source_tables') }}
),

wanted as (
    select
        {{ wanted_type }} as identifier_type,
        {{ normalize_identifier(wanted_type, wanted_value) }} as identifier_value
),

person as (
    select stitched.customer_id
    from stitched
    inner join wanted
        on stitched.identifier_type = wanted.identifier_type
            and stitched.identifier_value = wanted.identifier_value
),

person_identifiers as (
    select
        stitched.identifier_type,
        stitched.identifier_value
    from stitched
    inner join person
        on stitched.customer_id = person.customer_id
    union
    select
        identifier_type,
        identifier_value
    from wanted
),

held_records as (
    select
        records.source_table,
        records.record_key
    from records
    inner join person
        on records.customer_id = person.customer_id
    union
    select
        occurrences.source_table,
        occurrences.record_key
    from occurrences
    inner join wanted
        on occurrences.identifier_type = wanted.identifier_type
            and occurrences.identifier_value = wanted.identifier_value
),

record_data as (
    {%- for source in identity_record_sources() %}
        select
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
        'privacy_requests' as source_table,
        privacy_requests.request_id as record_key,
        {{ row_to_json('privacy_requests') }} as record_data
    from privacy_requests
    inner join person_identifiers
        on privacy_requests.identifier_type = person_identifiers.identifier_type
            and privacy_requests.identifier_value = person_identifiers.identifier_value
),

third_party as (
    select
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
        source_tables.source_system,
        held.source_table,
        held.record_key,
        held.record_data
    from held
    left join source_tables
        on held.source_table = source_tables.source_table
    order by source_tables.source_system, held.source_table, held.record_key
)

select * from final
