{#- SQL expression of the project's secret salt (env CDP_SECRET_SALT), read by the
    engine at run time, so its value is never in compiled SQL, the manifest or logs.
    DuckDB: a connection variable set by the cdp.duckdb_secrets plugin. -#}
{% macro secret_salt() -%}
    {{ return(adapter.dispatch('secret_salt', 'cdp')()) }}
{%- endmacro %}

{% macro default__secret_salt() -%}
    getvariable('cdp_secret_salt')
{%- endmacro %}
