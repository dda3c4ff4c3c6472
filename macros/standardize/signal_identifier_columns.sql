{#- The identifier a consent event or privacy request names, as four select-list
    columns: identifier_value (read by its type, macro normalize_identifier; a value
    `cdp erase-raw` replaced by 'cdp-erased:<keyed hash>' stays that stand-in, whatever
    its type, so the signal keeps its identifier and int_signal_identifiers_read finds
    whose it is by the hash), phone_national_digits (a phone typed in national format,
    read later: int_national_phones_read), identifier_value_as_sent (trimmed, for a
    privacy officer when it cannot be read) and erased_identifier_hash (the hash of a
    stand-in). identifier_type, value: SQL expressions. -#}
{% macro signal_identifier_columns(identifier_type, value) -%}
    case
        when {{ erased_identifier_hash(value) }} is not null
            then 'cdp-erased:' || {{ erased_identifier_hash(value) }}
        else {{ normalize_identifier(identifier_type, value) }}
    end as identifier_value,
    case
        when {{ identifier_type }} = 'phone' then {{ phone_national_digits(value) }}
    end as phone_national_digits,
    {{ clean_text(value) }} as identifier_value_as_sent,
    {{ erased_identifier_hash(value) }} as erased_identifier_hash
{%- endmacro %}
