{#- The columns of a model (a graph node) tagged `meta: {pii: true}`, lower-cased. -#}
{% macro pii_columns(node) -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values()
        if column.meta.get('pii') or column.get('config', {}).get('meta', {}).get('pii') -%}
        {%- do columns.append(column.name | lower) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}
