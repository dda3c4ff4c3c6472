{#- Select one row per (record, identifier) from a staged relation.
      relation       the stg_ model (a ref)
      source_table   raw table name the records come from
      record_key     SQL expression of the record's key
      identifiers    {identifier_type: column} the record carries
      first_seen_at  / last_seen_at: business time of the record (never _loaded_at)
      where          optional filter (e.g. deleted CRM contacts carry nothing)
    Null identifier values are dropped. -#}
{% macro identifiers_of(relation, source_table, record_key, identifiers, first_seen_at, last_seen_at=none, where=none) -%}
    {{ unpivot_record_columns(
        relation, source_table, record_key, identifiers, first_seen_at, last_seen_at,
        where=where, name_column='identifier_type', value_column='identifier_value'
    ) }}
{%- endmacro %}
