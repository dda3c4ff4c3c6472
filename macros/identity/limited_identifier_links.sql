{#- The ordered pairs of identifier types that some row of the identifier_limits seed
    limits, as 'identifier_type:linked_type' strings, read from the built seed when a
    model is compiled to run: the sharing guard then scans only the pairs of columns it
    counts (at 1M customers, half the scans of web events are pairs no limit applies
    to). None when the seed is not built yet (parsing, `dbt compile` on an empty
    database): every pair is read and the measurement's join to the seed drops the
    same rows, so the answer is the same, only slower. -#}
{% macro limited_identifier_links() -%}
    {%- set seed = ref('identifier_limits') -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set limits = load_relation(seed) -%}
    {%- if limits is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set rows = run_query(
        'select distinct identifier_type, linked_type from ' ~ limits
    ).rows -%}
    {%- set links = [] -%}
    {%- for row in rows -%}
        {%- do links.append(row[0] ~ ':' ~ row[1]) -%}
    {%- endfor -%}
    {{ return(links) }}
{%- endmacro %}
