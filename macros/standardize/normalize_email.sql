{#- The one reading of an email address (docs/contract.md §2, Identifier readings):
    trimmed, lower-cased, and its mailbox: a plus tag ('ana+news@example.net') names the
    same mailbox as the plain address ('ana@example.net': RFC 5233 subaddressing, which
    the large providers deliver to the plain mailbox), so the tag is dropped. Dots stay:
    only one provider ignores them, elsewhere they tell mailboxes apart. Null when the
    address is not syntactically valid: a dot-atom local part (no leading, trailing or
    double dot) @ a domain of letter/digit/hyphen labels ending in an alphabetic TLD of
    2+ letters. A value `cdp erase-raw` left in place of an erased person's email
    ('cdp-erased:<keyed hash>') is kept as it is: it still links that person's records,
    and is no email. -#}
{% macro normalize_email(column) -%}
    {%- set email = "lower(" ~ clean_text(column) ~ ")" -%}
    {%- set pattern -%}
        [a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}
    {%- endset -%}
    case
        when left({{ clean_text(column) }}, 11) = 'cdp-erased:' then lower({{ clean_text(column) }})
        when {{ regex_full_match(email, pattern | trim) }}
            then case
                when left({{ email }}, 1) = '+' then {{ email }}
                else {{ regex_replace_all(email, '\\+[^@]*@', '@') }}
            end
    end
{%- endmacro %}
