{#- The TIMESTAMP that many microseconds after 1970-01-01 00:00:00 (the inverse of
    epoch_microseconds): DuckDB make_timestamp, Spark timestamp_micros. -#}
{% macro timestamp_from_epoch_microseconds(expression) -%}
    {{ return(adapter.dispatch('timestamp_from_epoch_microseconds', 'cdp')(expression)) }}
{%- endmacro %}

{% macro duckdb__timestamp_from_epoch_microseconds(expression) -%}
    make_timestamp({{ expression }})
{%- endmacro %}

{% macro spark__timestamp_from_epoch_microseconds(expression) -%}
    timestamp_micros({{ expression }})
{%- endmacro %}

{% macro default__timestamp_from_epoch_microseconds(expression) -%}
    {{ unsupported_adapter('timestamp_from_epoch_microseconds') }}
{%- endmacro %}
