{#- The sharing guard's measurement (docs/contract.md §2): for every identifier value
    whose type has limits in the identifier_limits seed, how many distinct values of
    each linked type appear with it on the same records, and whether that is over the
    limit for its type (and, for phones, its line type). Blocked values are not
    counted (test@test.com is nobody's address).
      occurrences      relation of (source_table, record_key, identifier_type,
                       identifier_value) rows
      identifier_types optional list: measure only these types
      line_types       optional relation of (phone, line_type); phones without one,
                       and every other type, use the seed's line_type 'any' /
                       'unknown'
    Returns one row per identifier value and linked type: identifier_type,
    identifier_value, line_type, linked_type, linked_value_count, max_linked_values,
    is_over_limit. -#}
{% macro identifier_sharing(occurrences, identifier_types=none, line_types=none) -%}
with

occurrences as (
    select * from {{ occurrences }}
),

identifier_limits as (
    select * from {{ ref('identifier_limits') }}
),

blocked_identifiers as (
    select * from {{ ref('blocked_identifiers') }}
),

{% if line_types -%}
line_types as (
    select * from {{ line_types }}
),

{% endif -%}
limited_types as (
    select distinct identifier_type from identifier_limits
    {%- if identifier_types %}
    where identifier_type in ('{{ identifier_types | join("', '") }}')
    {%- endif %}
),

linked_types as (
    select distinct linked_type from identifier_limits
),

subjects as (
    select
        occurrences.source_table,
        occurrences.record_key,
        occurrences.identifier_type,
        occurrences.identifier_value,
        case
            when occurrences.identifier_type <> 'phone' then 'any'
            {%- if line_types %}
            else coalesce(line_types.line_type, 'unknown')
            {%- else %}
            else 'unknown'
            {%- endif %}
        end as line_type
    from occurrences
    inner join limited_types
        on occurrences.identifier_type = limited_types.identifier_type
    {%- if line_types %}
    left join line_types
        on occurrences.identifier_type = 'phone'
            and occurrences.identifier_value = line_types.phone
    {%- endif %}
),

-- values that count: a blocked value is nobody's account or address
linked as (
    select
        occurrences.source_table,
        occurrences.record_key,
        occurrences.identifier_type,
        occurrences.identifier_value
    from occurrences
    inner join linked_types
        on occurrences.identifier_type = linked_types.linked_type
    left join blocked_identifiers
        on {{ matches_blocked_identifier(
            'occurrences.identifier_type', 'occurrences.identifier_value', 'blocked_identifiers'
        ) }}
    where blocked_identifiers.identifier_value is null
),

pairs as (
    select
        subjects.identifier_type,
        subjects.identifier_value,
        subjects.line_type,
        identifier_limits.linked_type,
        identifier_limits.max_linked_values,
        linked.identifier_value as linked_value
    from subjects
    inner join identifier_limits
        on subjects.identifier_type = identifier_limits.identifier_type
            and subjects.line_type = identifier_limits.line_type
    inner join linked
        on subjects.source_table = linked.source_table
            and subjects.record_key = linked.record_key
            and identifier_limits.linked_type = linked.identifier_type
),

measured as (
    select
        identifier_type,
        identifier_value,
        line_type,
        linked_type,
        count(distinct linked_value) as linked_value_count,
        max(max_linked_values) as max_linked_values
    from pairs
    group by identifier_type, identifier_value, line_type, linked_type
)

select
    *,
    linked_value_count > max_linked_values as is_over_limit
from measured
{%- endmacro %}
