{#- `dbt run-operation anonymize_raw_erasures` (what `cdp erase-raw` runs): in the raw
    tables — the EL tool's copy — replace the cells that hold an erased person's
    personal data (int_raw_cells_erased, computed by the last build) by what that model
    says: 'cdp-erased:<keyed hash>' for the person's own identifiers and for the
    identifier of a consent event or privacy request (the request itself stays), null
    for everything else. Account ids and business columns stay (docs/contract.md §4),
    so the erased customer keeps their profile row and their purchases; the erasure
    log keeps them erased when the EL tool delivers their rows again. Run it after a
    `dbt build`. -#}
{% macro anonymize_raw_erasures() -%}
    {%- set plan_node = graph.nodes['model.cdp.int_raw_cells_erased'] -%}
    {%- set plan = adapter.get_relation(
        database=plan_node.database, schema=plan_node.schema, identifier=plan_node.alias
    ) -%}
    {%- if plan is none -%}
        {{ exceptions.raise_compiler_error(
            'anonymize_raw_erasures: nothing to do before a dbt build has computed '
            ~ 'int_raw_cells_erased; run dbt build first.'
        ) }}
    {%- endif -%}
    {%- set todo = run_query(
        'select raw_table, raw_column from ' ~ plan
        ~ ' group by raw_table, raw_column order by raw_table, raw_column'
    ) -%}
    {%- set by_table = {} -%}
    {%- for row in todo -%}
        {%- do by_table.setdefault(row[0], []).append(row[1]) -%}
    {%- endfor -%}
    {%- for item in cdp_sources() if item.name in by_table -%}
        {%- set relation = source(item.source, item.name) -%}
        {%- do anonymize_raw_rows(relation, item.name, by_table[item.name], plan) -%}
        {{ log('anonymized ' ~ (by_table[item.name] | join(', ')) ~ ' in ' ~ relation, info=true) }}
    {%- endfor -%}
    {%- do adapter.commit() -%}
    {{ log('anonymize_raw_erasures: ' ~ (by_table | length) ~ ' raw tables changed', info=true) }}
{%- endmacro %}
