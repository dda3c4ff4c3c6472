{#- The rows whose phone was typed in national format and carry no country to read it
    with (int_national_phones_read): customer records (macro identity_record_sources,
    entries with a national_phone column) and the signals about one identifier (consent
    events, privacy requests). Columns: source_table, record_key, is_record, email (the
    record's, to find the customer's country; null for signals),
    phone_national_digits, first_seen_at, last_seen_at. -#}
{% macro national_phone_rows() -%}
    {%- for source in identity_record_sources() if source.get('national_phone') %}
    select
        {{ quote_literal(source.source_table) }} as source_table,
        cast({{ source.record_key }} as string) as record_key,
        true as is_record,
        {{ source.identifiers.get('email', 'cast(null as string)') }} as email,
        {{ source.national_phone }} as phone_national_digits,
        {{ source.first_seen_at }} as first_seen_at,
        {{ source.get('last_seen_at') or source.first_seen_at }} as last_seen_at
    from {{ source.relation }}
    where {{ source.national_phone }} is not null
        {%- if source.get('where') %} and ({{ source.where }}){% endif %}
    union all
    {%- endfor %}
    {%- for signal in [
        {'model': 'stg_consent__events', 'source_table': 'consent_events', 'key': 'event_id',
         'at': 'occurred_at'},
        {'model': 'stg_privacy__requests', 'source_table': 'privacy_requests',
         'key': 'request_id', 'at': 'received_at'},
    ] %}
    select
        {{ quote_literal(signal.source_table) }} as source_table,
        {{ signal.key }} as record_key,
        false as is_record,
        cast(null as string) as email,
        phone_national_digits,
        {{ signal.at }} as first_seen_at,
        {{ signal.at }} as last_seen_at
    from {{ ref(signal.model) }}
    where phone_national_digits is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
