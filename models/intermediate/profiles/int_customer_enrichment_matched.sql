-- Third-party enrichment per customer. It arrives keyed by the sha256 of a
-- normalized email, so it attaches only through the sha256 of one of the
-- customer's stitching emails: never by name, phone or a clear-text email, and
-- never through a shared or blocked email. The latest acquisition wins.
with

enrichment as (
    select * from {{ ref('stg_enrichment__demographics') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

customer_email_hashes as (
    select
        customer_id,
        {{ sha256_hex('identifier_value') }} as email_sha256
    from stitched
    where identifier_type = 'email'
),

final as (
    select
        customer_email_hashes.customer_id,
        enrichment.provider as enrichment_provider,
        enrichment.age_band as enrichment_age_band,
        enrichment.income_band as enrichment_income_band,
        enrichment.interests as enrichment_interests,
        enrichment.acquired_at as enrichment_acquired_at
    from enrichment
    inner join customer_email_hashes
        on enrichment.email_sha256 = customer_email_hashes.email_sha256
    qualify row_number() over (
            partition by customer_email_hashes.customer_id
            order by
                enrichment.acquired_at desc, enrichment.provider asc, enrichment.email_sha256 asc
        ) = 1
)

select * from final
