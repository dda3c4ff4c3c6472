{#- Digits of a phone given in national format (no '+' or '00'), for records that
    carry no country: it can only be normalized once the customer's country is
    known (during identity resolution). Null for international numbers. -#}
{% macro phone_national_digits(column) -%}
    {%- set text = clean_text(column) -%}
    {%- set digits = regex_replace_all(text, '[^0-9]', '') -%}
    case
        when {{ regex_full_match(text, '[0-9()./ -]+') }}
            and left({{ digits }}, 2) <> '00'
            and length({{ digits }}) between 6 and 14
            then {{ digits }}
    end
{%- endmacro %}
