{#- on-run-end, before the erasure pass (a hook that fails skips the hooks after it,
    and the erasure pass may run out of memory too): when a model or test failed for
    lack of memory (DuckDB's "Out of Memory Error", which names neither the model nor
    the setting to change; a Python model's MemoryError; Spark's OutOfMemoryError),
    print a message naming the models and what to change (out_of_memory_advice). print,
    not log: it shows with --quiet too. The run has failed already; nothing is raised. -#}
{% macro report_out_of_memory(results) -%}
    {%- if execute -%}
        {%- set failed = [] -%}
        {%- set temp_full = [] -%}
        {%- for result in results -%}
            {%- set message = (result.message or '') | lower -%}
            {%- if result.status == 'error' and (
                'out of memory' in message or 'outofmemory' in message
                or 'memoryerror' in message
            ) -%}
                {%- do failed.append(result.node.name) -%}
                {%- if 'max_temp_directory_size' in message -%}
                    {%- do temp_full.append(result.node.name) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if failed -%}
            {{ print(out_of_memory_advice(failed | sort, temp_full | sort)) }}
        {%- endif -%}
    {%- endif -%}
    select 1
{%- endmacro %}
