{#- The list `expression` without its first element (an empty list for a list of one).
    DuckDB slices with [2:]; Spark with slice(list, 2, n). -#}
{% macro list_tail(expression) -%}
    {{ return(adapter.dispatch('list_tail', 'cdp')(expression)) }}
{%- endmacro %}

{% macro duckdb__list_tail(expression) -%}
    {{ expression }}[2:]
{%- endmacro %}

{% macro spark__list_tail(expression) -%}
    slice({{ expression }}, 2, size({{ expression }}))
{%- endmacro %}

{% macro default__list_tail(expression) -%}
    {{ unsupported_adapter('list_tail') }}
{%- endmacro %}
