{#- SQL condition: the identifier in `column` is an erased value, i.e. its keyed hash is
    in `erasure_log` (int_erasure_log). What the column holds is declared in its meta
    (macro pii_columns): `identifier_type: email` or `phone`, or
    `identifier_type_column: <column>` when the row says the type (only emails and
    phones there: account ids and cookies may stay). Other personal columns hold no
    identifier and give none (null). -#}
{% macro erased_value_condition(column, declared, erasure_log) -%}
    {%- if declared.identifier_type_column -%}
        {%- set keyed = identifier_hash(declared.identifier_type_column, column) -%}
    {%- elif declared.identifier_type in ('email', 'phone') -%}
        {%- set keyed = identifier_hash(quote_literal(declared.identifier_type), column) -%}
    {%- else -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set condition = keyed ~ ' in (select identifier_hash from ' ~ erasure_log ~ ')' -%}
    {#- account ids and cookies may stay (docs/contract.md §4) -#}
    {%- if declared.identifier_type_column -%}
        {%- set condition = '(' ~ declared.identifier_type_column
            ~ " in ('email', 'phone') and " ~ condition ~ ')' -%}
    {%- endif -%}
    {{ return(condition) }}
{%- endmacro %}
