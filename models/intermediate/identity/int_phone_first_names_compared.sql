-- The sharing guard's name check: the first names on the records that carry each
-- phone (CRM contacts, shop accounts, loyalty cards). A phone on records that name
-- different people — first names that differ after folding case and accents, and are
-- not one the shortening of the other (Jon / Jonathan; initials are ignored) — is
-- shared by them: a household's landline on two members' cards, a parent's mobile on a
-- child's account. int_identifiers_classified lets it link nothing (var
-- identity_compare_first_names). One row per phone seen with at least one first name.
with

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
),

completed_phones as (
    select * from {{ ref('int_national_phones_completed') }}
),

-- the records that name a person, with the phone they carry (if any)
named_records as (
    select
        'crm_contacts' as source_table,
        contact_id as record_key,
        phone,
        first_name
    from crm_contacts
    where not is_deleted and first_name is not null
    union all
    select
        'shop_customers' as source_table,
        customer_id as record_key,
        phone,
        first_name
    from shop_customers
    where first_name is not null
    union all
    select
        'loyalty_members' as source_table,
        loyalty_id as record_key,
        phone,
        first_name
    from loyalty_members
    where first_name is not null
),

-- the phone each named record carries, as recorded or completed from national format;
-- distinct before the name is folded: most people's name is on several records
record_phones as (
    select distinct
        phone,
        first_name
    from named_records
    where phone is not null
    union
    select
        completed_phones.phone,
        named_records.first_name
    from completed_phones
    inner join named_records
        on completed_phones.source_table = named_records.source_table
            and completed_phones.record_key = named_records.record_key
),

-- each distinct first name folded once (a few thousand, against 0.6 M phone and name
-- pairs at 1M customers): the folding is the costly part
first_name_keys as (
    select
        first_name,
        {{ first_name_key('first_name') }} as first_name_key
    from (select distinct first_name from record_phones) as first_names
),

phone_first_names as (
    select distinct
        record_phones.phone,
        first_name_keys.first_name_key
    from record_phones
    inner join first_name_keys
        on record_phones.first_name = first_name_keys.first_name
),

-- an initial ('J.') says too little to tell two people apart
comparable as (
    select * from phone_first_names
    where length(first_name_key) >= 2
),

conflicts as (
    select distinct comparable.phone
    from comparable
    inner join comparable as other
        on comparable.phone = other.phone
            and comparable.first_name_key < other.first_name_key
    where
        left(other.first_name_key, length(comparable.first_name_key))
        <> comparable.first_name_key
),

final as (
    select
        comparable.phone,
        count(*) as first_name_count,
        conflicts.phone is not null as has_conflicting_first_names
    from comparable
    left join conflicts
        on comparable.phone = conflicts.phone
    group by comparable.phone, conflicts.phone
)

select * from final
