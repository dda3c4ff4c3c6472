{#- A value as a SQL string literal: single quotes doubled, so a var or any other
    input can never end the literal ('o''brien@x.com'). Backslashes are kept as
    written: DuckDB keeps them in literals, Spark reads them as escapes ('\d' is 'd'),
    so on Spark they are doubled. -#}
{% macro quote_literal(value) -%}
    {{ adapter.dispatch('quote_literal', 'cdp')(value) }}
{%- endmacro %}

{% macro default__quote_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__quote_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
{%- endmacro %}
