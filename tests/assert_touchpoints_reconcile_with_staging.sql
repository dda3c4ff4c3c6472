-- Every staged interaction is exactly one touchpoint: returns each source table
-- whose touchpoint count differs from its staged row count.
with

touchpoints as (
    select * from {{ ref('customer_touchpoints') }}
),

staged as (
    select
        'web_events' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_web__events') }}
    union all
    select
        'shop_orders' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_shop__orders') }}
    union all
    select
        'pos_transactions' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_pos__transactions') }}
    union all
    select
        'email_activity' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_email__activities') }}
    union all
    select
        'support_tickets' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_support__tickets') }}
    union all
    select
        'survey_responses' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_survey__responses') }}
),

counted as (
    select
        source_table,
        count(*) as touchpoint_rows
    from touchpoints
    group by source_table
),

final as (
    select
        staged.source_table,
        staged.staged_rows,
        coalesce(counted.touchpoint_rows, 0) as touchpoint_rows
    from staged
    left join counted
        on staged.source_table = counted.source_table
    where staged.staged_rows <> coalesce(counted.touchpoint_rows, 0)
)

select * from final
