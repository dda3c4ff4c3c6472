{#- True when the source gave a value (non-blank) that standardization dropped as
    invalid: the has_invalid_email / has_invalid_phone flags. -#}
{% macro is_dropped_as_invalid(raw_column, standardized) -%}
    ({{ clean_text(raw_column) }} is not null and {{ standardized }} is null)
{%- endmacro %}
