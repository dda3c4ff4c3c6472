{#- A first name reduced for comparison: lower case, accents folded, letters a-z only
    ('Jürgen' -> 'jurgen', 'Anne-Marie' -> 'annemarie', 'Mary Ann' -> 'maryann',
    'J.' -> 'j'). Every character but a-z goes (regex_replace_all: DuckDB's
    three-argument regexp_replace would remove only the first one). -#}
{% macro first_name_key(column) -%}
    {{ regex_replace_all(
        "translate(
            lower(" ~ column ~ "),
            'àáâãäåāăąçćčďèéêëēėęěğìíîïīįıłñńňòóôõöøōőŕřśšşßťùúûüūůűųýÿźżž',
            'aaaaaaaaacccdeeeeeeeegiiiiiiilnnnoooooooorrsssstuuuuuuuuyyzzz'
        )",
        '[^a-z]',
        ''
    ) }}
{%- endmacro %}
