{#- Land models in the schema named in their config (staging, intermediate, marts, ...)
    exactly, instead of dbt's default <target_schema>_<custom_schema>. With var
    schema_prefix (letters, digits, underscores; `cdp identity-preview` uses
    `preview_`), every schema gets that prefix: a scratch copy beside the real one. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set prefix = var('schema_prefix', '') or '' -%}
    {%- if not modules.re.fullmatch('[a-z_][a-z0-9_]*|', prefix) -%}
        {{ exceptions.raise_compiler_error(
            'var schema_prefix must be lower-case letters, digits and underscores, not '
            ~ prefix
        ) }}
    {%- endif -%}
    {%- if custom_schema_name is none -%}
        {{ prefix ~ target.schema }}
    {%- else -%}
        {{ prefix ~ (custom_schema_name | trim) }}
    {%- endif -%}
{%- endmacro %}
