{#- Select one row per (record, identifier) from a staged relation.
      relation       the stg_ model (a ref)
      source_table   raw table name the records come from
      record_key     SQL expression of the record's key
      identifiers    {identifier_type: column} the record carries
      first_seen_at  / last_seen_at: business time of the record (SPEC 2: never _loaded_at)
      where          optional filter (e.g. deleted CRM contacts carry nothing)
    Null identifier values are dropped. -#}
{% macro identifiers_of(relation, source_table, record_key, identifiers, first_seen_at, last_seen_at=none, where=none) -%}
    select
        '{{ source_table }}' as source_table,
        cast({{ record_key }} as varchar) as record_key,
        identifier.identifier_type,
        identifier.identifier_value,
        {{ first_seen_at }} as first_seen_at,
        {{ last_seen_at or first_seen_at }} as last_seen_at
    from {{ relation }}
    cross join unnest([
        {%- for identifier_type, column in identifiers.items() %}
        {'identifier_type': '{{ identifier_type }}', 'identifier_value': {{ column }}}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    ]) as unnested (identifier)
    where identifier.identifier_value is not null
    {%- if where %}
        and ({{ where }})
    {%- endif %}
{%- endmacro %}
