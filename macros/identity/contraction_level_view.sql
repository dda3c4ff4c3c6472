{#- Name of the temporary view that caches one level of the Spark contraction loop
    (macro contraction_levels): `kind` 'edges' or 'maps', `level` its number. -#}
{% macro contraction_level_view(kind, level) -%}
    {{ return('cdp_contraction_' ~ kind ~ '_' ~ level) }}
{%- endmacro %}
