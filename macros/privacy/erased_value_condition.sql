{#- SQL condition: the identifier in `column` is an erased value, i.e. its keyed hash
    is in `erasure_log` (int_erasure_log). The column's name says the identifier type:
    identifier_value (with the row's identifier_type; only emails and phones, account
    ids and cookies may stay), *email*, *phone*; other columns hold no identifier and
    give none (null). -#}
{% macro erased_value_condition(column, erasure_log) -%}
    {%- if column == 'identifier_value' -%}
        {%- set keyed = identifier_hash('identifier_type', 'identifier_value') -%}
    {%- elif 'email' in column -%}
        {%- set keyed = identifier_hash("'email'", column) -%}
    {%- elif 'phone' in column and column != 'phone_national_digits' -%}
        {%- set keyed = identifier_hash("'phone'", column) -%}
    {%- else -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set condition = keyed ~ ' in (select identifier_hash from ' ~ erasure_log ~ ')' -%}
    {#- account ids and cookies may stay (docs/contract.md §4) -#}
    {%- if column == 'identifier_value' -%}
        {%- set condition = "(identifier_type in ('email', 'phone') and " ~ condition ~ ')' -%}
    {%- endif -%}
    {{ return(condition) }}
{%- endmacro %}
