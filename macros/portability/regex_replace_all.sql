{#- `expression` with every match of the regular expression `pattern` (the pattern's
    text, not a SQL literal) replaced by `replacement` (text). DuckDB replaces the
    first match only unless given 'g'; Spark's three-argument form replaces all, and
    its fourth argument is a position, not flags. -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'cdp')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro duckdb__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ quote_literal(pattern) }}, {{ quote_literal(replacement) }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ quote_literal(pattern) }}, {{ quote_literal(replacement) }})
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    {{ unsupported_adapter('regex_replace_all') }}
{%- endmacro %}
