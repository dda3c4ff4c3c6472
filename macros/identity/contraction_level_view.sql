{#- Name of the scratch table that holds one level of the Spark contraction loop
    (macro contraction_levels), in the schema of the model being built: `kind`
    'edges' or 'maps', `level` its number. -#}
{% macro contraction_level_view(kind, level) -%}
    {{ return(this.schema ~ '.cdp_contraction_' ~ kind ~ '_' ~ level) }}
{%- endmacro %}
