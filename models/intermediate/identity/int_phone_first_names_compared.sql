-- The sharing guard's name check: the names on the records that carry each phone (the
-- records whose source declares a first_name attribute: CRM contacts, shop accounts,
-- loyalty cards). A phone on records that name different
-- people is shared by them: a household's landline on two members' cards, a parent's
-- mobile on a child's account. int_identifiers_classified lets it link nothing (var
-- identity_compare_first_names). Names are compared as one person writes theirs in
-- different systems (macro name_key folds case, accents and umlaut transliterations):
-- two first names name one person when they are equal, one is the shortening of the
-- other (Jon / Jonathan; initials are ignored) or a variant of it (Bob / Robert: the
-- first_name_variants seed); and a record with first and last name swapped names the
-- same person as one with them in order. One row per phone seen with a first name.
with

national_phones as (
    select * from {{ ref('int_national_phones_read') }}
),

first_name_variants as (
    select * from {{ ref('first_name_variants') }}
),

-- the records that name a person (their source declares a first_name attribute), with
-- the phone they carry (if any)
named_records as (
    {%- for source in identity_record_sources() if 'first_name' in source.attributes %}
        select
            {{ quote_literal(source.source_table) }} as source_table,
            cast({{ source.record_key }} as string) as record_key,
            {{ source.identifiers.get('phone', 'cast(null as string)') }} as phone,
            {{ source.attributes.first_name }} as first_name,
            {{ source.attributes.get('last_name', 'cast(null as string)') }} as last_name
        from {{ source.relation }}
        where {{ source.attributes.first_name }} is not null
            {%- if source.where %} and ({{ source.where }}){% endif %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

-- the phone each named record carries, as recorded or read from national format;
-- distinct before the names are folded: most people's name is on several records
record_phones as (
    select distinct
        phone,
        first_name,
        last_name
    from named_records
    where phone is not null
    union
    select
        national_phones.phone,
        named_records.first_name,
        named_records.last_name
    from national_phones
    inner join named_records
        on national_phones.source_table = named_records.source_table
            and national_phones.record_key = named_records.record_key
    where national_phones.phone is not null
),

-- each distinct name folded once (a few thousand, against 0.6 M phone and name pairs at
-- 1M customers): the folding is the costly part
written_names as (
    select first_name as written_name from record_phones
    union
    select last_name as written_name from record_phones
    where last_name is not null
),

name_keys as (
    select
        written_name,
        {{ name_key('written_name') }} as name_key
    from written_names
),

phone_names as (
    select distinct
        record_phones.phone,
        first_keys.name_key as first_key,
        last_keys.name_key as last_key
    from record_phones
    inner join name_keys as first_keys
        on record_phones.first_name = first_keys.written_name
    left join name_keys as last_keys
        on record_phones.last_name = last_keys.written_name
),

-- an initial ('J.') says too little to tell two people apart
comparable as (
    select * from phone_names
    where length(first_key) >= 2
),

-- the variant pairs, both ways, compared as keys
variants as (
    select distinct
        {{ name_key('name') }} as name_key,
        {{ name_key('variant') }} as variant_key
    from first_name_variants
    union
    select distinct
        {{ name_key('variant') }} as name_key,
        {{ name_key('name') }} as variant_key
    from first_name_variants
),

-- every two names on one phone whose first names differ
name_pairs as (
    select
        comparable.phone,
        comparable.first_key,
        comparable.last_key,
        other.first_key as other_first_key,
        other.last_key as other_last_key
    from comparable
    inner join comparable as other
        on comparable.phone = other.phone
            and comparable.first_key < other.first_key
),

compared as (
    select
        name_pairs.phone,
        {{ names_match(
            'name_pairs.first_key', 'name_pairs.other_first_key', 'first_variants'
        ) }} as first_names_match,
        {{ names_match(
            'name_pairs.first_key', 'name_pairs.other_last_key', 'swapped_first_variants'
        ) }}
        and {{ names_match(
            'name_pairs.last_key', 'name_pairs.other_first_key', 'swapped_last_variants'
        ) }} as names_swapped
    from name_pairs
    left join variants as first_variants
        on name_pairs.first_key = first_variants.name_key
            and name_pairs.other_first_key = first_variants.variant_key
    left join variants as swapped_first_variants
        on name_pairs.first_key = swapped_first_variants.name_key
            and name_pairs.other_last_key = swapped_first_variants.variant_key
    left join variants as swapped_last_variants
        on name_pairs.last_key = swapped_last_variants.name_key
            and name_pairs.other_first_key = swapped_last_variants.variant_key
),

conflicts as (
    select distinct phone
    from compared
    where not first_names_match and not coalesce(names_swapped, false)
),

final as (
    select
        comparable.phone,
        count(distinct comparable.first_key) as first_name_count,
        conflicts.phone is not null as has_conflicting_first_names
    from comparable
    left join conflicts
        on comparable.phone = conflicts.phone
    group by comparable.phone, conflicts.phone
)

select * from final
