-- The reference date of every "as of" figure (journey stage, recency, tenure):
-- var('as_of_date') when set, else the date of the latest interaction in the data
-- (docs/contract.md §2: never now(), so a rebuild of the same data gives the same marts).
-- One row.
{%- set as_of_date = var('as_of_date') %}
with

touchpoints as (
    select * from {{ ref('int_touchpoints_unioned') }}
),

latest_interaction as (
    select max(occurred_at) as latest_occurred_at from touchpoints
),

final as (
    select
        {%- if as_of_date %}
        coalesce(
            try_cast({{ quote_literal(as_of_date) }} as date),
            error({{ quote_literal('var as_of_date must be a date (YYYY-MM-DD), got: ' ~ as_of_date) }})
        ) as as_of_date,
        {%- else %}
            cast(latest_occurred_at as date) as as_of_date,
        {%- endif %}
        {{ 'true' if as_of_date else 'false' }} as is_set_by_var
    from latest_interaction
)

select * from final
