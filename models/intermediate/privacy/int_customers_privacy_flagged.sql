-- Per customer, the privacy requests that change what may be done with their
-- data: erasure (docs/contract.md §2: the profile stays, flagged, without PII), restriction
-- of processing (not contactable) and do-not-sell (no third-party sharing).
-- A request counts whenever it was received: it is not undone by later data.
-- One row per customer with at least one such request.
with

requests as (
    select * from {{ ref('int_privacy_requests_attributed') }}
),

final as (
    select
        customer_id,
        count(*) filter (where request_type = 'erasure') > 0 as is_erased,
        count(*) filter (where request_type = 'restrict_processing') > 0
            as is_processing_restricted,
        count(*) filter (where request_type = 'do_not_sell') > 0 as has_do_not_sell,
        min(received_at) filter (where request_type = 'erasure') as erasure_requested_at,
        min(received_at) filter (where request_type = 'restrict_processing')
            as restriction_requested_at,
        min(received_at) filter (where request_type = 'do_not_sell')
            as do_not_sell_requested_at
    from requests
    where customer_id is not null and request_type <> 'access'
    group by customer_id
)

select * from final
