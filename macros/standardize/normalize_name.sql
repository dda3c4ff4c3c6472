{#- Trimmed person name with inner whitespace collapsed. Names typed in all capitals
    or all lower case get a capital letter at the start of each word ('JANE' ->
    'Jane', 'anne-marie' -> 'Anne-Marie'); mixed-case names are kept as typed
    ('McDonald', 'van den Berg'). -#}
{% macro normalize_name(column) -%}
    {%- set name = regex_replace_all(clean_text(column), '\\s+', ' ') -%}
    case
        when {{ name }} = upper({{ name }}) or {{ name }} = lower({{ name }})
            then {{ capitalize_words(name) }}
        else {{ name }}
    end
{%- endmacro %}
