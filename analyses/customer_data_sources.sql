-- Where every customer's data came from: per customer, the source systems and
-- data parties their records, consent signals and enrichment come from, with
-- record counts. Answers "which systems hold data about this customer?" for
-- privacy reviews and data-processing registers.
--
--   dbt show --select customer_data_sources --limit 20
--   dbt compile --select customer_data_sources   # the SQL, to export it in full
with

records as (
    select * from {{ ref('int_records_stitched') }}
),

consent_signals as (
    select * from {{ ref('int_consent_signals_attributed') }}
),

enrichment as (
    select * from {{ ref('int_customer_enrichment_matched') }}
),

source_tables as (
    select * from {{ ref('source_tables') }}
),

source_systems as (
    select * from {{ ref('source_systems') }}
),

held as (
    select
        customer_id,
        source_table,
        count(*) as record_count
    from records
    where customer_id is not null
    group by customer_id, source_table
    union all
    select
        customer_id,
        source_table,
        count(distinct record_key) as record_count
    from consent_signals
    where customer_id is not null
    group by customer_id, source_table
    union all
    select
        customer_id,
        'enrichment_demographics' as source_table,
        1 as record_count
    from enrichment
),

-- a record can be both a customer record and a consent signal (an unsubscribe)
per_source_table as (
    select
        customer_id,
        source_table,
        max(record_count) as record_count
    from held
    group by customer_id, source_table
),

final as (
    select
        held.customer_id,
        array_sort(
            array_agg(distinct source_tables.source_system)
            filter (where source_tables.source_system is not null)
        ) as source_systems,
        array_sort(
            array_agg(distinct source_systems.party)
            filter (where source_systems.party is not null)
        ) as parties,
        sum(held.record_count) as record_count,
        map_from_entries(array_sort(array_agg({{ struct_pack({
            'source_table': 'held.source_table', 'record_count': 'held.record_count'
        }) }}))) as records_by_source_table
    from per_source_table as held
    left join source_tables
        on held.source_table = source_tables.source_table
    left join source_systems
        on source_tables.source_system = source_systems.source_system
    group by held.customer_id
    order by held.customer_id
)

select * from final
