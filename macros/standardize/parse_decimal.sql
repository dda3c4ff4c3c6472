{#- A decimal number as back offices and spreadsheets write it, to DECIMAL(18, 4); null
    when the text is no such number, or is ambiguous (macro is_ambiguous_number: '1,250'
    and '2.400' could be a thousand and more, or one and a bit: base models quarantine
    them as ambiguous_number, never guess). Read:
      '12.50', '-3', '12,50'          one decimal point or comma
      '1,250.00', '1,250,000'         comma thousands (then a decimal point)
      '1.250,00', '1.250.000'         point thousands (then a decimal comma)
      '1 250,00', '1''250.50'         space or apostrophe thousands (either decimal)
    No currency symbols or exponents are guessed at. try_cast: a number that does not
    fit the type (14 digits before the point) is null, never a failed build. -#}
{% macro parse_decimal(column) -%}
    {%- set text = clean_text(column) -%}
    case
        when {{ is_ambiguous_number(column) }} then null
        when {{ regex_full_match(text, '[+-]?[0-9]+([.,][0-9]+)?') }}
            then try_cast(replace({{ text }}, ',', '.') as decimal(18, 4))
        when {{ regex_full_match(text, '[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?') }}
            then try_cast(replace({{ text }}, ',', '') as decimal(18, 4))
        when {{ regex_full_match(text, '[+-]?[0-9]{1,3}([.][0-9]{3})+(,[0-9]+)?') }}
            then try_cast(replace(replace({{ text }}, '.', ''), ',', '.') as decimal(18, 4))
        when {{ regex_full_match(text, "[+-]?[0-9]{1,3}([ '][0-9]{3})+([.,][0-9]+)?") }}
            then try_cast(
                replace(replace(replace({{ text }}, ' ', ''), '''', ''), ',', '.')
                as decimal(18, 4)
            )
    end
{%- endmacro %}
