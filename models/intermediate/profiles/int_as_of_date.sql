-- The reference date of every "as of" figure (journey stage, recency, tenure, value):
-- var('as_of_date') when set, else the date of the latest interaction or return in
-- the data (docs/contract.md §2: the latest business timestamp, never now(), so a
-- rebuild of the same data gives the same marts). Returns count because value is
-- as of this date: a refund processed after the last interaction is still counted
-- by default. One row.
{%- set as_of_date = var('as_of_date') %}
with

touchpoints as (
    select * from {{ ref('int_touchpoints_unioned') }}
),

returns as (
    select * from {{ ref('stg_returns__returns') }}
),

latest_times as (
    select max(occurred_at) as latest_at from touchpoints
    union all
    select max(returned_at) as latest_at from returns
),

latest_business_time as (
    select max(latest_at) as latest_at from latest_times
),

final as (
    select
        {%- if as_of_date %}
        coalesce(
            try_cast({{ quote_literal(as_of_date) }} as date),
            {{ raise_sql_error('var as_of_date must be a date (YYYY-MM-DD), got: ' ~ as_of_date) }}
        ) as as_of_date,
        {%- else %}
            cast(latest_at as date) as as_of_date,
        {%- endif %}
        {{ 'true' if as_of_date else 'false' }} as is_set_by_var
    from latest_business_time
)

select * from final
