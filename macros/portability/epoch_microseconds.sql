{#- Microseconds since 1970-01-01 00:00:00 of a TIMESTAMP, as BIGINT: DuckDB epoch_us,
    Spark unix_micros. -#}
{% macro epoch_microseconds(expression) -%}
    {{ return(adapter.dispatch('epoch_microseconds', 'cdp')(expression)) }}
{%- endmacro %}

{% macro duckdb__epoch_microseconds(expression) -%}
    epoch_us({{ expression }})
{%- endmacro %}

{% macro spark__epoch_microseconds(expression) -%}
    unix_micros({{ expression }})
{%- endmacro %}

{% macro default__epoch_microseconds(expression) -%}
    {{ unsupported_adapter('epoch_microseconds') }}
{%- endmacro %}
