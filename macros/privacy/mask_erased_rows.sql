{#- Rewrite the rows of `relation` that match `where` with `assignments` (a list of
    `column = expression`): the erasure pass's write. DuckDB updates in place. -#}
{% macro mask_erased_rows(relation, assignments, where) -%}
    {{ return(adapter.dispatch('mask_erased_rows', 'cdp')(relation, assignments, where)) }}
{%- endmacro %}

{% macro default__mask_erased_rows(relation, assignments, where) -%}
    {%- call statement('mask_erased_rows') -%}
        update {{ relation }} set {{ assignments | join(', ') }} where {{ where }}
    {%- endcall -%}
{%- endmacro %}

{#- Spark's parquet tables have no UPDATE: when rows match, the table is rewritten
    through a copy (every column, the assigned ones by their expression) and an
    insert overwrite; nothing is written when no row matches. (`where true and`:
    Spark reads `from t where (...)` as t aliased `where` with column aliases.) -#}
{% macro spark__mask_erased_rows(relation, assignments, where) -%}
    {%- set matching = run_query(
        'select count(*) from ' ~ relation ~ ' where true and ' ~ where
    ).columns[0].values()[0] -%}
    {%- if matching > 0 -%}
        {%- set expressions = {} -%}
        {%- for assignment in assignments -%}
            {%- set parts = assignment.split(' = ', 1) -%}
            {%- do expressions.update({parts[0]: parts[1]}) -%}
        {%- endfor -%}
        {%- set columns = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do columns.append(
                (expressions[column.name] ~ ' as ' ~ column.name)
                if column.name in expressions else column.name
            ) -%}
        {%- endfor -%}
        {%- do rewrite_table(relation, 'select ' ~ columns | join(', ') ~ ' from ' ~ relation) -%}
    {%- endif -%}
{%- endmacro %}
