-- Every privacy request with the customer it applies to. docs/contract.md §2: a
-- request through a stitching identifier applies to that identifier's customer; one
-- through a non-stitching identifier (blocked or shared) or an identifier no record
-- carries applies to no customer (customer_id null), but still suppresses the
-- identifier value itself. The identifier is read as everywhere else
-- (int_signal_identifiers_read: normalized, a national phone read, a `cdp erase-raw`
-- stand-in read back by its hash).
with

requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

signal_identifiers as (
    select * from {{ ref('int_signal_identifiers_read') }}
    where source_table = 'privacy_requests'
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

final as (
    select
        requests.request_id,
        stitched.customer_id,
        requests.identifier_type,
        signal_identifiers.identifier_value,
        coalesce(
            requests.erased_identifier_hash,
            {{ identifier_hash(
                'requests.identifier_type', 'signal_identifiers.identifier_value'
            ) }}
        ) as identifier_hash,
        requests.request_type,
        signal_identifiers.unresolved_reason,
        stitched.customer_id is not null as is_attributed,
        requests.received_at
    from requests
    inner join signal_identifiers
        on requests.request_id = signal_identifiers.record_key
    left join stitched
        on requests.identifier_type = stitched.identifier_type
            and signal_identifiers.identifier_value = stitched.identifier_value
)

select * from final
