{#- The tables of schema `raw_schema` and their columns, all lower-cased, as
    {table: [column, ...]} ({} when the schema does not exist). DuckDB reads
    information_schema; Spark has none: it lists the schema's tables and describes
    each. -#}
{% macro raw_contract_columns(raw_schema) -%}
    {{ return(adapter.dispatch('raw_contract_columns', 'cdp')(raw_schema)) }}
{%- endmacro %}

{% macro default__raw_contract_columns(raw_schema) -%}
    {%- set query -%}
        select lower(table_name), lower(column_name)
        from information_schema.columns
        where table_schema = {{ quote_literal(raw_schema) }}
    {%- endset -%}
    {%- set present = {} -%}
    {%- for row in run_query(query) -%}
        {%- do present.setdefault(row[0], []).append(row[1]) -%}
    {%- endfor -%}
    {{ return(present) }}
{%- endmacro %}

{% macro spark__raw_contract_columns(raw_schema) -%}
    {%- set present = {} -%}
    {%- if adapter.check_schema_exists(none, raw_schema) -%}
        {%- for row in run_query('show tables in ' ~ adapter.quote(raw_schema)) -%}
            {%- if not row['isTemporary'] -%}
                {%- set relation = api.Relation.create(
                    schema=raw_schema, identifier=row['tableName'], type='table'
                ) -%}
                {%- set columns = adapter.get_columns_in_relation(relation) -%}
                {%- do present.update({
                    row['tableName'] | lower: columns | map(attribute='name') | map('lower') | list
                }) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(present) }}
{%- endmacro %}
