{#- The source tables, as declared once in the var `cdp_sources` (dbt_project.yml;
    docs/sources.md): the one place that says which systems the project reads and
    what each table holds. Every rule that needs to know about sources reads this
    macro. Returns a list of dicts, sorted by table name, each with every key of the
    declaration (missing optional keys as none, {} or []):
      name, source, system, party, trust_rank, entity, model (suffix of base_/stg_),
      record_key, first_seen_at, last_seen_at, deleted, country, identifiers,
      national_phone, signal, attributes, touchpoint, pii, timestamps
    A declaration that lacks a required key, or says something the project cannot
    read, fails the compilation naming the table and the key. The declarations live
    in a var, not in the sources' YAML meta, because dbt resolves ref() while it parses
    the models, before it has read any YAML (graph.sources is empty then): the models
    that union every source need the list at that time. -#}
{% macro cdp_sources() -%}
    {%- set declared = var('cdp_sources', {}) -%}
    {%- if declared is not mapping or not declared -%}
        {{ exceptions.raise_compiler_error(
            'var cdp_sources must map each source table to its declaration (dbt_project.yml)'
        ) }}
    {%- endif -%}
    {%- set sources = [] -%}
    {%- for name in declared | sort -%}
        {%- set item = declared[name] -%}
        {%- set where = 'var cdp_sources, table ' ~ name ~ ': ' -%}
        {%- if item is not mapping -%}
            {{ exceptions.raise_compiler_error(where ~ 'a declaration is a mapping of keys') }}
        {%- endif -%}
        {%- for key in ['source', 'system', 'party', 'trust_rank', 'entity', 'model'] -%}
            {%- if item.get(key) is none -%}
                {{ exceptions.raise_compiler_error(where ~ 'missing key ' ~ key) }}
            {%- endif -%}
        {%- endfor -%}
        {%- if item.party not in ('first', 'second', 'third') -%}
            {{ exceptions.raise_compiler_error(
                where ~ 'party must be first, second or third, got ' ~ item.party
            ) }}
        {%- endif -%}
        {%- if item.trust_rank is not number -%}
            {{ exceptions.raise_compiler_error(
                where ~ 'trust_rank must be a number, got ' ~ item.trust_rank
            ) }}
        {%- endif -%}
        {%- if item.get('record_key') and not item.get('first_seen_at') -%}
            {{ exceptions.raise_compiler_error(
                where ~ 'a customer record (record_key) needs first_seen_at'
            ) }}
        {%- endif -%}
        {%- for key in ['identifiers', 'attributes', 'touchpoint', 'pii', 'signal', 'timestamps'] -%}
            {%- if item.get(key) is not none and item.get(key) is not mapping -%}
                {{ exceptions.raise_compiler_error(where ~ key ~ ' must be a mapping') }}
            {%- endif -%}
        {%- endfor -%}
        {%- if item.get('identifiers') and not item.get('record_key') -%}
            {{ exceptions.raise_compiler_error(
                where ~ 'identifiers link only on customer records: give record_key'
            ) }}
        {%- endif -%}
        {%- for column, kind in (item.get('pii') or {}).items()
            if kind is not none and kind not in ('email', 'phone', 'identifier_type') -%}
            {{ exceptions.raise_compiler_error(
                where ~ 'pii column ' ~ column ~ ' is read as email, phone, identifier_type'
                ~ ' (the row says) or ~ (other personal data), got ' ~ kind
            ) }}
        {%- endfor -%}
        {%- for column, kind in (item.get('timestamps') or {}).items()
            if kind not in ('business', 'version') -%}
            {{ exceptions.raise_compiler_error(
                where ~ 'timestamp ' ~ column ~ ' is business or version, got ' ~ kind
            ) }}
        {%- endfor -%}
        {%- do sources.append({
            'name': name,
            'source': item.source,
            'system': item.system,
            'party': item.party,
            'trust_rank': item.trust_rank,
            'entity': item.entity,
            'model': item.model,
            'record_key': item.get('record_key'),
            'first_seen_at': item.get('first_seen_at'),
            'last_seen_at': item.get('last_seen_at') or item.get('first_seen_at'),
            'deleted': item.get('deleted'),
            'country': item.get('country'),
            'identifiers': item.get('identifiers') or {},
            'national_phone': item.get('national_phone'),
            'signal': item.get('signal'),
            'attributes': item.get('attributes') or {},
            'touchpoint': item.get('touchpoint'),
            'pii': item.get('pii') or {},
            'timestamps': item.get('timestamps') or {},
        }) -%}
    {%- endfor -%}
    {{ return(sources) }}
{%- endmacro %}
