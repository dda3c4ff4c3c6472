{#- A value bound when the query runs, never written into SQL text: for SQL that is
    compiled once and answered for many values (the access request), whose value must
    not reach compiled SQL or logs. The caller sets it first, as a bound parameter:
    DuckDB a connection variable (`set variable cdp_request_<name> = ?`), Spark a session
    variable (`declare variable cdp_request_<name> string`, then `set var
    cdp_request_<name> = :value`). -#}
{% macro query_parameter(name) -%}
    {{ return(adapter.dispatch('query_parameter', 'cdp')(name)) }}
{%- endmacro %}

{% macro duckdb__query_parameter(name) -%}
    getvariable({{ quote_literal('cdp_request_' ~ name) }})
{%- endmacro %}

{% macro spark__query_parameter(name) -%}
    cdp_request_{{ name }}
{%- endmacro %}

{% macro default__query_parameter(name) -%}
    {{ exceptions.raise_compiler_error(
        'query_parameter: no way to bind a value at run time is known for adapter '
        ~ target.type
    ) }}
{%- endmacro %}
