-- The suppression list: sha256 of every identifier value that must not be in an
-- audience for a purpose (int_identifiers_suppressed), independent of stitching.
-- Only hashes: it can be shared with an email or ad platform as is.
with

suppressed as (
    select * from {{ ref('int_identifiers_suppressed') }}
),

final as (
    select
        identifier_type,
        identifier_sha256,
        purpose,
        suppression_reason,
        suppressed_at
    from suppressed
)

select * from final
