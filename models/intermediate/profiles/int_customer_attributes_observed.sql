-- The values of profile attributes a customer's records carry, with where and when
-- they were collected: the candidates of golden-record survivorship and the answer
-- to "where did this value come from?". Names, birth date, address, country, the
-- loyalty tier and the brand come from the records whose source declares them as
-- attributes (macro cdp_sources: CRM contacts, shop accounts, loyalty memberships);
-- emails and phones are the customer's stitching identifiers only (docs/contract.md
-- §3: a shared or blocked value, such as a store's phone, is never anyone's primary
-- phone), observed on the latest record of each source table that carries them.
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

source_tables as (
    select * from {{ ref('source_tables') }}
),

source_systems as (
    select * from {{ ref('source_systems') }}
),

-- the attributes each declared source contributes (macro cdp_sources)
observations as (
    {%- for source in identity_record_sources() if source.attributes %}
    {{ unpivot_record_columns(
        source.relation, source.source_table, source.record_key, source.attributes,
        source.first_seen_at, source.last_seen_at, where=source.where,
        name_column='attribute_name', value_column='attribute_value'
    ) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

-- Emails and phones: the stitching identifiers, with their customer straight from
-- int_identifiers_stitched. Per source table only the latest record carrying the
-- value can win survivorship (then the smallest record key), so keep just that one.
contact_identifiers as (
    select
        occurrences.source_table,
        occurrences.identifier_type,
        occurrences.identifier_value,
        min({{ struct_pack({
            'newest_first': '-' ~ epoch_microseconds('occurrences.last_seen_at'),
            'record_key': 'occurrences.record_key',
        }) }}) as latest
    from occurrences
    where occurrences.identifier_type in ('email', 'phone')
    group by
        occurrences.source_table, occurrences.identifier_type, occurrences.identifier_value
),

contact_observations as (
    select
        stitched.customer_id,
        contact_identifiers.identifier_type as attribute_name,
        contact_identifiers.identifier_value as attribute_value,
        contact_identifiers.source_table,
        -- a struct's field, which sqlfluff takes for a schema-qualified column
        contact_identifiers.latest.record_key,  -- noqa: RF01
        {{ timestamp_from_epoch_microseconds('-contact_identifiers.latest.newest_first') }}
            as last_seen_at
    from contact_identifiers
    inner join stitched
        on contact_identifiers.identifier_type = stitched.identifier_type
            and contact_identifiers.identifier_value = stitched.identifier_value
),

account_observations as (
    select
        records.customer_id,
        observations.attribute_name,
        observations.attribute_value,
        observations.source_table,
        observations.record_key,
        observations.last_seen_at
    from observations
    inner join records
        on observations.source_table = records.source_table
            and observations.record_key = records.record_key
    where records.customer_id is not null
),

customer_observations as (
    select * from account_observations
    union all
    select * from contact_observations
),

final as (
    select
        customer_observations.customer_id,
        customer_observations.attribute_name,
        customer_observations.attribute_value,
        source_tables.source_system,
        customer_observations.source_table,
        customer_observations.record_key,
        source_systems.party,
        source_systems.trust_rank,
        customer_observations.last_seen_at as observed_at
    from customer_observations
    -- left joins: a table without a declaration fails the not_null tests, not silently
    left join source_tables
        on customer_observations.source_table = source_tables.source_table
    left join source_systems
        on source_tables.source_system = source_systems.source_system
)

select * from final
