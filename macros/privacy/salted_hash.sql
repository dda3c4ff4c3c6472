{#- A keyed hash of a value: sha256 of the secret salt, ':' and the value, in lower-case
    hex. What the project keeps of an identifier it must not hold in clear (after an
    erasure) and the root of customer ids: nobody without the secret can recompute it
    from an email or brute-force it from the phone numbering plan. -#}
{% macro salted_hash(value) -%}
    {{ sha256_hex(secret_salt() ~ " || ':' || " ~ value) }}
{%- endmacro %}
