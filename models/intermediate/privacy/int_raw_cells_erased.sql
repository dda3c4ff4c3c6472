{#- Which cells of which raw rows hold an erased person's personal data, and what
    replaces them: one row per raw table, row (its content hash, base models'
    _row_hash) and raw column. The erasure pass (macro apply_erasures) nulls these
    cells in the base_ tables at the end of every run, and `cdp erase-raw` replaces
    them in the raw tables themselves. No value in clear: rows are named by their hash,
    erased values recognized by their keyed hash (macro identifier_hash).

    A row's personal columns (`meta: {pii: true}` on the base model) are all erased
    when the row is a record of an erased customer (int_erased_records, by record
    key); on anyone's row, an email, phone or identifier whose keyed hash is in the
    erasure log (a household's landline on the other members' cards too), and a phone
    typed in national format whose reading (int_national_phones_read) is.

    replacement: what `cdp erase-raw` writes instead. An erased person's own
    identifiers (stitching ones) become 'cdp-erased:<keyed hash>', so their records
    stay linked to each other and their customer stays one erased customer; so does
    the identifier of a consent event or privacy request, so the request stays. Shared
    values and everything else become null. -#}
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
            {%- set value = none -%}
            {%- if key -%}
                {%- do conditions.append(
                    'base.' ~ key ~ ' in (select record_key from erased_records'
                    ~ ' where source_table = ' ~ quote_literal(item.table) ~ ')'
                ) -%}
            {%- endif -%}
            {%- if signal_key and raw_column == 'identifier_value' -%}
                {%- set value = "coalesce(base.identifier_value, national_phones.phone)" -%}
                {%- set keyed = identifier_hash('base.identifier_type', value) -%}
                {%- set replacement = "'cdp-erased:' || " ~ keyed -%}
                {%- set join = 'left join national_phones on national_phones.source_table = '
                    ~ quote_literal(item.table)
                    ~ ' and national_phones.record_key = base.' ~ signal_key -%}
            {%- elif column == 'phone_national_digits' and key -%}
                {%- set value = 'national_phones.phone' -%}
                {%- set keyed = identifier_hash("'phone'", value) -%}
                {%- set join = 'left join national_phones on national_phones.source_table = '
                    ~ quote_literal(item.table)
                    ~ ' and national_phones.record_key = base.' ~ key -%}
            {%- elif 'email' in column
                or ('phone' in column and column != 'phone_national_digits') -%}
                {%- set value = 'base.' ~ column -%}
                {%- set keyed = identifier_hash(
                    "'email'" if 'email' in column else "'phone'", value
                ) -%}
                {%- set join = '' -%}
            {%- else -%}
                {%- set keyed = none -%}
                {%- set join = '' -%}
            {%- endif -%}
            {%- if keyed -%}
                {%- do conditions.append(
                    keyed ~ ' in (select identifier_hash from erasure_log)'
                ) -%}
                {%- if not (signal_key and raw_column == 'identifier_value') -%}
                    {%- set replacement = 'case when ' ~ keyed
                        ~ " in (select identifier_hash from own_identifiers) then 'cdp-erased:' || "
                        ~ keyed ~ ' end' -%}
                {%- endif -%}
            {%- else -%}
                {%- set replacement = 'cast(null as string)' -%}
            {%- endif -%}
            {%- do branches.append({
                'relation': relation,
                'join': join,
                'raw_table': item.table,
                'raw_column': raw_column,
                'condition': conditions | join(' or ') or 'false',
                'replacement': replacement,
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

national_phones as (
    select * from {{ ref('int_national_phones_read') }}
),

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

-- erased people's own identifiers: stitching ones, each one person's
own_identifiers as (
    select hashed_identifiers.identifier_hash
    from hashed_identifiers
    inner join identifiers
        on hashed_identifiers.node_id = identifiers.node_id
    inner join erasure_log
        on hashed_identifiers.identifier_type = erasure_log.identifier_type
            and hashed_identifiers.identifier_hash = erasure_log.identifier_hash
    where identifiers.is_stitching
),

cells as (
    {%- for branch in branches %}
        select
            {{ quote_literal(branch.raw_table) }} as raw_table,
            base._row_hash as row_hash,
            {{ quote_literal(branch.raw_column) }} as raw_column,
            {{ branch.replacement }} as replacement
        from {{ branch.relation }} as base
        {{ branch.join }}
        where {{ branch.condition }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
    {%- if not branches %}
        select
            'none' as raw_table,
            cast(null as bigint) as row_hash,
            'none' as raw_column,
            cast(null as string) as replacement
        where false
    {%- endif %}
),

final as (
    select
        raw_table,
        row_hash,
        raw_column,
        max(replacement) as replacement
    from cells
    group by raw_table, row_hash, raw_column
)

select * from final
