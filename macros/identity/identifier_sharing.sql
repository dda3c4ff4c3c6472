{#- The sharing guard's measurement (docs/contract.md §2): for every identifier value
    whose type has limits in the identifier_limits seed, how many distinct values of
    each linked type appear with it on the same records, and whether that is over the
    limit for its type (and, for phones, its line type). Blocked values are not
    counted (test@test.com is nobody's address).
      pairs            relation of (identifier_type, identifier_value, linked_type,
                       linked_value): the identifiers seen together on one record
                       (int_identifier_pairs_recorded), distinct or not
      identifier_types optional list: measure only these types
      line_types       optional relation of (phone, line_type); phones without one,
                       and every other type, use the seed's line_type 'any' /
                       'unknown'
    Returns one row per identifier value and linked type: identifier_type,
    identifier_value, line_type, linked_type, linked_value_count, max_linked_values,
    is_over_limit. -#}
{% macro identifier_sharing(pairs, identifier_types=none, line_types=none) -%}
with

pairs as (
    select * from {{ pairs }}
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

-- each pair with the first value's line type; a blocked linked value is nobody's
-- account or address
typed_pairs as (
    select
        pairs.identifier_type,
        pairs.identifier_value,
        case
            when pairs.identifier_type <> 'phone' then 'any'
            {%- if line_types %}
            else coalesce(line_types.line_type, 'unknown')
            {%- else %}
            else 'unknown'
            {%- endif %}
        end as line_type,
        pairs.linked_type,
        pairs.linked_value
    from pairs
    inner join limited_types
        on pairs.identifier_type = limited_types.identifier_type
    {%- if line_types %}
    left join line_types
        on pairs.identifier_type = 'phone'
            and pairs.identifier_value = line_types.phone
    {%- endif %}
    left join blocked_identifiers
        on {{ matches_blocked_identifier(
            'pairs.linked_type', 'pairs.linked_value', 'blocked_identifiers'
        ) }}
    where blocked_identifiers.identifier_value is null
),

-- the distinct pairs on which a limit applies
limited_pairs as (
    select distinct
        typed_pairs.identifier_type,
        typed_pairs.identifier_value,
        typed_pairs.line_type,
        typed_pairs.linked_type,
        identifier_limits.max_linked_values,
        typed_pairs.linked_value
    from typed_pairs
    inner join identifier_limits
        on typed_pairs.identifier_type = identifier_limits.identifier_type
            and typed_pairs.line_type = identifier_limits.line_type
            and typed_pairs.linked_type = identifier_limits.linked_type
),

-- counted with count(*) over distinct rows: a count(distinct) beside another aggregate
-- makes DuckDB group twice and join the two
measured as (
    select
        identifier_type,
        identifier_value,
        line_type,
        linked_type,
        count(*) as linked_value_count,
        max_linked_values
    from limited_pairs
    group by identifier_type, identifier_value, line_type, linked_type, max_linked_values
)

select
    *,
    linked_value_count > max_linked_values as is_over_limit
from measured
{%- endmacro %}
