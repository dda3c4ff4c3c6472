{#- Full years from the date `start_date` to the date `end_date` (an age), as BIGINT;
    someone born on 29 February has a birthday on 28 February in other years, as
    DuckDB's date_sub('year', ...) counts. Spark's datediff(year, ...) counts that
    birthday only on 1 March; months_between counts month ends as whole months. -#}
{% macro full_years_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('full_years_between', 'cdp')(start_date, end_date)) }}
{%- endmacro %}

{% macro duckdb__full_years_between(start_date, end_date) -%}
    date_sub('year', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{% macro spark__full_years_between(start_date, end_date) -%}
    cast(months_between({{ end_date }}, {{ start_date }}) / 12 as bigint)
{%- endmacro %}

{% macro default__full_years_between(start_date, end_date) -%}
    {{ unsupported_adapter('full_years_between') }}
{%- endmacro %}
