{#- Select one row per (record, named column value) from a staged relation: the
    shared shape of identifier occurrences and profile attribute observations.
      relation       the stg_ model (a ref)
      source_table   raw table name the records come from
      record_key     SQL expression of the record's key
      columns        {name: SQL expression} to unpivot; values are cast to varchar
      first_seen_at  / last_seen_at: business time of the record (SPEC 2: never _loaded_at)
      where          optional filter (e.g. deleted CRM contacts carry nothing)
      name_column    / value_column: names of the output columns
    Null values are dropped. -#}
{% macro unpivot_record_columns(
    relation, source_table, record_key, columns, first_seen_at, last_seen_at=none,
    where=none, name_column='name', value_column='value'
) -%}
    select
        '{{ source_table }}' as source_table,
        cast({{ record_key }} as varchar) as record_key,
        unpivoted.item.{{ name_column }},
        unpivoted.item.{{ value_column }},
        {{ first_seen_at }} as first_seen_at,
        {{ last_seen_at or first_seen_at }} as last_seen_at
    from {{ relation }}
    cross join unnest([
        {%- for name, expression in columns.items() %}
        {'{{ name_column }}': '{{ name }}', '{{ value_column }}': cast({{ expression }} as varchar)}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    ]) as unpivoted (item)
    where unpivoted.item.{{ value_column }} is not null
    {%- if where %}
        and ({{ where }})
    {%- endif %}
{%- endmacro %}
