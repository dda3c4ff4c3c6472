with

quarantined as (
    {{ union_rows_by_outcome('quarantined') }}
),

row_outcome_reasons as (
    select * from {{ ref('row_outcome_reasons') }}
),

final as (
    select
        quarantined.raw_table,
        quarantined.raw_key,
        quarantined.reason_code,
        row_outcome_reasons.description as reason,
        quarantined.row_hash,
        quarantined._loaded_at
    from quarantined
    left join row_outcome_reasons
        on quarantined.reason_code = row_outcome_reasons.reason_code
)

select * from final
