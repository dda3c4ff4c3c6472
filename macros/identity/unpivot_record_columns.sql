{#- Select one row per (record, named column value) from a staged relation: the
    shared shape of identifier occurrences and profile attribute observations.
      relation       the stg_ model (a ref)
      source_table   raw table name the records come from
      record_key     SQL expression of the record's key
      columns        {name: SQL expression} to unpivot; values are cast to string
      first_seen_at  / last_seen_at: business time of the record (never _loaded_at)
      where          optional filter (e.g. deleted CRM contacts carry nothing)
      name_column    / value_column: names of the output columns
    Null values are dropped. One filtered scan per column, joined by union all: a
    lateral unnest of a list of structs runs 2-3x slower in DuckDB. -#}
{% macro unpivot_record_columns(
    relation, source_table, record_key, columns, first_seen_at, last_seen_at=none,
    where=none, name_column='name', value_column='value'
) -%}
    {%- for name, expression in columns.items() %}
    select
        '{{ source_table }}' as source_table,
        cast({{ record_key }} as string) as record_key,
        '{{ name }}' as {{ name_column }},
        cast({{ expression }} as string) as {{ value_column }},
        {{ first_seen_at }} as first_seen_at,
        {{ last_seen_at or first_seen_at }} as last_seen_at
    from {{ relation }}
    where {{ expression }} is not null
    {%- if where %}
        and ({{ where }})
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
