{#- The rows whose phone was typed in national format and carry no country to read it
    with (int_national_phones_read), from the declared sources (macro cdp_sources):
    customer records with a national_phone column, and signals about one identifier
    (consent events, privacy requests: their staging models' phone_national_digits).
    Columns: source_table, record_key, is_record, email (the record's, to find the
    customer's country; null for signals), phone_national_digits, first_seen_at,
    last_seen_at. -#}
{% macro national_phone_rows() -%}
    {%- set selects = [] -%}
    {%- for source in identity_record_sources() if source.national_phone -%}
        {%- set select -%}
    select
        {{ quote_literal(source.source_table) }} as source_table,
        cast({{ source.record_key }} as string) as record_key,
        true as is_record,
        {{ source.identifiers.get('email', 'cast(null as string)') }} as email,
        {{ source.national_phone }} as phone_national_digits,
        {{ source.first_seen_at }} as first_seen_at,
        {{ source.last_seen_at }} as last_seen_at
    from {{ source.relation }}
    where {{ source.national_phone }} is not null
        {%- if source.where %} and ({{ source.where }}){% endif %}
        {%- endset -%}
        {%- do selects.append(select) -%}
    {%- endfor -%}
    {%- for source in cdp_sources() if source.signal -%}
        {%- set select -%}
    select
        {{ quote_literal(source.name) }} as source_table,
        {{ source.signal.key }} as record_key,
        false as is_record,
        cast(null as string) as email,
        phone_national_digits,
        {{ source.signal.at }} as first_seen_at,
        {{ source.signal.at }} as last_seen_at
    from {{ ref('stg_' ~ source.model) }}
    where phone_national_digits is not null
        {%- endset -%}
        {%- do selects.append(select) -%}
    {%- endfor -%}
    {{ selects | join('\n    union all\n') }}
{%- endmacro %}
