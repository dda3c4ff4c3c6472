{#- Whole days from the date `start_date` to the date `end_date` (negative when
    `end_date` is earlier), as BIGINT. DuckDB: date_diff('day', ...); Spark has no
    quoted unit and its datediff(end, start) returns INT; other engines: dbt's own
    cross-database datediff. -#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'cdp')(start_date, end_date)) }}
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    cast(datediff({{ end_date }}, {{ start_date }}) as bigint)
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    cast({{ dbt.datediff(start_date, end_date, 'day') }} as {{ dbt.type_bigint() }})
{%- endmacro %}
