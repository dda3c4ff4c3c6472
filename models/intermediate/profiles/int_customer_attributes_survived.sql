-- The golden value of each profile attribute per customer: among the values the
-- customer's records carry, the first by var('survivorship_order') (default: the
-- most trusted source system, then the most recent observation), with a fixed
-- tie-break. Keeps where and when the winning value was collected.
with

observations as (
    select * from {{ ref('int_customer_attributes_observed') }}
),

final as (
    select
        customer_id,
        attribute_name,
        attribute_value,
        source_system,
        source_table,
        record_key,
        trust_rank,
        observed_at
    from observations
    where attribute_name in (
            'email', 'phone', 'first_name', 'last_name', 'birth_date', 'city', 'postal_code',
            'country', 'loyalty_tier'
        )
    qualify row_number() over (
            partition by customer_id, attribute_name
            order by {{ survivorship_order_by() }}
        ) = 1
)

select * from final
