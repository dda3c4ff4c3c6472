{#- A named query parameter, bound when the query runs (never a value in SQL text):
    DuckDB `$name`, Spark `:name` (spark.sql(query, args={...})). For SQL that is
    compiled once and answered for many values, e.g. the access request, whose value
    must not reach compiled SQL or logs. -#}
{% macro query_parameter(name) -%}
    {{ return(adapter.dispatch('query_parameter', 'cdp')(name)) }}
{%- endmacro %}

{% macro duckdb__query_parameter(name) -%}
    ${{ name }}
{%- endmacro %}

{% macro spark__query_parameter(name) -%}
    :{{ name }}
{%- endmacro %}

{% macro default__query_parameter(name) -%}
    {{ exceptions.raise_compiler_error(
        'query_parameter: no named parameter spelling known for adapter ' ~ target.type
    ) }}
{%- endmacro %}
