{#- The write of `anonymize_raw_erasures` for one raw table: every row is named by its
    content hash (macro row_hash, as the base models compute it) before anything
    changes, then each listed column of the rows `plan` (int_raw_cells_erased) names
    for this table takes the plan's replacement. DuckDB: row ids and UPDATE ... FROM. -#}
{% macro anonymize_raw_rows(relation, raw_table, columns, plan) -%}
    {{ return(adapter.dispatch('anonymize_raw_rows', 'cdp')(relation, raw_table, columns, plan)) }}
{%- endmacro %}

{% macro default__anonymize_raw_rows(relation, raw_table, columns, plan) -%}
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
