{#- A value as a SQL string literal: every single quote doubled ('o''brien@x.com'),
    so no value can end the literal and add SQL of its own: the one way a var or user
    input reaches SQL as text. None gives null; any other value is quoted as its text.
    Backslashes are kept as written: DuckDB keeps them in literals, Spark reads them as
    escapes ('\d' is 'd'), so on Spark they are doubled. -#}
{% macro quote_literal(value) -%}
    {{ return(adapter.dispatch('quote_literal', 'cdp')(value)) }}
{%- endmacro %}

{% macro default__quote_literal(value) -%}
    {%- if value is none -%}
        null
    {%- else -%}
        '{{ value | string | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark__quote_literal(value) -%}
    {%- if value is none -%}
        null
    {%- else -%}
        '{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}
