{#- An expression that fails the query with `message` (text) when it is evaluated:
    DuckDB's error(), Spark's raise_error(). -#}
{% macro raise_sql_error(message) -%}
    {{ return(adapter.dispatch('raise_sql_error', 'cdp')(message)) }}
{%- endmacro %}

{% macro duckdb__raise_sql_error(message) -%}
    error({{ quote_literal(message) }})
{%- endmacro %}

{% macro spark__raise_sql_error(message) -%}
    raise_error({{ quote_literal(message) }})
{%- endmacro %}

{% macro default__raise_sql_error(message) -%}
    {{ unsupported_adapter('raise_sql_error') }}
{%- endmacro %}
