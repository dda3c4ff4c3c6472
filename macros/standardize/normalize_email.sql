{#- Trimmed, lower-cased email when it is syntactically valid, else null.
    Valid: dot-atom local part (no leading, trailing or double dot) @ a domain of
    letter/digit/hyphen labels ending in an alphabetic TLD of 2+ letters. A value
    `cdp erase-raw` left in place of an erased person's email ('cdp-erased:<keyed
    hash>') is kept as it is: it still links that person's records, and is no email. -#}
{% macro normalize_email(column) -%}
    {%- set email = "lower(" ~ clean_text(column) ~ ")" -%}
    {%- set pattern -%}
        [a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}
    {%- endset -%}
    case
        when left({{ clean_text(column) }}, 11) = 'cdp-erased:' then lower({{ clean_text(column) }})
        when {{ regex_full_match(email, pattern | trim) }}
            then {{ email }}
    end
{%- endmacro %}
