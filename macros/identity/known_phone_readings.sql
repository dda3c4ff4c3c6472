{#- The one reading of a phone typed in national format with no country to read it by
    (docs/contract.md §2, Identifier readings): every country's reading of the digits
    (countries seed, macro normalize_phone) is looked up among the phones the records
    carry; exactly one known reading is the number, none or several leave it unread.
    A select of key_columns, known_reading_count and phone (the smallest known reading:
    the number when the count is 1), one row per key with at least one known reading.
      rows            relation (or CTE) of the digits to read
      key_columns     its columns that name one row
      digits_column   its column of national digits (macro phone_national_digits)
      known_phones    relation (or CTE) with a column `phone` of known E.164 numbers
    Used by int_national_phones_read and by the access request. -#}
{% macro known_phone_readings(rows, key_columns, digits_column, known_phones) -%}
    {%- set keys = [] -%}
    {%- for column in key_columns -%}
        {%- do keys.append(rows ~ '.' ~ column) -%}
    {%- endfor %}
    select
        {{ keys | join(',\n        ') }},
        count(distinct {{ known_phones }}.phone) as known_reading_count,
        min({{ known_phones }}.phone) as phone
    from {{ rows }}
    cross join {{ ref('countries') }} as reading_countries
    inner join {{ known_phones }}
        on {{ known_phones }}.phone = {{ normalize_phone(
            rows ~ '.' ~ digits_column,
            'reading_countries.dialing_code',
            'reading_countries.trunk_prefix'
        ) }}
    group by {{ keys | join(', ') }}
{%- endmacro %}
