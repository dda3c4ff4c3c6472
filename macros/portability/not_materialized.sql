{#- The CTE hint `not materialized` (write `name as {{ not_materialized() }} (...)`):
    DuckDB then inlines the CTE where it is read instead of copying its rows once.
    Spark has no such hint and inlines CTEs anyway. -#}
{% macro not_materialized() -%}
    {{ adapter.dispatch('not_materialized', 'cdp')() }}
{%- endmacro %}

{% macro default__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__not_materialized() -%}
{%- endmacro %}
