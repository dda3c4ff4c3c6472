{#- The raw column a base model's personal column was read from: a phone's national
    digits come from `phone` (or, in consent events and privacy requests, from
    `identifier_value`, like the identifier as sent); every other column keeps its
    name. `item` is an entry of raw_table_models(). -#}
{% macro raw_column_of(item, column) -%}
    {%- if item.get('signal_key') and column in ('identifier_value_as_sent', 'phone_national_digits') -%}
        {{ return('identifier_value') }}
    {%- elif column == 'phone_national_digits' -%}
        {{ return('phone') }}
    {%- endif -%}
    {{ return(column) }}
{%- endmacro %}
