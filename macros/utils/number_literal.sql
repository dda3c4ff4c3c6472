{#- A var as a SQL number: an integer or decimal (optionally signed, with an
    exponent), given as a YAML number or as text, surrounding spaces ignored.
    Anything else (text with SQL in it, a boolean, a list, nan) fails the
    compilation with a message naming the var and the value. Negative numbers
    come parenthesized, so `x -{{ number_literal(...) }}` never reads as a
    comment. -#}
{% macro number_literal(value, var_name) -%}
    {%- set text = (value | string).strip() -%}
    {%- set pattern = '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?' -%}
    {%- if value is none or value is boolean or value is mapping
        or (value is iterable and value is not string)
        or not modules.re.fullmatch(pattern, text) -%}
        {{ exceptions.raise_compiler_error(
            'var ' ~ var_name ~ ' must be a number, got: ' ~ value
        ) }}
    {%- endif -%}
    {%- if text.startswith('-') -%}
        ({{ text }})
    {%- else -%}
        {{ text.lstrip('+') }}
    {%- endif -%}
{%- endmacro %}
