-- Every privacy request with the customer it applies to. docs/contract.md §2: a request
-- through a stitching identifier applies to that identifier's customer; one
-- through a non-stitching identifier (blocked or shared) or an identifier no
-- record carries applies to no customer (customer_id null), but still
-- suppresses the identifier value itself.
with

requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

final as (
    select
        requests.request_id,
        stitched.customer_id,
        requests.identifier_type,
        requests.identifier_value,
        requests.request_type,
        stitched.customer_id is not null as is_attributed,
        requests.received_at
    from requests
    left join stitched
        on requests.identifier_type = stitched.identifier_type
            and requests.identifier_value = stitched.identifier_value
)

select * from final
