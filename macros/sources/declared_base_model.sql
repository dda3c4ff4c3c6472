{#- The whole body of a base_ model, generated from a source's declaration (macro
    cdp_sources): a new source system needs its declaration and a base model of two
    lines,
        {{ config(materialized='table') }}
        {{ declared_base_model('helpdesk_users') }}
    plus its staging view (`{{ select_kept_rows(ref('base_<model>')) }}`). Every raw
    row stays, with its outcome (docs/contract.md §2, Nothing lost, nothing guessed):
      - identifiers read by their type (the identifier readings of docs/contract.md §2:
        emails as their mailbox, phones in E.164 with the record's country when the
        declaration names a `country` column, ids trimmed); a phone in national format
        kept as digits in the `national_phone` column when the declaration names one;
      - the `country` column read as an ISO code (country_aliases seed);
      - first_name / last_name attributes read as names; the `timestamps` (business or
        version) parsed to UTC and checked; the `deleted` flag read as a boolean;
      - every other column trimmed;
      - quarantined: no key, a business timestamp missing or unreadable, any timestamp
        implausible, an unreadable deletion flag; of the rest, the latest version of
        each key (last_seen_at, then landing) is kept, the others are duplicates.
    Sources whose rows need more (amounts, enums, currencies) write their base model by
    hand, with the same macros. -#}
{% macro declared_base_model(table) -%}
    {%- for declared in cdp_sources() if declared.name == table -%}
        {{ return(_declared_base_model_sql(declared)) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        'declared_base_model: ' ~ table ~ ' is not declared in var cdp_sources'
    ) }}
{%- endmacro %}

{% macro _declared_base_model_sql(declared) -%}
    {%- if not declared.record_key -%}
        {{ exceptions.raise_compiler_error(
            'declared_base_model: ' ~ declared.name ~ ' declares no record_key'
        ) }}
    {%- endif -%}
    {%- set timestamps = declared.get('timestamps') or {} -%}
    {%- set country = declared.country -%}
    {%- set types = {} -%}
    {%- for identifier_type, column in declared.identifiers.items() -%}
        {%- do types.update({column: identifier_type}) -%}
    {%- endfor -%}
    {%- set relation = source(declared.source, declared.name) -%}
    {%- set columns = adapter.get_columns_in_relation(relation) if execute else [] -%}
    {%- set selects = [] -%}
    {%- for column in columns if column.name != '_loaded_at' -%}
        {%- set name = column.name | lower -%}
        {%- set raw = 'hashed.' ~ name -%}
        {%- if types.get(name) == 'email' -%}
            {%- set expression = normalize_email(raw) -%}
        {%- elif types.get(name) == 'phone' -%}
            {%- set expression = normalize_phone(raw, 'countries.dialing_code', 'countries.trunk_prefix')
                if country else normalize_phone(raw, 'null', 'null') -%}
            {%- if declared.national_phone -%}
                {%- do selects.append(phone_national_digits(raw) ~ ' as ' ~ declared.national_phone) -%}
            {%- endif -%}
        {%- elif name == country -%}
            {%- set expression = 'countries.country_code' -%}
        {%- elif name in timestamps -%}
            {%- set expression = parse_timestamp_utc(raw) -%}
            {%- do selects.append(raw ~ ' as _raw_' ~ name) -%}
        {%- elif name == declared.deleted -%}
            {%- set expression = 'coalesce(' ~ parse_boolean(raw) ~ ', false)' -%}
            {%- do selects.append(raw ~ ' as _raw_' ~ name) -%}
        {%- elif name in (declared.attributes.get('first_name'), declared.attributes.get('last_name')) -%}
            {%- set expression = normalize_name(raw) -%}
        {%- else -%}
            {%- set expression = clean_text(raw) -%}
        {%- endif -%}
        {%- do selects.append(expression ~ ' as ' ~ name) -%}
    {%- endfor %}

with

raw_rows as (
    select * from {{ relation }}
),

country_aliases as (
    select * from {{ ref('country_aliases') }}
),

countries as (
    select * from {{ ref('countries') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from raw_rows
),

standardized as (
    select
        {{ selects | join(',\n        ') }},
        hashed._loaded_at,
        hashed._row_hash,
        hashed.{{ declared.record_key }} as _raw_key
    from hashed
    {%- if country %}
    left join country_aliases
        on upper({{ clean_text('hashed.' ~ country) }}) = country_aliases.alias
    left join countries
        on country_aliases.country_code = countries.country_code
    {%- endif %}
),

checked as (
    select
        *,
        case
            when {{ declared.record_key }} is null then 'missing_key'
            {%- for name, kind in timestamps.items() %}
            {{ timestamp_quarantine_reason('_raw_' ~ name, name, kind) }}
            {%- endfor %}
            {%- if declared.deleted %}
            when {{ clean_text('_raw_' ~ declared.deleted) }} is not null
                and {{ parse_boolean('_raw_' ~ declared.deleted) }} is null
                then 'unparseable_boolean'
            {%- endif %}
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        {{ row_outcome(declared.record_key, declared.last_seen_at ~ ' desc, _loaded_at desc') }}
    from checked
),

{%- set raw_columns = [] %}
{%- for name in timestamps %}{% do raw_columns.append('_raw_' ~ name) %}{% endfor %}
{%- if declared.deleted %}{% do raw_columns.append('_raw_' ~ declared.deleted) %}{% endif %}

final as (
    select {{ star_except(raw_columns) if raw_columns else '*' }} from classified
)

select * from final
{%- endmacro %}
