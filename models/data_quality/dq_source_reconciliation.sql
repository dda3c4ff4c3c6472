with

outcomes as (
    {% for item in raw_table_models() %}
        select
            '{{ item.table }}' as raw_table,
            count(*) as raw_rows,
            count(*) filter (where _row_outcome = 'kept') as kept_rows,
            count(*) filter (where _row_outcome = 'duplicate') as duplicate_rows,
            count(*) filter (where _row_outcome = 'quarantined') as quarantined_rows
        from {{ ref('base_' ~ item.model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        *,
        raw_rows = kept_rows + duplicate_rows + quarantined_rows as is_reconciled
    from outcomes
)

select * from final
