{#- Join condition: an identifier is on the blocked_identifiers seed, in any casing
    (`TEST@TEST.COM`, `Undefined`, `NULL`: placeholders arrive in every spelling).
      identifier_type   SQL expression of the identifier's type
      identifier_value  SQL expression of its value
      blocked           alias of the blocked_identifiers seed -#}
{% macro matches_blocked_identifier(identifier_type, identifier_value, blocked) -%}
    {{ identifier_type }} = {{ blocked }}.identifier_type
    and lower({{ identifier_value }}) = lower({{ blocked }}.identifier_value)
{%- endmacro %}
