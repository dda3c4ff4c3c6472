{#- Lower-cased, trimmed code value; blank becomes null. -#}
{% macro normalize_enum(column) -%}
    lower({{ clean_text(column) }})
{%- endmacro %}
