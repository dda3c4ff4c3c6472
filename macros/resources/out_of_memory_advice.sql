{#- The message of report_out_of_memory: the models that ran out of memory, the
    engine's current limits and the environment variables that change them
    (profiles.yml; docs/big-data.md). -#}
{% macro out_of_memory_advice(models, temp_full) -%}
    {{- return(adapter.dispatch('out_of_memory_advice', 'cdp')(models, temp_full)) -}}
{%- endmacro %}

{% macro duckdb__out_of_memory_advice(models, temp_full) -%}
    {%- set limits = run_query(
        "select current_setting('memory_limit'), current_setting('temp_directory'),"
        ~ " current_setting('max_temp_directory_size'), current_setting('threads')"
    ).rows[0] -%}
    {%- set message = (
        'Out of memory in ' ~ (models | join(', ')) ~ ': DuckDB may use ' ~ limits[0]
        ~ ' (env CDP_DUCKDB_MEMORY_LIMIT) with ' ~ limits[3] ~ ' threads (env'
        ~ ' CDP_DUCKDB_THREADS) and spills to ' ~ limits[1] ~ ' (env'
        ~ ' CDP_DUCKDB_TEMP_DIRECTORY, at most ' ~ limits[2] ~ ', env'
        ~ ' CDP_DUCKDB_MAX_TEMP_SIZE).'
    ) -%}
    {%- if temp_full -%}
        {%- set message = message ~ (
            ' The spill directory is full (' ~ (temp_full | join(', ')) ~ '): point'
            ~ ' CDP_DUCKDB_TEMP_DIRECTORY to a disk with more free space, or raise'
            ~ ' CDP_DUCKDB_MAX_TEMP_SIZE.'
        ) -%}
    {%- endif -%}
    {%- set rest = 'dbt build --select ' ~ (models | join('+ ')) ~ '+' -%}
    {%- if models | length > 1 -%}
        {#- measured at 5M customers: two models that each fit alone (at half the limit,
            spilling) failed side by side; DuckDB's limit is one for the whole database -#}
        {%- set message = message ~ (
            ' These models ran at the same time and shared that one limit: set'
            ~ ' CDP_THREADS=1 (dbt models run at once) for builds of this size, so that'
            ~ ' each model has the whole limit.'
        ) -%}
        {%- set rest = rest ~ ' --threads 1' -%}
    {%- endif -%}
    {{- return(message ~ (
        ' Raise CDP_DUCKDB_MEMORY_LIMIT (e.g. 70%, or a size such as 20GiB) if the machine'
        ~ ' has memory to spare, or lower CDP_DUCKDB_THREADS and CDP_THREADS (dbt models'
        ~ ' run at once): fewer threads need less memory and spill more. Then build the'
        ~ ' rest: ' ~ rest ~ '. Beyond one machine: docs/spark.md.'
    )) -}}
{%- endmacro %}

{% macro spark__out_of_memory_advice(models, temp_full) -%}
    {{- return(
        'Out of memory in ' ~ (models | join(', ')) ~ ': raise the Spark driver\'s'
        ~ ' memory (env CDP_SPARK_DRIVER_MEMORY, now '
        ~ env_var('CDP_SPARK_DRIVER_MEMORY', '2g') ~ '), or run on a cluster (docs/spark.md).'
    ) -}}
{%- endmacro %}

{#- Any other engine: the models, and the two ways out every engine has. -#}
{% macro default__out_of_memory_advice(models, temp_full) -%}
    {{- return(
        'Out of memory in ' ~ (models | join(', ')) ~ ': give ' ~ target.type ~ ' more'
        ~ ' memory, or build fewer models at once (--threads 1).'
    ) -}}
{%- endmacro %}
