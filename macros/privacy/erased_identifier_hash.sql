{#- The keyed hash in a raw identifier that `cdp erase-raw` replaced by
    'cdp-erased:<hash>' (privacy requests and consent events of erased people); null
    for any other value. -#}
{% macro erased_identifier_hash(column) -%}
    case
        when left({{ clean_text(column) }}, 11) = 'cdp-erased:'
            then lower(substr({{ clean_text(column) }}, 12))
    end
{%- endmacro %}
