{#- The keyed hash of an identifier (macro salted_hash of 'type:value'): how the erasure
    log, which keeps hashes only, recognizes it. A value `cdp erase-raw` left as
    'cdp-erased:<hash>' in place of an erased person's identifier is recognized by the
    hash it carries. identifier_type, identifier_value: SQL expressions. -#}
{% macro identifier_hash(identifier_type, identifier_value) -%}
    case
        when left({{ identifier_value }}, 11) = 'cdp-erased:'
            then substr({{ identifier_value }}, 12)
        else {{ salted_hash(identifier_type ~ " || ':' || " ~ identifier_value) }}
    end
{%- endmacro %}
