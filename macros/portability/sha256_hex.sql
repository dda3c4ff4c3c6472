{#- The sha256 of a text, as 64 lower-case hex digits (what ESPs and ad platforms
    match on). Spark spells it sha2(x, 256). -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex', 'cdp')(expression)) }}
{%- endmacro %}

{% macro duckdb__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro spark__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    {{ unsupported_adapter('sha256_hex') }}
{%- endmacro %}
