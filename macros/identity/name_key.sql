{#- A first or last name reduced for comparison, so that the spellings one person's
    name takes in different systems compare equal: lower case, 'ß' as 'ss', accents
    folded ('Jürgen' -> 'jurgen', 'Chloé' -> 'chloe'), the German transliterations of
    umlauts folded the same way ('Juergen' -> 'jurgen', 'Mueller' -> 'muller'), and
    letters a-z only ('Anne-Marie' -> 'annemarie', 'Mary Ann' -> 'maryann', 'J.' ->
    'j'). Every character but a-z goes (regex_replace_all: DuckDB's three-argument
    regexp_replace would remove only the first one). -#}
{% macro name_key(column) -%}
    {%- set folded -%}
        translate(
            replace(lower({{ column }}), 'ß', 'ss'),
            'àáâãäåāăąçćčďèéêëēėęěğìíîïīįıłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž',
            'aaaaaaaaacccdeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz'
        )
    {%- endset -%}
    {{ regex_replace_all(
        "replace(replace(replace(" ~ folded ~ ", 'ae', 'a'), 'oe', 'o'), 'ue', 'u')",
        '[^a-z]',
        ''
    ) }}
{%- endmacro %}
