{#- A plain decimal number ('12.50', '-3', '12,50' with a decimal comma) to
    DECIMAL(18, 4); null when the text is not such a number (no thousands
    separators, currency symbols or exponents are guessed at) or does not fit the
    type (14 digits before the point: try_cast, so a 16-digit amount is null, never a
    failed build). -#}
{% macro parse_decimal(column) -%}
    case
        when {{ regex_full_match(clean_text(column), '[+-]?[0-9]+([.,][0-9]+)?') }}
            then try_cast(replace({{ clean_text(column) }}, ',', '.') as decimal(18, 4))
    end
{%- endmacro %}
