{#- A DOUBLE cast to DECIMAL(precision, scale), rounded half away from zero on its
    binary value, as DuckDB casts (1.005 becomes 1.00). Spark's cast rounds the
    shortest decimal text of the value (1.01), so Spark rounds to the scale first
    (macro round_double), which makes the cast exact. -#}
{% macro double_to_decimal(expression, precision, scale) -%}
    {{ return(adapter.dispatch('double_to_decimal', 'cdp')(expression, precision, scale)) }}
{%- endmacro %}

{% macro default__double_to_decimal(expression, precision, scale) -%}
    cast({{ expression }} as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}

{% macro spark__double_to_decimal(expression, precision, scale) -%}
    cast({{ round_double(expression, scale) }} as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}
