-- Every record of an erased customer (int_records_stitched): the rows whose names,
-- address and free text macro apply_erasures nulls, at the end of every run, in every
-- table the project builds. Records of other people that merely carry one of the
-- erased values (a household member's card with the shared landline) are not here:
-- only that value is masked on them, recognized by its keyed hash in int_erasure_log.
-- One row per record.
with

records as (
    select * from {{ ref('int_records_stitched') }}
),

privacy_flags as (
    select * from {{ ref('int_customers_privacy_flagged') }}
),

final as (
    select
        records.source_table,
        records.record_key,
        records.customer_id
    from records
    inner join privacy_flags
        on records.customer_id = privacy_flags.customer_id
    where privacy_flags.is_erased
)

select * from final
