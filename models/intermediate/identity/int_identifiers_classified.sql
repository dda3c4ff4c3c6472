-- One row per distinct identifier: is it allowed to link records (docs/contract.md §2 guards
-- against over-merging), and its node id in the identity graph.
{%- set account_types = "'" ~ var('identity_account_types') | join("', '") ~ "'" %}

with

-- not materialized: read twice, and a scan is cheaper than copying 20M rows
occurrences as not materialized (
    select * from {{ ref('int_identifier_occurrences') }}
),

identifier_types as (
    select * from {{ ref('identifier_types') }}
),

blocked_identifiers as (
    select * from {{ ref('blocked_identifiers') }}
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        -- a record carries an identifier once (the occurrences' key), so rows = records
        count(*) as record_count,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from occurrences
    group by identifier_type, identifier_value
),

-- how many distinct accounts of each kind a value appears with on one record;
-- blocked values (test@test.com) are no accounts
account_occurrences as (
    select occurrences.*
    from occurrences
    left join blocked_identifiers
        on occurrences.identifier_type = blocked_identifiers.identifier_type
            and occurrences.identifier_value = blocked_identifiers.identifier_value
    where
        occurrences.identifier_type in ({{ account_types }})
        and blocked_identifiers.identifier_value is null
),

accounts_per_value as (
    select
        occurrences.identifier_type,
        occurrences.identifier_value,
        account_occurrences.identifier_type as account_type,
        count(distinct account_occurrences.identifier_value) as account_count
    from occurrences
    inner join account_occurrences
        on occurrences.source_table = account_occurrences.source_table
            and occurrences.record_key = account_occurrences.record_key
            and occurrences.identifier_type <> account_occurrences.identifier_type
    group by occurrences.identifier_type, occurrences.identifier_value, account_type
),

sharing as (
    select
        identifier_type,
        identifier_value,
        max(account_count) as max_accounts_sharing
    from accounts_per_value
    group by identifier_type, identifier_value
),

classified as (
    select
        identifiers.identifier_type,
        identifiers.identifier_value,
        case
            when not identifier_types.is_stitching then 'type_not_stitching'
            when blocked_identifiers.identifier_value is not null then 'blocked'
            when coalesce(sharing.max_accounts_sharing, 0)
                > identifier_types.max_accounts_per_value then 'shared'
        end as non_stitching_reason,
        identifiers.record_count,
        coalesce(sharing.max_accounts_sharing, 0) as max_accounts_sharing,
        identifiers.first_seen_at,
        identifiers.last_seen_at
    from identifiers
    inner join identifier_types
        on identifiers.identifier_type = identifier_types.identifier_type
    left join blocked_identifiers
        on identifiers.identifier_type = blocked_identifiers.identifier_type
            and identifiers.identifier_value = blocked_identifiers.identifier_value
    left join sharing
        on identifiers.identifier_type = sharing.identifier_type
            and identifiers.identifier_value = sharing.identifier_value
),

final as (
    select
        -- dense integers over the sorted identifiers: collision-free graph node ids
        -- (a 64-bit hash of the strings could collide), stable for the same data.
        -- Oldest first, in the order that picks a customer's anchor identifier
        -- (int_identifiers_stitched): a component's smallest node is its anchor.
        dense_rank() over (
            order by
                coalesce(first_seen_at, 'infinity'::timestamp),
                identifier_type,
                identifier_value
        ) as node_id,
        identifier_type,
        identifier_value,
        non_stitching_reason,
        record_count,
        max_accounts_sharing,
        non_stitching_reason is null as is_stitching,
        first_seen_at,
        last_seen_at
    from classified
)

select * from final
