{#- Trim surrounding whitespace (spaces, tabs, line breaks, no-break spaces: chr(160)
    comes with text pasted from web pages and spreadsheets); blank becomes null. -#}
{% macro clean_text(column) -%}
    nullif({{ trim_chars(column, "' ' || chr(9) || chr(10) || chr(13) || chr(160)") }}, '')
{%- endmacro %}
