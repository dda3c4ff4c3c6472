{#- Whole number text ('3', '-2', '+7') to BIGINT; null otherwise (also for '2.5'). -#}
{% macro parse_integer(column) -%}
    case
        when regexp_full_match({{ clean_text(column) }}, '[+-]?[0-9]{1,18}')
            then cast({{ clean_text(column) }} as bigint)
    end
{%- endmacro %}
