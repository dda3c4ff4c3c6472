{#- Post-hook of int_identity_contraction: uncache and drop the temporary views of the
    Spark contraction loop (macro contraction_levels) once the model's table holds
    what they cached; the loop also calls it first, in case a failed run left some.
    Runs the statements itself and returns no SQL. Nothing on DuckDB, whose recursive
    CTE leaves nothing behind. -#}
{% macro drop_contraction_levels() -%}
    {{ return(adapter.dispatch('drop_contraction_levels', 'cdp')()) }}
{%- endmacro %}

{% macro default__drop_contraction_levels() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__drop_contraction_levels() -%}
    {%- if execute -%}
        {%- set views = [] -%}
        {%- for row in run_query("show views like 'cdp_contraction_*'") if row['isTemporary'] -%}
            {%- do views.append(row['viewName']) -%}
        {%- endfor -%}
        {#- each level's views are defined over the level below: uncaching reads the
            definitions, so every view is uncached before any is dropped -#}
        {%- for view in views -%}
            {%- do run_query('uncache table if exists ' ~ view) -%}
        {%- endfor -%}
        {%- for view in views -%}
            {%- do run_query('drop view if exists ' ~ view) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
