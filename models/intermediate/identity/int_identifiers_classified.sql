-- One row per distinct identifier: may it link records (docs/contract.md §2), and its
-- node id in the identity graph. It links nothing when its type does not stitch, when
-- it is on the blocklist (in any casing), when it is a phone of a line type that is
-- never a person's (var identity_non_stitching_line_types: toll-free and other
-- service numbers), or when it is shared: seen with more accounts or addresses of one
-- kind than its limit (int_identifier_sharing_measured), or, for a phone, on records
-- naming different people (int_phone_first_names_compared; var
-- identity_compare_first_names).
{%- set non_stitching_line_types = var('identity_non_stitching_line_types') %}
{%- set compare_first_names = var('identity_compare_first_names') %}

with

-- not materialized: a scan is cheaper than copying 20M rows
occurrences as {{ not_materialized() }} (
    select * from {{ ref('int_identifier_occurrences') }}
),

identifier_types as (
    select * from {{ ref('identifier_types') }}
),

blocked_identifiers as (
    select * from {{ ref('blocked_identifiers') }}
),

phone_line_types as (
    select * from {{ ref('int_phone_line_types') }}
),

sharing as (
    select * from {{ ref('int_identifier_sharing_measured') }}
),

phone_first_names as (
    select * from {{ ref('int_phone_first_names_compared') }}
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

-- dense integers over the sorted identifiers: collision-free graph node ids (a 64-bit
-- hash of the strings could collide), stable for the same data. Oldest first, in the
-- order that picks a customer's anchor identifier (int_identifiers_stitched): a
-- component's smallest node is its anchor. Numbered before the joins below: the sort
-- then carries five columns, not twelve (1.5 s less at 1M customers)
numbered_identifiers as (
    select
        cast(dense_rank() over (
            order by
                identifiers.first_seen_at nulls last,
                identifiers.identifier_type,
                identifiers.identifier_value
        ) as bigint) as node_id,
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.record_count,
        identifiers.first_seen_at,
        identifiers.last_seen_at
    from identifiers
    -- a type the identifier_types seed does not know is left out (the join below)
    where
        identifiers.identifier_type in (
            select identifier_types.identifier_type from identifier_types
        )
),

violations as (
    select
        identifier_type,
        identifier_value,
        linked_type as shared_with_type,
        linked_value_count as shared_with_count,
        max_linked_values as sharing_limit
    from sharing
    where is_over_limit
    {%- if compare_first_names %}
        union all
        select
            'phone' as identifier_type,
            phone as identifier_value,
            'first_name' as shared_with_type,
            first_name_count as shared_with_count,
            1 as sharing_limit
        from phone_first_names
        where has_conflicting_first_names
    {%- endif %}
),

-- the limit an identifier exceeds most (then by linked type): the evidence shown
worst_violations as (
    select * from violations
    qualify row_number() over (
            partition by identifier_type, identifier_value
            order by shared_with_count - sharing_limit desc, shared_with_type
        ) = 1
),

classified as (
    select
        identifiers.node_id,
        identifiers.identifier_type,
        identifiers.identifier_value,
        phone_line_types.line_type,
        case
            when not identifier_types.is_stitching then 'type_not_stitching'
            when blocked_identifiers.identifier_value is not null then 'blocked'
            when phone_line_types.is_placeholder then 'blocked'
            {%- if non_stitching_line_types %}
                when phone_line_types.line_type in (
                        {%- for line_type in non_stitching_line_types %}
                            {{ quote_literal(line_type) }}{{ ',' if not loop.last }}
                        {%- endfor %}
                    ) then 'service_number'
            {%- endif %}
            when worst_violations.identifier_value is not null then 'shared'
        end as non_stitching_reason,
        worst_violations.shared_with_type,
        worst_violations.shared_with_count,
        worst_violations.sharing_limit,
        identifiers.record_count,
        identifiers.first_seen_at,
        identifiers.last_seen_at
    from numbered_identifiers as identifiers
    inner join identifier_types
        on identifiers.identifier_type = identifier_types.identifier_type
    left join blocked_identifiers
        on {{ matches_blocked_identifier(
            'identifiers.identifier_type', 'identifiers.identifier_value', 'blocked_identifiers'
        ) }}
    left join phone_line_types
        on identifiers.identifier_type = 'phone'
            and identifiers.identifier_value = phone_line_types.phone
    left join worst_violations
        on identifiers.identifier_type = worst_violations.identifier_type
            and identifiers.identifier_value = worst_violations.identifier_value
),

final as (
    select
        node_id,
        identifier_type,
        identifier_value,
        line_type,
        non_stitching_reason,
        shared_with_type,
        shared_with_count,
        sharing_limit,
        record_count,
        non_stitching_reason is null as is_stitching,
        first_seen_at,
        last_seen_at
    from classified
)

select * from final
