{#- Every column of the relation in the from clause but `columns` (a list of names).
    DuckDB 2.0 also reads Spark's `* except (...)`, but the SQL linter's DuckDB dialect
    does not, so DuckDB keeps `* exclude (...)`. -#}
{% macro star_except(columns) -%}
    {{ return(adapter.dispatch('star_except', 'cdp')(columns)) }}
{%- endmacro %}

{% macro duckdb__star_except(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}

{% macro default__star_except(columns) -%}
    {{ unsupported_adapter('star_except') }}
{%- endmacro %}
