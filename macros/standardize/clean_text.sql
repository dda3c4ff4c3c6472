{#- Trim surrounding whitespace (spaces, tabs, line breaks); blank becomes null. -#}
{% macro clean_text(column) -%}
    nullif({{ trim_chars(column, "' ' || chr(9) || chr(10) || chr(13)") }}, '')
{%- endmacro %}
