{#- The erasure log: what the project keeps, from build to build, of everyone erased —
    keyed hashes only (macro salted_hash), never a value in clear. One row per
    identifier of an erased customer (every identifier their records carry, account
    ids and cookies included) and per identifier an erasure request names.

    It is state, like an EL tool's sync cursor: an incremental model that only ever
    appends and that `--full-refresh` does not rebuild (full_refresh=false). So once
    `cdp erase-raw` has anonymized the raw rows, and when the EL tool delivers the
    person's rows again, the build still knows them: a customer holding an identifier
    whose hash is logged stays erased (int_customers_privacy_flagged), and every value
    whose hash is logged is masked everywhere (customer_identities, macro
    apply_erasures).

    A customer is erased now when an erasure request names one of their stitching
    identifiers, or when one of them is already in the log. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail',
) }}
-- depends_on: {{ ref('int_identifiers_stitched') }}

with

requests as (
    select * from {{ ref('int_privacy_requests_attributed') }}
    where request_type = 'erasure'
),

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

records as (
    select * from {{ ref('int_records_stitched') }}
),

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
),

{% if is_incremental() -%}
logged as (
    select * from {{ this }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

-- customers holding a stitching identifier erased by an earlier build
customers_logged_before as (
    select
        stitched.customer_id,
        min(logged.request_id) as request_id,
        min(logged.requested_at) as requested_at
    from stitched
    inner join hashed_identifiers
        on stitched.node_id = hashed_identifiers.node_id
    inner join logged
        on hashed_identifiers.identifier_type = logged.identifier_type
            and hashed_identifiers.identifier_hash = logged.identifier_hash
    group by stitched.customer_id
),

{% endif -%}
customers_requested as (
    select
        customer_id,
        min(request_id) as request_id,
        min(received_at) as requested_at
    from requests
    where customer_id is not null
    group by customer_id
),

erased_customers as (
    select * from customers_requested
    {%- if is_incremental() %}
    union all
    select * from customers_logged_before
    {%- endif %}
),

-- every identifier the erased customers' records carry (shared ones too)
carried as (
    select
        hashed_identifiers.identifier_type,
        hashed_identifiers.identifier_hash,
        erased_customers.request_id,
        erased_customers.requested_at
    from occurrences
    inner join records
        on occurrences.source_table = records.source_table
            and occurrences.record_key = records.record_key
    inner join erased_customers
        on records.customer_id = erased_customers.customer_id
    inner join hashed_identifiers
        on occurrences.identifier_type = hashed_identifiers.identifier_type
            and occurrences.identifier_value = hashed_identifiers.identifier_value
),

-- and every identifier a request names, linked to anyone or not
named as (
    select
        identifier_type,
        identifier_hash,
        request_id,
        received_at as requested_at
    from requests
    where identifier_hash is not null
),

identifiers as (
    select * from carried
    union all
    select * from named
),

hashed as (
    select
        identifier_type,
        identifier_hash,
        min(request_id) as request_id,
        min(requested_at) as requested_at
    from identifiers
    group by identifier_type, identifier_hash
),

final as (
    select
        hashed.identifier_type,
        hashed.identifier_hash,
        hashed.request_id,
        hashed.requested_at
    from hashed
    {%- if is_incremental() %}
    left join logged
        on hashed.identifier_type = logged.identifier_type
            and hashed.identifier_hash = logged.identifier_hash
    where logged.identifier_hash is null
    {%- endif %}
)

select * from final
