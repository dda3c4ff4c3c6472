{#- A value as a SQL string literal: every single quote doubled ('o''brien@x.com'),
    so no value can end the literal and add SQL of its own. Backslashes are kept
    literally, as standard SQL (and DuckDB) reads a string literal: 'a\b' is the
    three characters a, \, b (an engine that unescapes backslashes in literals,
    such as Spark, needs them doubled; SPARK_NOTES B5). None gives null; any
    other value is quoted as its text. The one way a var or user input reaches
    SQL as text. -#}
{% macro quote_literal(value) -%}
    {%- if value is none -%}
        null
    {%- else -%}
        '{{ value | string | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}
