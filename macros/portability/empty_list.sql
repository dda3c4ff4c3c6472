{#- An empty list (array) literal: DuckDB [], Spark array(). -#}
{% macro empty_list() -%}
    {{ return(adapter.dispatch('empty_list', 'cdp')()) }}
{%- endmacro %}

{% macro duckdb__empty_list() -%}
    []
{%- endmacro %}

{% macro spark__empty_list() -%}
    array()
{%- endmacro %}

{% macro default__empty_list() -%}
    {{ unsupported_adapter('empty_list') }}
{%- endmacro %}
