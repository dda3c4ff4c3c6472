{#- Whether two name keys (macro name_key) name one person: equal, one the shortening of
    the other ('jon' / 'jonathan'), or a pair of the first_name_variants seed ('bob' /
    'robert'), which the model joins as `variants_alias` (its variant_key is not null
    when the pair is listed). Null when a key is null. -#}
{% macro names_match(key, other_key, variants_alias) -%}
    (
        {{ key }} = {{ other_key }}
        or left({{ other_key }}, length({{ key }})) = {{ key }}
        or left({{ key }}, length({{ other_key }})) = {{ other_key }}
        or {{ variants_alias }}.variant_key is not null
    )
{%- endmacro %}
