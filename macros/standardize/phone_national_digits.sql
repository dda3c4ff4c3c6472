{#- Digits of a phone given in national format (no '+' or '00'), for records that
    carry no country: it can only be normalized once the customer's country is
    known (during identity resolution). Null for international numbers. -#}
{% macro phone_national_digits(column) -%}
    {%- set text = clean_text(column) -%}
    case
        when regexp_full_match({{ text }}, '[0-9()./ -]+')
            and not starts_with(regexp_replace({{ text }}, '[^0-9]', '', 'g'), '00')
            and length(regexp_replace({{ text }}, '[^0-9]', '', 'g')) between 6 and 14
            then regexp_replace({{ text }}, '[^0-9]', '', 'g')
    end
{%- endmacro %}
