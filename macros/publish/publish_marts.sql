{#- on-run-end, last: write, audit, publish. dbt builds the marts into schema
    marts_audit and tests them there; users, tools and `cdp` commands read schema marts,
    which this step fills, and only from a complete build: a `dbt build` in which no
    model, seed, snapshot or test failed or was skipped. Then every mart is copied from
    marts_audit into marts in one transaction on DuckDB, so a reader sees all the
    previous build's marts or all of this one's, never a mix; a build that failed, ran
    out of memory or was killed publishes nothing and leaves marts as the last complete
    build left them. (Spark has no transaction over several tables: there the marts are
    replaced one after the other, in a few seconds.) Runs after the erasure pass, so
    what is published is already erased. The published schema is the mart's schema
    without its `_audit` suffix (with the var schema_prefix: preview_marts).
    `dbt run-operation publish_marts` publishes the last build's marts by hand (after a
    `dbt run` and a `dbt test` that passed). -#}
{% macro publish_marts(results=none) -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- if results is not none -%}
        {%- if flags.WHICH != 'build' -%}
            {{ return('') }}
        {%- endif -%}
        {%- set failed = [] -%}
        {%- for result in results
            if result.status in ('error', 'fail', 'skipped', 'runtime error') -%}
            {%- do failed.append(result.node.name) -%}
        {%- endfor -%}
        {%- if failed -%}
            {{ print(
                'marts not published: ' ~ (failed | length) ~ ' node(s) failed or were skipped ('
                ~ (failed | sort | join(', ')) ~ '); schema marts stays as the last complete'
                ~ ' build left it'
            ) }}
            {{ return('') }}
        {%- endif -%}
    {%- endif -%}
    {%- set marts = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name')
        if node.resource_type == 'model' and node.package_name == 'cdp'
        and node.schema.endswith('_audit')
        and node.config.materialized in ('table', 'incremental') -%}
        {%- set built = adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        ) -%}
        {%- if built is not none -%}
            {%- do marts.append(built) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if marts -%}
        {%- set published_schema = marts[0].schema[:-('_audit' | length)] -%}
        {%- do adapter.create_schema(api.Relation.create(
            database=marts[0].database, schema=published_schema
        )) -%}
        {%- for built in marts -%}
            {%- do publish_mart(built, built.incorporate(path={
                'schema': built.schema[:-('_audit' | length)]
            })) -%}
        {%- endfor -%}
        {%- do adapter.commit() -%}
    {%- endif -%}
    {{ log('publish_marts: ' ~ (marts | length) ~ ' marts published', info=true) }}
    {{ return('') }}
{%- endmacro %}

{#- Replace the published copy of one mart with the audited one. DuckDB: inside the
    hook's transaction (publish_marts commits once, after every mart). -#}
{% macro publish_mart(built, published) -%}
    {{ return(adapter.dispatch('publish_mart', 'cdp')(built, published)) }}
{%- endmacro %}

{% macro duckdb__publish_mart(built, published) -%}
    {%- call statement('publish_mart') -%}
        create or replace table {{ published }} as select * from {{ built }}
    {%- endcall -%}
{%- endmacro %}

{% macro spark__publish_mart(built, published) -%}
    {%- call statement('publish_mart_drop') -%}
        drop table if exists {{ published }}
    {%- endcall -%}
    {%- call statement('publish_mart') -%}
        create table {{ published }} using parquet as select * from {{ built }}
    {%- endcall -%}
{%- endmacro %}

{% macro default__publish_mart(built, published) -%}
    {{ unsupported_adapter('publish_mart') }}
{%- endmacro %}
