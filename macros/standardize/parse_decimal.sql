{#- A plain decimal number ('12.50', '-3', '12,50' with a decimal comma) to
    DECIMAL(18, 4); null when the text is not such a number (no thousands
    separators, currency symbols or exponents are guessed at). -#}
{% macro parse_decimal(column) -%}
    case
        when {{ regex_full_match(clean_text(column), '[+-]?[0-9]+([.,][0-9]+)?') }}
            then cast(replace({{ clean_text(column) }}, ',', '.') as decimal(18, 4))
    end
{%- endmacro %}
