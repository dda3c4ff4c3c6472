{#- The number of rows of a relation, read by the Spark contraction loop (macro
    contraction_levels) to know whether edges are left. -#}
{% macro contraction_level_count(relation) -%}
    {{ return(run_query('select count(*) from ' ~ relation).columns[0].values()[0] | int) }}
{%- endmacro %}
