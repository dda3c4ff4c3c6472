{#- Whether the whole of `expression` matches the regular expression `pattern` (the
    pattern's text, not a SQL literal). DuckDB: regexp_full_match (RE2). Spark has no
    full-match function: regexp_like anchored with ^(?:...)\z ($ would also match
    before a final line break). -#}
{% macro regex_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'cdp')(expression, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, {{ quote_literal(pattern) }})
{%- endmacro %}

{% macro spark__regex_full_match(expression, pattern) -%}
    regexp_like({{ expression }}, {{ quote_literal('^(?:' ~ pattern ~ ')\\z') }})
{%- endmacro %}

{% macro default__regex_full_match(expression, pattern) -%}
    {{ unsupported_adapter('regex_full_match') }}
{%- endmacro %}
