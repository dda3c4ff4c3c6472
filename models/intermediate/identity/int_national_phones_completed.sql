-- docs/contract.md §2: a phone without '+'/'00' uses the record's country, or the
-- customer's. Loyalty cards, store sales and support tickets carry no country, so a
-- phone typed there in national format is completed here with the country of the
-- customer's records that share its email (CRM contacts, shop accounts, orders): the
-- most frequent one, ties to the smallest country code. Only an email that may link
-- votes: a blocked address (test@test.com) or one shared by more accounts than its
-- limit (an agency's address) says nothing about this person's country. Without such a
-- country the phone stays unused, never guessed.
with

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

shop_orders as (
    select * from {{ ref('stg_shop__orders') }}
),

countries as (
    select * from {{ ref('countries') }}
),

blocked_identifiers as (
    select * from {{ ref('blocked_identifiers') }}
),

national_phones as (
    select
        'loyalty_members' as source_table,
        loyalty_id as record_key,
        email,
        phone_national_digits,
        enrolled_at as first_seen_at,
        coalesce(updated_at, enrolled_at) as last_seen_at
    from loyalty_members
    where phone_national_digits is not null and email is not null
    union all
    select
        'pos_transactions' as source_table,
        transaction_id as record_key,
        email,
        phone_national_digits,
        transacted_at as first_seen_at,
        transacted_at as last_seen_at
    from pos_transactions
    where phone_national_digits is not null and email is not null
    union all
    select
        'support_tickets' as source_table,
        ticket_id as record_key,
        email,
        phone_national_digits,
        created_at as first_seen_at,
        created_at as last_seen_at
    from support_tickets
    where phone_national_digits is not null and email is not null
),

-- the sharing guard on the emails of these records, from the records' own identifiers
-- (email limits count accounts, never phones, so they do not depend on the phones
-- completed here); measured only for these emails, a few thousand at 1M customers
voting_emails as (
    select distinct email from national_phones
),

voting_email_pairs as (
    select recorded_pairs.*
    from ({{ recorded_identifier_pairs(identifier_types=['email']) }}) as recorded_pairs
    inner join voting_emails
        on recorded_pairs.identifier_value = voting_emails.email
),

email_sharing as (
    {{ identifier_sharing('voting_email_pairs', identifier_types=['email']) }}
),

shared_emails as (
    select distinct identifier_value as email from email_sharing
    where is_over_limit
),

email_countries as (
    select
        email,
        country_code
    from crm_contacts
    where not is_deleted and email is not null and country_code is not null
    union all
    select
        email,
        country_code
    from shop_customers
    where email is not null and country_code is not null
    union all
    select
        email,
        shipping_country_code as country_code
    from shop_orders
    where email is not null and shipping_country_code is not null
),

country_votes as (
    select
        email_countries.email,
        email_countries.country_code,
        count(*) as records
    from email_countries
    inner join voting_emails
        on email_countries.email = voting_emails.email
    left join shared_emails
        on email_countries.email = shared_emails.email
    left join blocked_identifiers
        on {{ matches_blocked_identifier(
            "'email'", 'email_countries.email', 'blocked_identifiers'
        ) }}
    where shared_emails.email is null and blocked_identifiers.identifier_value is null
    group by email_countries.email, email_countries.country_code
),

customer_country as (
    select
        email,
        country_code
    from country_votes
    qualify
        row_number() over (
            partition by email
            order by records desc, country_code asc
        ) = 1
),

completed as (
    select
        national_phones.source_table,
        national_phones.record_key,
        customer_country.country_code,
        {{ normalize_phone(
            'national_phones.phone_national_digits',
            'countries.dialing_code',
            'countries.trunk_prefix'
        ) }} as phone,
        national_phones.first_seen_at,
        national_phones.last_seen_at
    from national_phones
    inner join customer_country
        on national_phones.email = customer_country.email
    inner join countries
        on customer_country.country_code = countries.country_code
),

final as (
    select * from completed
    where phone is not null
)

select * from final
