{#- An amount times its EUR rate, rounded to cents as DECIMAL(18, 2). Both arguments
    are SQL expressions, parenthesized so that `a - b` converts as a whole. -#}
{% macro convert_to_eur(amount, eur_per_unit) -%}
    cast(round(({{ amount }}) * ({{ eur_per_unit }}), 2) as decimal(18, 2))
{%- endmacro %}
