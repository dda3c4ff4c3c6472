-- The identity diff, identifier by identifier: every identifier that changed customer
-- in a build, from which customer to which (none: it links nobody now, gone or
-- refused by a guard). An identifier's first customer is not a move. An erased
-- person's values show only their keyed hash. One row per build and identifier moved.
with

assignments as (
    select * from {{ ref('int_identifier_assignments') }}
),

shown_identifiers as (
    select * from {{ ref('int_identifier_values_shown') }}
),

final as (
    select
        assignments.build_number,
        assignments.identifier_type,
        shown_identifiers.identifier_value,
        assignments.identifier_hash,
        assignments.previous_customer_id as from_customer_id,
        assignments.customer_id as to_customer_id
    from assignments
    left join shown_identifiers
        on assignments.identifier_type = shown_identifiers.identifier_type
            and assignments.identifier_hash = shown_identifiers.identifier_hash
    where assignments.assignment_number > 1 and assignments.previous_customer_id is not null
)

select * from final
