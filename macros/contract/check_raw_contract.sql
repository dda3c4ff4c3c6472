{#- on-run-start guard: every raw table and column declared in the sources (the
    raw landing contract, docs/contract.md §1) must exist before any model reads it. Fails the
    run with one message naming everything that is missing, instead of a binder
    error deep inside a model. Skipped for `dbt seed`, which reads no raw data. -#}
{% macro check_raw_contract() %}
    {%- if execute and flags.WHICH in ('build', 'run', 'test') -%}
        {%- set raw_schema = var('raw_schema') -%}
        {%- set present = raw_contract_columns(raw_schema) -%}
        {%- set problems = [] -%}
        {%- for node in graph.sources.values() | sort(attribute='name') -%}
            {%- if node.schema == raw_schema -%}
                {%- if node.name not in present -%}
                    {%- do problems.append('missing table ' ~ raw_schema ~ '.' ~ node.name) -%}
                {%- else -%}
                    {%- set missing = [] -%}
                    {%- for column in node.columns -%}
                        {%- if column | lower not in present[node.name] -%}
                            {%- do missing.append(column) -%}
                        {%- endif -%}
                    {%- endfor -%}
                    {%- if missing -%}
                        {%- do problems.append(
                            raw_schema ~ '.' ~ node.name ~ ' is missing column(s) '
                            ~ missing | join(', ')
                        ) -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error(
                'The raw landing contract (docs/contract.md §1) is not met in '
                ~ (target.get('path') or 'target ' ~ target.name ~ ' (' ~ target.type ~ ')')
                ~ ':\n  - ' ~ problems | join('\n  - ')
                ~ '\nLand the data with `cdp load <folder> --target ' ~ target.name
                ~ '` or fix the raw tables.'
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
