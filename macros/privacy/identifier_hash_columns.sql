{#- Two select-list columns for an identifier that a mart shows as a hash:
      identifier_sha256  plain sha256 of the value, for matching in ESPs and ad
                         platforms; null when the value is an erased person's (its
                         keyed hash is in int_erasure_log): a plain hash of a phone
                         can be brute-forced from the numbering plan
      identifier_hash    keyed hash of 'type:value' (macro salted_hash): always kept
    identifier_type, identifier_value: SQL expressions.
    keyed_hash: optional SQL expression holding the value's keyed hash already (a column
    of int_identifiers_hashed), so that it is not computed again. -#}
{% macro identifier_hash_columns(identifier_type, identifier_value, keyed_hash=none) -%}
    {%- set keyed = keyed_hash or identifier_hash(identifier_type, identifier_value) -%}
    case
        when {{ keyed }} not in (select identifier_hash from {{ ref('int_erasure_log') }})
            then {{ sha256_hex(identifier_value) }}
    end as identifier_sha256,
    {{ keyed }} as identifier_hash
{%- endmacro %}
