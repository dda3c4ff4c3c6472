{#- `dbt run-operation anonymize_raw_erasures` (what `cdp erase-raw` runs): null the
    cells of the raw tables — the EL tool's copy — that hold an erased person's personal
    data (int_raw_cells_erased, computed by the last build). Account ids and business
    columns stay (docs/contract.md §4), so the erased customer keeps their profile row
    and their purchases. An erased identifier in a privacy request or consent event is
    replaced by `cdp-erased:` and its keyed hash: the request itself stays, staging
    reads it as a request for that hash, and the erasure log keeps the person erased
    when the EL tool delivers their rows again. Run it after a `dbt build`. -#}
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
        'select raw_table, raw_column, count(*) from ' ~ plan
        ~ ' group by raw_table, raw_column order by raw_table, raw_column'
    ) -%}
    {%- set by_table = {} -%}
    {%- for row in todo -%}
        {%- do by_table.setdefault(row[0], []).append(row[1]) -%}
    {%- endfor -%}
    {%- for item in raw_table_models() if item.table in by_table -%}
        {%- set relation = source(item.source, item.table) -%}
        {%- set assignments = [] -%}
        {%- for column in by_table[item.table] -%}
            {%- set cells = 'select hashes.raw_row_id from raw_row_hashes as hashes inner join '
                ~ plan ~ ' as plan on hashes.row_hash = plan.row_hash where plan.raw_table = '
                ~ quote_literal(item.table) ~ ' and plan.raw_column = ' ~ quote_literal(column) -%}
            {%- if column == 'identifier_value' -%}
                {%- set erased = "'cdp-erased:' || " ~ salted_hash(
                    normalize_enum('identifier_type') ~ " || ':' || "
                    ~ normalize_identifier(normalize_enum('identifier_type'), 'identifier_value')
                ) -%}
            {%- else -%}
                {%- set erased = 'null' -%}
            {%- endif -%}
            {%- do assignments.append(column ~ ' = case when rowid in (' ~ cells ~ ') then '
                ~ erased ~ ' else ' ~ column ~ ' end') -%}
        {%- endfor -%}
        {%- do anonymize_raw_rows(relation, assignments) -%}
        {{ log('anonymized ' ~ (by_table[item.table] | join(', ')) ~ ' in ' ~ relation, info=true) }}
    {%- endfor -%}
    {%- do adapter.commit() -%}
    {{ log('anonymize_raw_erasures: ' ~ (by_table | length) ~ ' raw tables changed', info=true) }}
{%- endmacro %}
