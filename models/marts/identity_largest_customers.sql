-- The 20 largest customers by stitching identifiers, with how many of each type: where
-- an over-merge shows first (a shared identifier the guards let through). Read with
-- customer_identities and analyses/explain_customer_link.sql. One row per customer.
with

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

sizes as (
    select
        customer_id,
        count(*) as identifiers,
        count(*) filter (where identifier_type = 'email') as emails,
        count(*) filter (where identifier_type = 'phone') as phones,
        count(*) filter (where identifier_type = 'crm_contact_id') as crm_contacts,
        count(*) filter (where identifier_type = 'shop_customer_id') as shop_accounts,
        count(*) filter (where identifier_type = 'loyalty_id') as loyalty_cards,
        count(*) filter (where identifier_type = 'anonymous_id') as cookies
    from stitched
    group by customer_id
),

final as (
    select
        customer_id,
        identifiers,
        emails,
        phones,
        crm_contacts,
        shop_accounts,
        loyalty_cards,
        cookies,
        -- BIGINT on both engines (Spark's row_number is an INT)
        cast(
            row_number() over (order by identifiers desc, customer_id asc) as bigint
        ) as size_rank
    from sizes
    qualify row_number() over (order by identifiers desc, customer_id asc) <= 20
)

select * from final
