{#- Replace every row of the table `relation` by the rows of `select_sql` (the same
    columns in the same order), which may read the table itself: the in-place write
    Spark's parquet tables allow instead of UPDATE. The rows go to a copy first (Spark
    cannot overwrite a table it is reading), then overwrite the table; the copy is
    dropped. Spark only. -#}
{% macro rewrite_table(relation, select_sql) -%}
    {%- set copy = api.Relation.create(
        schema=relation.schema, identifier=relation.identifier ~ '__cdp_rewrite', type='table'
    ) -%}
    {%- do run_query('drop table if exists ' ~ copy) -%}
    {%- do run_query('create table ' ~ copy ~ ' using parquet as ' ~ select_sql) -%}
    {%- do run_query('insert overwrite table ' ~ relation ~ ' select * from ' ~ copy) -%}
    {%- do run_query('drop table ' ~ copy) -%}
{%- endmacro %}
