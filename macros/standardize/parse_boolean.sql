{#- yes/no, y/n, true/false, t/f, 1/0 in any case to BOOLEAN; anything else null. -#}
{% macro parse_boolean(column) -%}
    case
        when {{ normalize_enum(column) }} in ('yes', 'y', 'true', 't', '1') then true
        when {{ normalize_enum(column) }} in ('no', 'n', 'false', 'f', '0') then false
    end
{%- endmacro %}
