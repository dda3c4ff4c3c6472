{#- The write of `anonymize_raw_erasures` for one raw table: every row is named by its
    content hash (macro row_hash, as the base models compute it) before anything
    changes, then each listed column of the rows `plan` (int_raw_cells_erased) names
    for this table takes the plan's replacement. DuckDB: row ids and UPDATE ... FROM. -#}
{% macro anonymize_raw_rows(relation, raw_table, columns, plan) -%}
    {{ return(adapter.dispatch('anonymize_raw_rows', 'cdp')(relation, raw_table, columns, plan)) }}
{%- endmacro %}

{% macro duckdb__anonymize_raw_rows(relation, raw_table, columns, plan) -%}
    {%- call statement('raw_row_hashes') -%}
        create or replace temporary table raw_row_hashes as
        select rowid as raw_row_id, {{ row_hash() }} as row_hash from {{ relation }}
    {%- endcall -%}
    {%- for column in columns -%}
        {%- call statement('anonymize_raw_rows') -%}
            update {{ relation }}
            set {{ column }} = cells.replacement
            from (
                select
                    raw_row_hashes.raw_row_id,
                    plan.replacement
                from raw_row_hashes
                inner join {{ plan }} as plan
                    on raw_row_hashes.row_hash = plan.row_hash
                where plan.raw_table = {{ quote_literal(raw_table) }}
                    and plan.raw_column = {{ quote_literal(column) }}
            ) as cells
            where {{ relation }}.rowid = cells.raw_row_id
        {%- endcall -%}
    {%- endfor -%}
{%- endmacro %}

{#- Spark's parquet tables have no row ids or UPDATE: the raw table is rewritten
    (macro rewrite_table) with each listed column taken from the plan where the plan
    names the row's hash and that column, else kept. -#}
{% macro spark__anonymize_raw_rows(relation, raw_table, columns, plan) -%}
    {%- set relation_columns = adapter.get_columns_in_relation(relation) -%}
    {%- set select_list = [] -%}
    {%- for column in relation_columns -%}
        {%- if column.name in columns -%}
            {%- set alias = 'plan_' ~ loop.index -%}
            {%- do select_list.append(
                'case when ' ~ alias ~ '.row_hash is not null then ' ~ alias ~ '.replacement'
                ~ ' else raw_rows.' ~ column.name ~ ' end as ' ~ column.name
            ) -%}
        {%- else -%}
            {%- do select_list.append('raw_rows.' ~ column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set select_sql -%}
        with raw_rows as (
            select *, {{ row_hash() }} as cdp_row_hash from {{ relation }}
        )
        select {{ select_list | join(', ') }}
        from raw_rows
        {%- for column in relation_columns %}
        {%- if column.name in columns %}
        left join {{ plan }} as plan_{{ loop.index }}
            on plan_{{ loop.index }}.row_hash = raw_rows.cdp_row_hash
                and plan_{{ loop.index }}.raw_table = {{ quote_literal(raw_table) }}
                and plan_{{ loop.index }}.raw_column = {{ quote_literal(column.name) }}
        {%- endif %}
        {%- endfor %}
    {%- endset -%}
    {%- do rewrite_table(relation, select_sql) -%}
{%- endmacro %}

{% macro default__anonymize_raw_rows(relation, raw_table, columns, plan) -%}
    {{ unsupported_adapter('anonymize_raw_rows') }}
{%- endmacro %}
