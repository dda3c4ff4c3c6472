{#- `expression` in lower case with a capital letter at the start of every part
    separated by a space or a hyphen ('ANNE-MARIE VAN' -> 'Anne-Marie Van'). Spark's
    list functions and lambdas are spelled differently (transform, split, array_join,
    `x -> ...`). -#}
{% macro capitalize_words(expression) -%}
    {{ return(adapter.dispatch('capitalize_words', 'cdp')(expression)) }}
{%- endmacro %}

{% macro duckdb__capitalize_words(expression) -%}
    array_to_string(
                list_transform(
                    string_split(lower({{ expression }}), ' '),
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
{%- endmacro %}

{% macro spark__capitalize_words(expression) -%}
    array_join(
        transform(
            split(lower({{ expression }}), ' '),
            word -> array_join(
                transform(split(word, '-'), part -> upper(left(part, 1)) || substr(part, 2)),
                '-'
            )
        ),
        ' '
    )
{%- endmacro %}

{% macro default__capitalize_words(expression) -%}
    {{ unsupported_adapter('capitalize_words') }}
{%- endmacro %}
