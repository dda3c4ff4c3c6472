{#- Phone number in E.164 (+<country code><national number>), or null when invalid.
    - '+' or '00' prefix: international, the country code is in the number.
      A trunk zero typed after the calling code ('+44 07911 …') is dropped where the
      plan has no number beginning with 0 (macro phone_without_trunk_zero).
    - otherwise national: the dialing code of the record's country is prefixed after
      removing that country's trunk prefix ('0' in most of Europe, '1' in NANP);
      without a known country a national number cannot be normalized (null).
    Valid: 8 to 15 digits in all, not starting with 0 (ITU-T E.164). A value `cdp
    erase-raw` left in place of an erased person's phone ('cdp-erased:<keyed hash>') is
    kept as it is: it still links that person's records, and is no number. -#}
{% macro normalize_phone(column, dialing_code, trunk_prefix) -%}
    {#- No-break spaces and en/em dashes (word processors, web forms) separate digits
        like spaces; '+49 (0)30 ...': the bracketed trunk zero is not dialled from abroad. -#}
    {%- set separated = "translate(" ~ clean_text(column) ~ ", ' –—', '   ')" -%}
    {%- set text = "replace(" ~ separated ~ ", '(0)', '')" -%}
    {%- set digits = regex_replace_all(text, '[^0-9]', '') -%}
    {%- set e164 -%}
        case
            when left(trim(leading '( ' from {{ text }}), 1) = '+'
                then {{ phone_without_trunk_zero("'+' || " ~ digits) }}
            when left({{ digits }}, 2) = '00'
                then {{ phone_without_trunk_zero("'+' || substr(" ~ digits ~ ", 3)") }}
            when {{ dialing_code }} is not null then
                '+' || {{ dialing_code }} || case
                    when coalesce({{ trunk_prefix }}, '') <> ''
                        and left({{ digits }}, length({{ trunk_prefix }})) = {{ trunk_prefix }}
                        then substr({{ digits }}, length({{ trunk_prefix }}) + 1)
                    else {{ digits }}
                end
        end
    {%- endset -%}
    case
        when left({{ clean_text(column) }}, 11) = 'cdp-erased:' then lower({{ clean_text(column) }})
        when {{ regex_full_match(text, '[0-9+()./ -]+') }}
            and {{ regex_full_match(e164, '\\+[1-9][0-9]{7,14}') }}
            then {{ e164 }}
    end
{%- endmacro %}
