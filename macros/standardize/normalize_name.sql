{#- Trimmed person name with inner whitespace collapsed. Names typed in all capitals
    or all lower case get a capital letter at the start of each word ('JANE' ->
    'Jane', 'anne-marie' -> 'Anne-Marie'); mixed-case names are kept as typed
    ('McDonald', 'van den Berg'). -#}
{% macro normalize_name(column) -%}
    {%- set name = "regexp_replace(" ~ clean_text(column) ~ ", '\\s+', ' ', 'g')" -%}
    case
        when {{ name }} = upper({{ name }}) or {{ name }} = lower({{ name }})
            then array_to_string(
                list_transform(
                    string_split(lower({{ name }}), ' '),
                    lambda word: array_to_string(
                        list_transform(
                            string_split(word, '-'),
                            lambda part: upper(left(part, 1)) || substr(part, 2)
                        ),
                        '-'
                    )
                ),
                ' '
            )
        else {{ name }}
    end
{%- endmacro %}
