{#- The columns of a model (a graph node) tagged `meta: {pii: true}`, lower-cased, as
    {column: {identifier_type, identifier_type_column, raw_column}}: what their meta
    declares the column holds (an email or phone, or an identifier whose type the named
    column gives; none for other personal data) and, in a base model, the raw column it
    is read from (none: the column of the same name). -#}
{% macro pii_columns(node) -%}
    {%- set columns = {} -%}
    {%- for column in node.columns.values() -%}
        {%- set meta = column.get('config', {}).get('meta', {}) or column.meta or {} -%}
        {%- if meta.get('pii') -%}
            {%- do columns.update({column.name | lower: {
                'identifier_type': meta.get('identifier_type'),
                'identifier_type_column': meta.get('identifier_type_column'),
                'raw_column': meta.get('raw_column'),
            }}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}
