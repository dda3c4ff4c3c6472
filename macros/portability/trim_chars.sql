{#- `expression` without the leading and trailing characters in the set `characters`
    (a SQL expression). DuckDB: trim(x, characters). Spark's two-argument trim takes
    its arguments the other way round (trim('xxaxx', 'x') is ''), so Spark uses btrim.
    The standard's trim(both ... from ...) takes one character, and engines read a
    longer one differently (a set, or a string), so other engines need their own. -#}
{% macro trim_chars(expression, characters) -%}
    {{ return(adapter.dispatch('trim_chars', 'cdp')(expression, characters)) }}
{%- endmacro %}

{% macro duckdb__trim_chars(expression, characters) -%}
    trim({{ expression }}, {{ characters }})
{%- endmacro %}

{% macro spark__trim_chars(expression, characters) -%}
    btrim({{ expression }}, {{ characters }})
{%- endmacro %}

{% macro default__trim_chars(expression, characters) -%}
    {{ unsupported_adapter('trim_chars') }}
{%- endmacro %}
