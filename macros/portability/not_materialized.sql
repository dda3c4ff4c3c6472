{#- The CTE hint `not materialized` (write `name as {{ not_materialized() }} (...)`):
    DuckDB then inlines the CTE where it is read instead of copying its rows once.
    Elsewhere nothing: the hint changes how a query runs, never what it returns (Spark
    has no such hint and inlines CTEs anyway). -#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'cdp')()) }}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}
