{#- The country calling code of a phone in E.164 ('+4930…' -> '49'), among those of the
    numbering plans (macro phone_number_plans); null when none matches. Calling codes
    are 1 to 3 digits and prefix-free (ITU-T E.164): at most one matches. -#}
{% macro phone_calling_code(phone) -%}
    {%- set plans = phone_number_plans() -%}
    case
        {%- for digits in (1, 2, 3) %}
        when substr({{ phone }}, 2, {{ digits }}) in (
            {%- for code in plans if code | length == digits -%}
            {{ quote_literal(code) }}{{ ', ' if not loop.last }}
            {%- endfor -%}
        ) then substr({{ phone }}, 2, {{ digits }})
        {%- endfor %}
    end
{%- endmacro %}
