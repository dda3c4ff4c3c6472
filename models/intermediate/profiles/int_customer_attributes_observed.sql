-- The values of profile attributes a customer's records carry, with where and when
-- they were collected: the candidates of golden-record survivorship and the answer
-- to "where did this value come from?". Names, birth date, address, country, the
-- loyalty tier and the brand of the customer's accounts (CRM contacts, shop
-- accounts, loyalty memberships) come from those records; emails and phones are
-- the customer's stitching identifiers only (docs/contract.md §3: a shared or blocked value,
-- such as a store's phone, is never anyone's primary phone), observed on the latest
-- record of each source table that carries them.
with

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
),

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

crm_attributes as (
    {{ unpivot_record_columns(
        'crm_contacts', 'crm_contacts', 'contact_id',
        {
            'first_name': 'first_name', 'last_name': 'last_name',
            'birth_date': 'birth_date', 'city': 'city', 'postal_code': 'postal_code',
            'country': 'country_code', 'brand': 'brand',
        },
        'created_at', 'coalesce(updated_at, created_at)', where='not is_deleted',
        name_column='attribute_name', value_column='attribute_value'
    ) }}
),

shop_customer_attributes as (
    {{ unpivot_record_columns(
        'shop_customers', 'shop_customers', 'customer_id',
        {
            'first_name': 'first_name', 'last_name': 'last_name',
            'country': 'country_code', 'brand': 'brand',
        },
        'created_at', 'coalesce(updated_at, created_at)',
        name_column='attribute_name', value_column='attribute_value'
    ) }}
),

loyalty_attributes as (
    {{ unpivot_record_columns(
        'loyalty_members', 'loyalty_members', 'loyalty_id',
        {
            'first_name': 'first_name', 'last_name': 'last_name',
            'loyalty_tier': 'tier', 'brand': 'brand',
        },
        'enrolled_at', 'coalesce(updated_at, enrolled_at)',
        name_column='attribute_name', value_column='attribute_value'
    ) }}
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

observations as (
    select * from crm_attributes
    union all
    select * from shop_customer_attributes
    union all
    select * from loyalty_attributes
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
    -- left joins: a table missing from the seeds fails the not_null tests, not silently
    left join source_tables
        on customer_observations.source_table = source_tables.source_table
    left join source_systems
        on source_tables.source_system = source_systems.source_system
)

select * from final
