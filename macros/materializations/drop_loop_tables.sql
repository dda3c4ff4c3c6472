{#- Drop the scratch tables of a model built by materialization iterated_table: the
    tables of its schema named `<model>__*` (macro loop_table). Runs the statements
    itself, at run time. Spark: `show tables ... like`. -#}
{% macro drop_loop_tables(relation) -%}
    {{ return(adapter.dispatch('drop_loop_tables', 'cdp')(relation)) }}
{%- endmacro %}

{% macro spark__drop_loop_tables(relation) -%}
    {%- for row in run_query(
        'show tables in ' ~ relation.schema ~ ' like ' ~ quote_literal(relation.identifier ~ '__*')
    ) -%}
        {%- do run_query('drop table if exists ' ~ relation.schema ~ '.' ~ row['tableName']) -%}
    {%- endfor -%}
{%- endmacro %}

{% macro default__drop_loop_tables(relation) -%}
    {{ unsupported_adapter('drop_loop_tables') }}
{%- endmacro %}
