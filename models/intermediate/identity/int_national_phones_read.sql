-- The one reading of a phone typed in national format where the row carries no country
-- (docs/contract.md §2, Identifier readings): loyalty cards, store sales and support
-- tickets (customer records), consent events and privacy requests (signals). A phone
-- whose record carries a country (CRM contacts, shop accounts, orders) is read with it
-- in staging and is not here. In order:
--   customer_country      a record with an email: the country of the customer's
--                         records that share its email (those whose source declares a
--                         country: CRM contacts, shop accounts, orders), the most
--                         frequent one, ties to the smallest code.
--                         Only an email that may link votes: a blocked address or one
--                         shared by more accounts than its limit says nothing about
--                         this person's country.
--   unique_known_reading  otherwise (a card filled at the till with a name and a
--                         number, a request, a consent event): each country's reading
--                         of the digits (countries seed) is looked up among the phones
--                         the records carry (as recorded, or read as above); exactly
--                         one known reading is the number. None or several leave it
--                         unread, with the reason, never guessed.
-- One row per such record or signal; phone is null when it cannot be read.
with

countries as (
    select * from {{ ref('countries') }}
),

blocked_identifiers as (
    select * from {{ ref('blocked_identifiers') }}
),

recorded as (
    select * from {{ ref('int_identifiers_recorded') }}
),

national_phones as (
    {{ national_phone_rows() }}
),

-- the sharing guard on the emails of these records, from the records' own identifiers
-- (email limits count accounts, never phones, so they do not depend on the phones read
-- here); measured only for these emails, a few thousand at 1M customers
voting_emails as (
    select distinct email from national_phones
    where email is not null
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

-- the countries of the records that carry an email and a country (their source
-- declares both: CRM contacts, shop accounts, orders' shipping country)
email_countries as (
    {%- for source in identity_record_sources()
        if source.country and 'email' in source.identifiers %}
        select
            {{ source.identifiers.email }} as email,
            {{ source.country }} as country_code
        from {{ source.relation }}
        where {{ source.identifiers.email }} is not null and {{ source.country }} is not null
            {%- if source.where %} and ({{ source.where }}){% endif %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
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

by_customer_country as (
    select
        national_phones.source_table,
        national_phones.record_key,
        {{ normalize_phone(
            'national_phones.phone_national_digits',
            'countries.dialing_code',
            'countries.trunk_prefix'
        ) }} as phone
    from national_phones
    inner join customer_country
        on national_phones.email = customer_country.email
    inner join countries
        on customer_country.country_code = countries.country_code
),

-- every phone a record carries, as recorded or read with its customer's country
known_phones as (
    select distinct identifier_value as phone
    from recorded
    where identifier_type = 'phone'
    union
    select phone from by_customer_country
    where phone is not null
),

unread as (
    select national_phones.*
    from national_phones
    left join by_customer_country
        on national_phones.source_table = by_customer_country.source_table
            and national_phones.record_key = by_customer_country.record_key
    where by_customer_country.phone is null
),

known_readings as (
    {{ known_phone_readings(
        'unread', ['source_table', 'record_key'], 'phone_national_digits', 'known_phones'
    ) }}
),

final as (
    select
        national_phones.source_table,
        national_phones.record_key,
        national_phones.is_record,
        coalesce(
            by_customer_country.phone,
            case when known_readings.known_reading_count = 1 then known_readings.phone end
        ) as phone,
        case
            when by_customer_country.phone is not null then 'customer_country'
            when known_readings.known_reading_count = 1 then 'unique_known_reading'
        end as read_by,
        coalesce(known_readings.known_reading_count, 0) as known_reading_count,
        case
            when by_customer_country.phone is not null then null
            when known_readings.known_reading_count is null then 'national_phone_not_found'
            when known_readings.known_reading_count > 1 then 'national_phone_ambiguous'
        end as unresolved_reason,
        national_phones.first_seen_at,
        national_phones.last_seen_at
    from national_phones
    left join by_customer_country
        on national_phones.source_table = by_customer_country.source_table
            and national_phones.record_key = by_customer_country.record_key
    left join known_readings
        on national_phones.source_table = known_readings.source_table
            and national_phones.record_key = known_readings.record_key
)

select * from final
