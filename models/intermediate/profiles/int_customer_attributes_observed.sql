-- Every value of a profile attribute a customer's records carry, with where and
-- when it was collected: the candidates of golden-record survivorship and the
-- answer to "where did this value come from?". Emails and phones are the
-- customer's stitching identifiers only (SPEC 3: a shared or blocked value, such
-- as a store's phone, is never anyone's primary phone). Brands and loyalty tiers
-- are observed the same way.
with

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

shop_orders as (
    select * from {{ ref('stg_shop__orders') }}
),

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
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

shop_order_attributes as (
    {{ unpivot_record_columns(
        'shop_orders', 'shop_orders', 'order_id', {'brand': 'brand'}, 'ordered_at',
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

pos_attributes as (
    {{ unpivot_record_columns(
        'pos_transactions', 'pos_transactions', 'transaction_id', {'brand': 'brand'},
        'transacted_at', name_column='attribute_name', value_column='attribute_value'
    ) }}
),

contact_identifiers as (
    select
        occurrences.source_table,
        occurrences.record_key,
        occurrences.identifier_type as attribute_name,
        occurrences.identifier_value as attribute_value,
        occurrences.first_seen_at,
        occurrences.last_seen_at
    from occurrences
    inner join identifiers
        on occurrences.identifier_type = identifiers.identifier_type
            and occurrences.identifier_value = identifiers.identifier_value
    where occurrences.identifier_type in ('email', 'phone') and identifiers.is_stitching
),

observations as (
    select * from crm_attributes
    union all
    select * from shop_customer_attributes
    union all
    select * from shop_order_attributes
    union all
    select * from loyalty_attributes
    union all
    select * from pos_attributes
    union all
    select * from contact_identifiers
),

final as (
    select
        records.customer_id,
        observations.attribute_name,
        observations.attribute_value,
        source_tables.source_system,
        observations.source_table,
        observations.record_key,
        source_systems.party,
        source_systems.trust_rank,
        observations.last_seen_at as observed_at
    from observations
    inner join records
        on observations.source_table = records.source_table
            and observations.record_key = records.record_key
    -- left joins: a table missing from the seeds fails the not_null tests, not silently
    left join source_tables
        on observations.source_table = source_tables.source_table
    left join source_systems
        on source_tables.source_system = source_systems.source_system
    where records.customer_id is not null
)

select * from final
