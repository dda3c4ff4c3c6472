{#- An ISO-8601 calendar date ('YYYY-MM-DD') to DATE; null for anything else: other
    spellings ('05/01/1990' is ambiguous, so it is not guessed at), impossible dates
    ('1990-02-30') and years beyond four digits (try_cast, never a failed build). -#}
{% macro parse_date(column) -%}
    case
        when {{ regex_full_match(clean_text(column), '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
            then try_cast({{ clean_text(column) }} as date)
    end
{%- endmacro %}
