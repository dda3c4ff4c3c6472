{#- `expression` without the leading and trailing characters in the set `characters`
    (a SQL expression). Spark's two-argument trim takes its arguments the other way
    round (trim('xxaxx', 'x') is ''), so Spark uses btrim. -#}
{% macro trim_chars(expression, characters) -%}
    {{ adapter.dispatch('trim_chars', 'cdp')(expression, characters) }}
{%- endmacro %}

{% macro default__trim_chars(expression, characters) -%}
    trim({{ expression }}, {{ characters }})
{%- endmacro %}

{% macro spark__trim_chars(expression, characters) -%}
    btrim({{ expression }}, {{ characters }})
{%- endmacro %}
