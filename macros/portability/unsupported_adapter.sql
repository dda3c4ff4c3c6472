{#- The default__ implementation of a dispatched macro that has no portable SQL form:
    fails the compilation naming the macro and the adapter, instead of handing another
    engine one engine's dialect. The project ships duckdb__ and spark__ forms (the
    cdp_spark adapter dispatches to spark__ too). -#}
{% macro unsupported_adapter(macro_name) -%}
    {{ exceptions.raise_compiler_error(
        macro_name ~ ': no implementation for adapter ' ~ target.type
        ~ '; this project runs on DuckDB and Spark (macros duckdb__' ~ macro_name
        ~ ' and spark__' ~ macro_name ~ '), write a ' ~ target.type ~ '__' ~ macro_name
        ~ ' to run it on ' ~ target.type
    ) }}
{%- endmacro %}
