{#- The loop of materialization iterated_table for int_identity_components, where the
    engine cannot resolve the roots of macro contraction_roots in one recursive query:
    it reads how many levels `contraction` (int_identity_contraction) has, then writes
    loop_table('roots'), (node_id, root_id) for every node of level 1, in one statement
    of one CTE per level, top-down from the last. Runs when the model is built. -#}
{% macro contraction_roots_loop(contraction) -%}
    {{ return(adapter.dispatch('contraction_roots_loop', 'cdp')(contraction)) }}
{%- endmacro %}

{% macro spark__contraction_roots_loop(contraction) -%}
    {%- set top_level = run_query(
        "select max(level) from " ~ contraction ~ " where row_kind = 'map'"
    ).columns[0].values()[0] -%}
    {%- call statement('contraction_roots') -%}
        create table {{ loop_table('roots') }} using parquet as
        {%- if top_level is none %}
        select cast(null as bigint) as node_id, cast(null as bigint) as root_id where false
        {%- else %}
        with
        {% for level in range(top_level | int, 0, -1) %}
        labels_{{ level }} as (
            select
                maps.node_id,
                {%- if loop.first %}
                maps.representative_id as root_id
                {%- else %}
                coalesce(level_above.root_id, maps.representative_id) as root_id
                {%- endif %}
            from {{ contraction }} as maps
            {%- if not loop.first %}
            left join labels_{{ level + 1 }} as level_above
                on maps.representative_id = level_above.node_id
            {%- endif %}
            where maps.row_kind = 'map' and maps.level = {{ level }}
        ){{ ',' if not loop.last }}
        {% endfor %}
        select node_id, root_id from labels_1
        {%- endif %}
    {%- endcall -%}
{%- endmacro %}

{% macro default__contraction_roots_loop(contraction) -%}
    {{ unsupported_adapter('contraction_roots_loop') }}
{%- endmacro %}
