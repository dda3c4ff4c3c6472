{#- The identifier a consent event or privacy request names, as four select-list
    columns: identifier_value (normalized by its type), phone_national_digits (a phone
    typed in national format, resolved against the customers' phones later),
    identifier_value_as_sent (trimmed, for a privacy officer when it cannot be read) and
    erased_identifier_hash (when `cdp erase-raw` replaced an erased person's identifier
    by 'cdp-erased:<keyed hash>'). identifier_type, value: SQL expressions. -#}
{% macro signal_identifier_columns(identifier_type, value) -%}
    case
        when {{ erased_identifier_hash(value) }} is null
            then {{ normalize_identifier(identifier_type, value) }}
    end as identifier_value,
    case
        when {{ identifier_type }} = 'phone' then {{ phone_national_digits(value) }}
    end as phone_national_digits,
    {{ clean_text(value) }} as identifier_value_as_sent,
    {{ erased_identifier_hash(value) }} as erased_identifier_hash
{%- endmacro %}
