{#- In a select list: one output row per element of the list `expression` (none for
    an empty or null list), the other columns repeated. DuckDB: unnest(); Spark:
    explode(). -#}
{% macro unnest_list(expression) -%}
    {{ return(adapter.dispatch('unnest_list', 'cdp')(expression)) }}
{%- endmacro %}

{% macro duckdb__unnest_list(expression) -%}
    unnest({{ expression }})
{%- endmacro %}

{% macro spark__unnest_list(expression) -%}
    explode({{ expression }})
{%- endmacro %}

{% macro default__unnest_list(expression) -%}
    {{ unsupported_adapter('unnest_list') }}
{%- endmacro %}
