-- The identity diff, identifier by identifier: every identifier that changed customer
-- in a build, from which customer to which (none: it links nobody now, gone or
-- refused by a guard). An identifier's first customer is not a move. Read from the id
-- registry; an erased person's values show only their keyed hash.
-- One row per build and identifier that moved.
with

registry as (
    select * from {{ ref('int_identity_registry') }}
),

hashed_identifiers as (
    select * from {{ ref('int_identifiers_hashed') }}
),

erasure_log as (
    select * from {{ ref('int_erasure_log') }}
),

shown_identifiers as (
    select
        hashed_identifiers.identifier_type,
        hashed_identifiers.identifier_hash,
        min(hashed_identifiers.identifier_value) as identifier_value
    from hashed_identifiers
    left join erasure_log
        on hashed_identifiers.identifier_type = erasure_log.identifier_type
            and hashed_identifiers.identifier_hash = erasure_log.identifier_hash
    where erasure_log.identifier_hash is null
    group by hashed_identifiers.identifier_type, hashed_identifiers.identifier_hash
),

assignments as (
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
