{#- A whole row of a relation alias as a JSON object (column name -> value), nulls
    kept: what a subject access request hands over. DuckDB takes the alias itself,
    Spark a struct of its columns (and drops null fields unless told not to). -#}
{% macro row_to_json(alias) -%}
    {{ return(adapter.dispatch('row_to_json', 'cdp')(alias)) }}
{%- endmacro %}

{% macro duckdb__row_to_json(alias) -%}
    to_json({{ alias }})
{%- endmacro %}

{% macro spark__row_to_json(alias) -%}
    to_json(struct({{ alias }}.*), map('ignoreNullFields', 'false'))
{%- endmacro %}

{% macro default__row_to_json(alias) -%}
    {{ unsupported_adapter('row_to_json') }}
{%- endmacro %}
