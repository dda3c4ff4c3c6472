-- Identity health (warns): the largest customer grew more than
-- var('identity_health_largest_jump_factor') times (and by more than 10 identifiers)
-- since the build before: typically a shared identifier the guards let through, one
-- record or rule away from an over-merge. Look at marts.identity_largest_customers.
{{ config(severity='warn') }}

with

health as (
    select * from {{ ref('identity_health') }}
)

select
    metric_value as largest_now,
    previous_value as largest_before
from health
where
    metric = 'largest_customer_identifiers'
    and previous_value is not null
    and metric_value > previous_value + 10
    and metric_value > previous_value * {{ number_literal(
        var('identity_health_largest_jump_factor'), 'identity_health_largest_jump_factor'
    ) }}
