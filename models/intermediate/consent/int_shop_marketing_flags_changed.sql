-- The shop's stored accepts_marketing flag as consent signals. docs/contract.md §2: a stored
-- flag is a signal only when its value changes. The shop re-sends the whole
-- account with every update (an address change re-sends "yes"), so the flag is
-- read over the account's CDC history, in business time, not from its latest
-- version alone:
--   versions      every version staging accepted (base_shop__customers, kept or
--                 superseded; stg_ keeps only the latest), at its updated_at
--                 (else created_at). Redeliveries and versions that repeat the
--                 value at one timestamp collapse; an empty or unreadable flag
--                 is no signal and no change (the value before it stays in force)
--   a signal      the first known value, and every value that differs from the
--                 value(s) at the previous timestamp, at the version's time.
--                 Versions arriving out of order are placed by their own time.
--   one timestamp, two values: both are signals at that time, so the denial wins
--                 (docs/contract.md §2), and the next value is compared with both.
-- One row per customer, timestamp and signalled value.
with

customer_versions as (
    select * from {{ ref('base_shop__customers') }}
),

flag_values as (
    select
        customer_id,
        coalesce(updated_at, created_at) as version_at,
        accepts_marketing
    from customer_versions
    where _row_outcome <> 'quarantined'
        and accepts_marketing is not null
    group by customer_id, coalesce(updated_at, created_at), accepts_marketing
),

values_per_timestamp as (
    select
        customer_id,
        version_at,
        bool_or(accepts_marketing) as has_yes,
        bool_or(not accepts_marketing) as has_no
    from flag_values
    group by customer_id, version_at
),

with_previous as (
    select
        *,
        lag(has_yes) over (partition by customer_id order by version_at) as previous_has_yes,
        lag(has_no) over (partition by customer_id order by version_at) as previous_has_no
    from values_per_timestamp
),

changes as (
    select
        customer_id,
        version_at,
        'granted' as status
    from with_previous
    where has_yes and (has_no or not coalesce(previous_has_yes, false))
    union all
    select
        customer_id,
        version_at,
        'denied' as status
    from with_previous
    where has_no and (has_yes or not coalesce(previous_has_no, false))
),

final as (
    select
        customer_id || '@' || cast(version_at as string) || '#' || status as record_key,
        customer_id,
        status,
        version_at
    from changes
)

select * from final
