{#- A phone in E.164 form ('+' and digits) without a trunk zero typed after its
    calling code, under the calling codes whose numbers never begin with 0 (macro
    phone_trunk_zero_calling_codes): '+4407911555666' -> '+447911555666', as
    libphonenumber reads '+44 07911 555666'; '+390612345678' (Rome) stays. Calling
    codes are prefix-free, so the alternation matches at most one. -#}
{% macro phone_without_trunk_zero(phone) -%}
    {%- set calling_code -%}
        regexp_extract({{ phone }}, '^[+]({{ phone_trunk_zero_calling_codes() | trim }})0', 1)
    {%- endset -%}
    case
        when {{ calling_code }} <> ''
            then '+' || {{ calling_code }} || substr({{ phone }}, length({{ calling_code }}) + 3)
        else {{ phone }}
    end
{%- endmacro %}
