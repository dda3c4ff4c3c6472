{#- SQL condition: the identifier in `column` is an erased value, i.e. its keyed hash
    is in `erasure_log` (int_erasure_log). The column's name says the identifier type:
    identifier_value (with the row's identifier_type), *email*, *phone*; other columns
    hold no identifier and give none (null). -#}
{% macro erased_value_condition(column, erasure_log) -%}
    {%- if column == 'identifier_value' -%}
        {%- set typed = "identifier_type || ':' || identifier_value" -%}
    {%- elif 'email' in column -%}
        {%- set typed = "'email:' || " ~ column -%}
    {%- elif 'phone' in column and column != 'phone_national_digits' -%}
        {%- set typed = "'phone:' || " ~ column -%}
    {%- else -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(salted_hash(typed) ~ ' in (select identifier_hash from ' ~ erasure_log ~ ')') }}
{%- endmacro %}
