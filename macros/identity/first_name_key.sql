{#- A first name reduced for comparison: lower case, accents folded, letters a-z only
    ('Jürgen' -> 'jurgen', 'Anne-Marie' -> 'annemarie', 'J.' -> 'j'). translate() and
    regexp_replace() with three arguments read the same in DuckDB and Spark. -#}
{% macro first_name_key(column) -%}
    regexp_replace(
        translate(
            lower({{ column }}),
            'àáâãäåāăąçćčďèéêëēėęěğìíîïīįıłñńňòóôõöøōőŕřśšşßťùúûüūůűųýÿźżž',
            'aaaaaaaaacccdeeeeeeeegiiiiiiilnnnoooooooorrsssstuuuuuuuuyyzzz'
        ),
        '[^a-z]',
        ''
    )
{%- endmacro %}
