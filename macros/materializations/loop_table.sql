{#- A scratch table of the model being built by materialization iterated_table: the
    model's name, two underscores and `name`, in the model's schema. Only a name: what
    the model's loop writes and its select reads; dropped once the model is built. -#}
{% macro loop_table(name) -%}
    {{ return(api.Relation.create(
        database=this.database,
        schema=this.schema,
        identifier=this.identifier ~ '__' ~ name,
        type='table',
    )) }}
{%- endmacro %}
