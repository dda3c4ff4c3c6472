{#- Apply `assignments` to the raw table `relation`, where they may refer to the table
    `raw_row_hashes` (raw_row_id, row_hash: each row's content hash, macro row_hash):
    the write of `anonymize_raw_erasures`. DuckDB: row ids and an UPDATE in place. -#}
{% macro anonymize_raw_rows(relation, assignments) -%}
    {{ return(adapter.dispatch('anonymize_raw_rows', 'cdp')(relation, assignments)) }}
{%- endmacro %}

{% macro default__anonymize_raw_rows(relation, assignments) -%}
    {%- call statement('raw_row_hashes') -%}
        create or replace temporary table raw_row_hashes as
        select rowid as raw_row_id, {{ row_hash() }} as row_hash from {{ relation }}
    {%- endcall -%}
    {%- call statement('anonymize_raw_rows') -%}
        update {{ relation }} set {{ assignments | join(', ') }}
    {%- endcall -%}
{%- endmacro %}
