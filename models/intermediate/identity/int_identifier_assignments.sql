-- Every change of an identifier's customer the id registry recorded, with the customer
-- before it: the history the build diff (marts.identity_builds) and the moves
-- (int_identifiers_moved) are read from. assignment_number 1 is the identifier's first
-- customer. One row per identifier and build that changed its customer.
with

registry as (
    select * from {{ ref('int_identity_registry') }}
),

final as (
    select
        build_number,
        identifier_type,
        identifier_hash,
        customer_id,
        lag(customer_id) over (
            partition by identifier_type, identifier_hash order by build_number
        ) as previous_customer_id,
        row_number() over (
            partition by identifier_type, identifier_hash order by build_number
        ) as assignment_number
    from registry
    where row_kind = 'member'
)

select * from final
