{#- The EUR rate of an amount in `currency`: 1 for EUR itself on any date (also
    before the rates seed starts), else the ASOF-joined rate column. -#}
{% macro eur_rate(currency, rate) -%}
    case when {{ currency }} = 'EUR' then cast(1 as decimal(18, 8)) else {{ rate }} end
{%- endmacro %}
