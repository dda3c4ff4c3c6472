{#- Materialization `iterated_table`: a table whose select reads what a loop of
    statements wrote first, for an engine that cannot run the loop inside one query
    (on Spark, the levels of the identity graph's connected components: recursive CTEs
    there refuse aggregates and outer joins over the recursive reference). The loop is
    the macro named by config `loop`, called with the relation of the model named by
    config `loop_input`; it writes scratch tables named after the model (macro
    loop_table), which are dropped before it runs and once the table is built. It runs
    when the model is built, never while it compiles: `dbt compile` runs nothing.
    DuckDB runs the same loops in the model's select (recursive CTEs): a plain table. -#}
{% materialization iterated_table, adapter='spark' %}
    {%- set loop_input = ref(config.require('loop_input')) -%}
    {%- set loop = context[config.require('loop')] -%}
    {%- do drop_loop_tables(this) -%}
    {%- do loop(loop_input) -%}
    {%- set relations = materialization_table_spark() -%}
    {%- do drop_loop_tables(this) -%}
    {{ return(relations) }}
{% endmaterialization %}

{% materialization iterated_table, adapter='duckdb' %}
    {{ return(materialization_table_duckdb()) }}
{% endmaterialization %}
