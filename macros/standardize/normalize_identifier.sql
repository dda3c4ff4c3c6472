{#- An identifier value normalized by its type (docs/contract.md §2): emails and phones as
    normalize_email / normalize_phone (international numbers only, as the record
    carries no country), ids trimmed. Null when invalid or the type is unknown. -#}
{% macro normalize_identifier(identifier_type, value) -%}
    case {{ identifier_type }}
        when 'email' then {{ normalize_email(value) }}
        when 'phone' then {{ normalize_phone(value, 'null', 'null') }}
        when 'crm_contact_id' then {{ clean_text(value) }}
        when 'shop_customer_id' then {{ clean_text(value) }}
        when 'loyalty_id' then {{ clean_text(value) }}
        when 'anonymous_id' then {{ clean_text(value) }}
    end
{%- endmacro %}
