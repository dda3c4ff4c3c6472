-- The sharing guard's name check: the first names on the records that carry each
-- phone (CRM contacts, shop accounts, loyalty cards). A phone on records that name
-- different people — first names that differ after folding case and accents, and are
-- not one the shortening of the other (Jon / Jonathan; initials are ignored) — is
-- shared by them: a household's landline on two members' cards, a parent's mobile on a
-- child's account. int_identifiers_classified lets it link nothing (var
-- identity_compare_first_names). One row per phone seen with at least one first name.
with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
),

record_first_names as (
    select
        'crm_contacts' as source_table,
        contact_id as record_key,
        first_name
    from crm_contacts
    where not is_deleted and first_name is not null
    union all
    select
        'shop_customers' as source_table,
        customer_id as record_key,
        first_name
    from shop_customers
    where first_name is not null
    union all
    select
        'loyalty_members' as source_table,
        loyalty_id as record_key,
        first_name
    from loyalty_members
    where first_name is not null
),

phone_first_names as (
    select distinct
        occurrences.identifier_value as phone,
        {{ first_name_key('record_first_names.first_name') }} as first_name_key
    from occurrences
    inner join record_first_names
        on occurrences.source_table = record_first_names.source_table
            and occurrences.record_key = record_first_names.record_key
    where occurrences.identifier_type = 'phone'
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
