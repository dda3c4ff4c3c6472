{#- A value as a SQL string literal: single quotes doubled, so a var or any other
    input can never end the literal ('o''brien@x.com'). Backslashes are kept as
    written. -#}
{% macro quote_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
