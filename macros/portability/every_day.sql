{#- A select of one row per day from `start_date` up to, not including, `end_date`
    (both ISO dates as text), in the column date_day. DuckDB: the range() table
    function; Spark: explode(sequence(...)), whose end is inclusive; other engines:
    dbt's own cross-database date_spine. -#}
{% macro every_day(start_date, end_date) -%}
    {{ return(adapter.dispatch('every_day', 'cdp')(start_date, end_date)) }}
{%- endmacro %}

{% macro duckdb__every_day(start_date, end_date) -%}
    select cast(range as date) as date_day
    from range(date {{ quote_literal(start_date) }}, date {{ quote_literal(end_date) }}, interval 1 day)
{%- endmacro %}

{% macro spark__every_day(start_date, end_date) -%}
    select explode(sequence(
        date {{ quote_literal(start_date) }},
        date_sub(date {{ quote_literal(end_date) }}, 1),
        interval 1 day
    )) as date_day
{%- endmacro %}

{% macro default__every_day(start_date, end_date) -%}
    with

    spine as (
        {{ dbt.date_spine(
            'day',
            'cast(' ~ quote_literal(start_date) ~ ' as date)',
            'cast(' ~ quote_literal(end_date) ~ ' as date)'
        ) }}
    )

    select cast(date_day as date) as date_day from spine
{%- endmacro %}
