{#- Post-hook of int_identity_contraction: drop the scratch tables of the Spark
    contraction loop (macro contraction_levels) once the model's table holds what
    they held; the loop also calls it first, in case a failed run left some.
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
        {%- for row in run_query(
            "show tables in " ~ this.schema ~ " like 'cdp_contraction_*'"
        ) -%}
            {%- do run_query('drop table if exists ' ~ this.schema ~ '.' ~ row['tableName']) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
