{#- Which cells of which raw rows hold an erased person's personal data, and what
    replaces them: one row per raw table, row (its content hash, base models'
    _row_hash) and raw column. The erasure pass (macro apply_erasures) nulls these
    cells in the base_ tables at the end of every run, and `cdp erase-raw` replaces
    them in the raw tables themselves. No value in clear: rows are named by their hash,
    erased values recognized by their keyed hash (macro identifier_hash).

    A row's personal columns (the `pii` of its source's declaration, macro cdp_sources)
    are all erased when the row is a record of an erased customer (int_erased_records,
    by record key); on anyone's row, a column declared as read as an email or phone (or,
    in a consent event or privacy request, as the row's identifier type) whose value's
    keyed hash is in the erasure log (a household's landline on the other members'
    cards too), also a phone typed in national format whose reading
    (int_national_phones_read) is.

    replacement: what `cdp erase-raw` writes instead. An erased person's own
    identifiers (stitching ones) become 'cdp-erased:<keyed hash>', so their records
    stay linked to each other and their customer stays one erased customer; so does
    the identifier of a consent event or privacy request, so the request stays. Shared
    values and everything else become null. -#}
{%- set branches = [] -%}
{%- for item in cdp_sources() if item.pii -%}
    {#- the ref is taken while parsing, so every base model with personal data is upstream -#}
    {%- set relation = ref('base_' ~ item.model) -%}
    {%- set key = item.record_key -%}
    {%- for raw_column, kind in item.pii.items() -%}
        {#- the row is a record of an erased customer -#}
        {%- set record_erased = ('base.' ~ key ~ ' in (select record_key from erased_records'
            ~ ' where source_table = ' ~ quote_literal(item.name) ~ ')') if key else none -%}
        {#- the value is read as an identifier whose keyed hash is logged: as staged, and for
            a phone typed nationally as int_national_phones_read reads it -#}
        {%- set readings = [] -%}
        {%- if kind == 'identifier_type' -%}
            {%- do readings.append({
                'keyed': identifier_hash(
                    'base.' ~ item.signal.identifier_type,
                    'coalesce(base.' ~ raw_column ~ ', national_phones.phone)'
                ),
                'join': 'left join national_phones on national_phones.source_table = '
                    ~ quote_literal(item.name) ~ ' and national_phones.record_key = base.'
                    ~ item.signal.key,
                'always_stand_in': true,
            }) -%}
        {%- elif kind in ('email', 'phone') -%}
            {%- do readings.append({
                'keyed': identifier_hash(quote_literal(kind), 'base.' ~ raw_column),
                'join': '', 'always_stand_in': false,
            }) -%}
            {%- if kind == 'phone' and item.national_phone and key -%}
                {%- do readings.append({
                    'keyed': identifier_hash("'phone'", 'national_phones.phone'),
                    'join': 'left join national_phones on national_phones.source_table = '
                        ~ quote_literal(item.name) ~ ' and national_phones.record_key = base.'
                        ~ key,
                    'always_stand_in': false,
                }) -%}
            {%- endif -%}
        {%- endif -%}
        {%- if not readings -%}
            {%- do readings.append(none) -%}
        {%- endif -%}
        {%- for reading in readings -%}
            {%- set conditions = [record_erased] if record_erased else [] -%}
            {%- if reading -%}
                {%- do conditions.append(
                    reading.keyed ~ ' in (select identifier_hash from erasure_log)'
                ) -%}
                {#- an erased person's own identifiers (and a request's) become stand-ins
                    that keep their records linked; shared values and the rest, null -#}
                {%- set replacement = ("'cdp-erased:' || " ~ reading.keyed)
                    if reading.always_stand_in
                    else ('case when ' ~ reading.keyed
                        ~ " in (select identifier_hash from own_identifiers) then 'cdp-erased:' || "
                        ~ reading.keyed ~ ' end') -%}
            {%- else -%}
                {%- set replacement = 'cast(null as string)' -%}
            {%- endif -%}
            {%- do branches.append({
                'relation': relation,
                'join': reading.join if reading else '',
                'raw_table': item.name,
                'raw_column': raw_column,
                'condition': conditions | join(' or ') or 'false',
                'replacement': replacement,
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
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
