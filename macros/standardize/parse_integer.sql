{#- Whole number text ('3', '-2', '+7') to BIGINT; null otherwise (also for '2.5') and
    when it does not fit BIGINT (try_cast: 20 digits are null, never a failed build). -#}
{% macro parse_integer(column) -%}
    case
        when {{ regex_full_match(clean_text(column), '[+-]?[0-9]+') }}
            then try_cast({{ clean_text(column) }} as bigint)
    end
{%- endmacro %}
