with

duplicates as (
    {{ union_rows_by_outcome('duplicate') }}
),

final as (
    select
        raw_table,
        raw_key,
        reason_code as duplicate_kind,
        row_hash,
        _loaded_at
    from duplicates
)

select * from final
