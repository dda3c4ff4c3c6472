{#- dbt-spark's seed loader, fixed for two things it gets wrong (seen with the session
    method): its values are bound by text substitution without escaping (a value with an
    apostrophe breaks the INSERT, numbers go through float, a null becomes the string
    'None'), and dbt's CSV reading has already turned the strings 'null' and '' into
    nulls (blocked_identifiers blocks the placeholder 'null').
    Here every value is a SQL literal of the text as written in the file, cast to the
    seed's column type; an empty field is null. That is what dbt-duckdb's loader does
    (COPY ... FROM the file), so seeds load identically on both engines. The file is
    read again with a text type that keeps every string: the type dbt gives to the
    text columns of query results. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- set keep_strings = run_query("select 'text' as value").column_types[0] -%}
    {%- set types = [] -%}
    {%- set sql_types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(keep_strings) -%}
        {%- do sql_types.append(
            column_types.get(column_name, adapter.convert_type(agate_table, loop.index0))
        ) -%}
    {%- endfor -%}
    {%- set as_written = agate_table.from_csv(
        agate_table.original_abspath,
        column_types=types,
        encoding='utf-8-sig',
        delimiter=model['config'].get('delimiter', ',')
    ) -%}
    {%- set statements = [] -%}
    {%- for chunk in as_written.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for value in row -%}
                    {%- if value == '' -%}
                        null
                    {%- else -%}
                        cast({{ quote_literal(value) }} as {{ sql_types[loop.index0] }})
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
                ){%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
