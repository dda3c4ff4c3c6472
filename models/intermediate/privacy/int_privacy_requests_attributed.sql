-- Every privacy request with the customer it applies to. docs/contract.md §2: a
-- request through a stitching identifier applies to that identifier's customer; one
-- through a non-stitching identifier (blocked or shared) or an identifier no record
-- carries applies to no customer (customer_id null), but still suppresses the
-- identifier value itself. A phone typed in national format is read with the country
-- of the customer who holds it (int_signal_phones_resolved); a request whose
-- identifier `cdp erase-raw` replaced by its keyed hash applies to whoever holds an
-- identifier with that hash.
with

requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

resolved_phones as (
    select * from {{ ref('int_signal_phones_resolved') }}
    where source_table = 'privacy_requests'
),

hashed as (
    select * from {{ ref('int_identifiers_hashed') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

identified as (
    select
        requests.request_id,
        requests.identifier_type,
        coalesce(requests.identifier_value, resolved_phones.phone) as identifier_value,
        requests.erased_identifier_hash,
        resolved_phones.unresolved_reason,
        requests.request_type,
        requests.received_at
    from requests
    left join resolved_phones
        on requests.request_id = resolved_phones.record_key
),

final as (
    select
        identified.request_id,
        stitched.customer_id,
        identified.identifier_type,
        identified.identifier_value,
        coalesce(
            identified.erased_identifier_hash,
            {{ identifier_hash('identified.identifier_type', 'identified.identifier_value') }}
        ) as identifier_hash,
        identified.request_type,
        identified.unresolved_reason,
        stitched.customer_id is not null as is_attributed,
        identified.received_at
    from identified
    left join hashed
        on identified.identifier_type = hashed.identifier_type
            and identified.erased_identifier_hash = hashed.identifier_hash
    left join stitched
        on identified.identifier_type = stitched.identifier_type
            and coalesce(identified.identifier_value, hashed.identifier_value)
            = stitched.identifier_value
    -- a hash can name two identifiers (an erased address delivered again in clear
    -- beside its cdp-erased: stand-in): one row per request, the first customer
    qualify row_number() over (
            partition by identified.request_id order by stitched.customer_id nulls last
        ) = 1
)

select * from final
