{#- The number of rows of a relation: the contraction loop (macro
    contraction_levels_loop) reads it when it runs, to know whether edges are left. -#}
{% macro contraction_row_count(relation) -%}
    {{ return(run_query('select count(*) from ' ~ relation).columns[0].values()[0] | int) }}
{%- endmacro %}
