-- Per customer, the privacy requests that change what may be done with their data:
-- erasure (docs/contract.md §2: the profile stays, flagged, without PII), restriction
-- of processing (not contactable) and do-not-sell (no third-party sharing). A request
-- counts whenever it was received: later data does not undo it. A customer is erased
-- when one of their stitching identifiers is in the erasure log (int_erasure_log):
-- named by an erasure request now, or erased by an earlier build — so a person whose
-- raw rows were anonymized and are delivered again stays erased.
-- One row per customer with at least one such request.
with

requests as (
    select * from {{ ref('int_privacy_requests_attributed') }}
),

erasure_log as (
    select * from {{ ref('int_erasure_log') }}
),

stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
),

erasures as (
    select
        stitched.customer_id,
        min(erasure_log.requested_at) as erasure_requested_at
    from stitched
    inner join hashed_identifiers
        on stitched.node_id = hashed_identifiers.node_id
    inner join erasure_log
        on hashed_identifiers.identifier_type = erasure_log.identifier_type
            and hashed_identifiers.identifier_hash = erasure_log.identifier_hash
    group by stitched.customer_id
),

other_requests as (
    select
        customer_id,
        count(*) filter (where request_type = 'restrict_processing') > 0
            as is_processing_restricted,
        count(*) filter (where request_type = 'do_not_sell') > 0 as has_do_not_sell,
        min(received_at) filter (where request_type = 'restrict_processing')
            as restriction_requested_at,
        min(received_at) filter (where request_type = 'do_not_sell')
            as do_not_sell_requested_at
    from requests
    where customer_id is not null and request_type in ('restrict_processing', 'do_not_sell')
    group by customer_id
),

flagged_customers as (
    select customer_id from erasures
    union
    select customer_id from other_requests
),

final as (
    select
        flagged_customers.customer_id,
        erasures.customer_id is not null as is_erased,
        coalesce(other_requests.is_processing_restricted, false) as is_processing_restricted,
        coalesce(other_requests.has_do_not_sell, false) as has_do_not_sell,
        erasures.erasure_requested_at,
        other_requests.restriction_requested_at,
        other_requests.do_not_sell_requested_at
    from flagged_customers
    left join erasures
        on flagged_customers.customer_id = erasures.customer_id
    left join other_requests
        on flagged_customers.customer_id = other_requests.customer_id
)

select * from final
