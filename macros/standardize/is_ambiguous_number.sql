{#- Whether a number could be read two ways: one point or comma followed by exactly three
    digits, after one to three digits not starting with 0 ('1,250', '2.400', '-12.500'):
    a thousands separator (1250) or a decimal one (1.25)? '0,250' (a decimal), '1,25'
    and '1.250,00' (both separators) are not ambiguous. -#}
{% macro is_ambiguous_number(column) -%}
    coalesce({{ regex_full_match(clean_text(column), '[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}') }}, false)
{%- endmacro %}
