-- docs/contract.md §3: a stitching identifier belongs to exactly one customer.
-- Returns every stitching identifier listed under more than one customer.
select
    identifier_type,
    identifier_hash,
    count(distinct customer_id) as customers
from {{ ref('customer_identities') }}
where is_stitching
group by identifier_type, identifier_hash
having count(distinct customer_id) > 1
