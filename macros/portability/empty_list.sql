{#- An empty list (array) literal: DuckDB [], Spark array(). -#}
{% macro empty_list() -%}
    {{ adapter.dispatch('empty_list', 'cdp')() }}
{%- endmacro %}

{% macro default__empty_list() -%}
    []
{%- endmacro %}

{% macro spark__empty_list() -%}
    array()
{%- endmacro %}
