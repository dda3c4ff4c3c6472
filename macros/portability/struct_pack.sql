{#- A struct (record) value from `fields`, a mapping of field name to SQL expression,
    in that order. Structs compare field by field, so min()/max() of one picks a row by
    several criteria at once. DuckDB: {'name': value, ...}; Spark: named_struct(). Read
    a field with dot notation (struct.name) on both. -#}
{% macro struct_pack(fields) -%}
    {{ return(adapter.dispatch('struct_pack', 'cdp')(fields)) }}
{%- endmacro %}

{% macro duckdb__struct_pack(fields) -%}
    {
            {%- for name, expression in fields.items() %}
            {{ quote_literal(name) }}: {{ expression }}{{ ',' if not loop.last }}
            {%- endfor %}
        }
{%- endmacro %}

{% macro spark__struct_pack(fields) -%}
    named_struct(
            {%- for name, expression in fields.items() %}
            {{ quote_literal(name) }}, {{ expression }}{{ ',' if not loop.last }}
            {%- endfor %}
        )
{%- endmacro %}

{% macro default__struct_pack(fields) -%}
    {{ unsupported_adapter('struct_pack') }}
{%- endmacro %}
