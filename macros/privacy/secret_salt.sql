{#- SQL expression of the project's secret salt (env CDP_SECRET_SALT), read by the
    engine at run time, so its value is never in compiled SQL, the manifest or logs.
    DuckDB: a connection variable set by the cdp.duckdb_secrets plugin. Spark: a
    session variable the cdp_spark adapter declares and sets through a parameter
    marker when it opens a connection (a session variable cannot be read by a view:
    salted hashes are computed in tables). -#}
{% macro secret_salt() -%}
    {{ return(adapter.dispatch('secret_salt', 'cdp')()) }}
{%- endmacro %}

{% macro duckdb__secret_salt() -%}
    getvariable('cdp_secret_salt')
{%- endmacro %}

{% macro spark__secret_salt() -%}
    cdp_secret_salt
{%- endmacro %}

{% macro default__secret_salt() -%}
    {{ unsupported_adapter('secret_salt') }}
{%- endmacro %}
