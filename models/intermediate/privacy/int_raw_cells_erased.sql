{#- Which cells of which raw rows hold an erased person's personal data: one row per raw
    table, row (its content hash, base models' _row_hash) and raw column. The erasure
    pass (macro apply_erasures) nulls these cells in the base_ tables at the end of
    every run, and `cdp erase-raw` in the raw tables themselves. No value in clear:
    rows are named by their hash, erased values recognized by their keyed hash.

    A row's personal columns (`meta: {pii: true}` on the base model) are all erased
    when the row is a record of an erased customer (int_erased_records, by record
    key); on anyone's rows, an email, phone or identifier column is erased when its
    value is in the erasure log (a household's landline on the other members' cards
    too), and a phone typed in national format when its completion (or, in consent
    events and privacy requests, its resolution) is. -#}
{%- set branches = [] -%}
{%- for item in raw_table_models() -%}
    {#- the ref is taken while parsing, so every base model is upstream -#}
    {%- set relation = ref('base_' ~ item.model) -%}
    {%- if execute -%}
        {%- set key = item.get('record_key') -%}
        {%- set signal_key = item.get('signal_key') -%}
        {%- for column in pii_columns(graph.nodes['model.cdp.base_' ~ item.model]) -%}
            {%- set raw_column = raw_column_of(item, column) -%}
            {%- set conditions = [] -%}
            {%- if key -%}
                {%- do conditions.append(
                    'base.' ~ key ~ ' in (select record_key from erased_records where source_table = '
                    ~ quote_literal(item.table) ~ ')'
                ) -%}
            {%- endif -%}
            {%- if column == 'phone_national_digits' and key -%}
                {%- do conditions.append(
                    'base.' ~ key ~ ' in (select record_key from erased_completed_phones'
                    ~ ' where source_table = ' ~ quote_literal(item.table) ~ ')'
                ) -%}
            {%- endif -%}
            {%- if signal_key and raw_column == 'identifier_value' -%}
                {%- do conditions.append(
                    'base.' ~ signal_key ~ ' in (select record_key from erased_signal_phones'
                    ~ ' where source_table = ' ~ quote_literal(item.table) ~ ')'
                ) -%}
            {%- endif -%}
            {%- set by_value = erased_value_condition(
                'identifier_value' if signal_key and raw_column == 'identifier_value' else column,
                'erasure_log'
            ) -%}
            {%- if by_value -%}
                {%- do conditions.append(by_value) -%}
            {%- endif -%}
            {%- do branches.append({
                'relation': relation,
                'raw_table': item.table,
                'raw_column': raw_column,
                'condition': conditions | join(' or ') or 'false',
            }) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endfor %}

with

erasure_log as (
    select * from {{ ref('int_erasure_log') }}
),

erased_records as (
    select * from {{ ref('int_erased_records') }}
),

completed_phones as (
    select * from {{ ref('int_national_phones_completed') }}
),

signal_phones as (
    select * from {{ ref('int_signal_phones_resolved') }}
),

erased_completed_phones as (
    select
        source_table,
        record_key
    from completed_phones
    where {{ salted_hash("'phone:' || phone") }} in (select identifier_hash from erasure_log)
),

erased_signal_phones as (
    select
        source_table,
        record_key
    from signal_phones
    where {{ salted_hash("'phone:' || phone") }} in (select identifier_hash from erasure_log)
),

cells as (
    {%- for branch in branches %}
    select distinct
        {{ quote_literal(branch.raw_table) }} as raw_table,
        base._row_hash as row_hash,
        {{ quote_literal(branch.raw_column) }} as raw_column
    from {{ branch.relation }} as base
    where {{ branch.condition }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not branches %}
    select
        'none' as raw_table,
        cast(null as bigint) as row_hash,
        'none' as raw_column
    where false
    {%- endif %}
),

final as (
    select distinct
        raw_table,
        row_hash,
        raw_column
    from cells
)

select * from final
