{#- The customer records of docs/contract.md §2 and the identifiers each carries: the
    declared sources with a record_key (macro cdp_sources), each with its staging
    relation (a ref, so every record source is upstream of the caller). Each entry:
    relation, source_table, record_key, identifiers {identifier_type: column},
    national_phone (column of a phone typed in national format on a row without a
    country: int_national_phones_read reads it), country (column of the record's
    country), first_seen_at / last_seen_at (business time), where (optional filter:
    not the deletion flag). Consent events, privacy requests and enrichment are
    signals about identifiers, not customer records: they are not here. -#}
{% macro identity_record_sources() -%}
    {%- set records = [] -%}
    {%- for source in cdp_sources() if source.record_key -%}
        {%- do records.append({
            'relation': ref('stg_' ~ source.model),
            'source_table': source.name,
            'record_key': source.record_key,
            'identifiers': source.identifiers,
            'national_phone': source.national_phone,
            'country': source.country,
            'attributes': source.attributes,
            'touchpoint': source.touchpoint,
            'first_seen_at': source.first_seen_at,
            'last_seen_at': source.last_seen_at,
            'where': ('not ' ~ source.deleted) if source.deleted else none,
        }) -%}
    {%- endfor -%}
    {{ return(records) }}
{%- endmacro %}
