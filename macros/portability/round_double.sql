{#- A DOUBLE rounded to `digits` decimals, half away from zero on its binary value,
    as DuckDB rounds (round(1.005, 2) is 1.0: 1.005 is stored as 1.00499...). Spark's
    round(double, d) rounds the shortest decimal text of the value instead (1.01);
    its round(y, 0) agrees with DuckDB, so Spark scales first. -#}
{% macro round_double(expression, digits) -%}
    {{ return(adapter.dispatch('round_double', 'cdp')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_double(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{% macro spark__round_double(expression, digits) -%}
    round(({{ expression }}) * 1e{{ digits }}, 0) / 1e{{ digits }}
{%- endmacro %}
