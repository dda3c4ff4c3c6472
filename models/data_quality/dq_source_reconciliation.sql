-- Nothing lost (docs/contract.md §2), per raw table: the rows of the raw table itself
-- against the rows kept in its stg_ model plus those its base_ model recognized as
-- duplicates or quarantined. The raw count comes from the source, not from the base_
-- model's bookkeeping, so a row staging never saw makes is_reconciled false. (The one
-- model besides the base_ models that reads sources: a documented exception in
-- pytests/test_conventions.py.)
with

raw_counts as (
    {% for item in cdp_sources() %}
        select
            '{{ item.name }}' as raw_table,
            count(*) as raw_rows
        from {{ source(item.source, item.name) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

kept_counts as (
    {% for item in cdp_sources() %}
        select
            '{{ item.name }}' as raw_table,
            count(*) as kept_rows
        from {{ ref('stg_' ~ item.model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

outcome_counts as (
    {% for item in cdp_sources() %}
        select
            '{{ item.name }}' as raw_table,
            count(*) filter (where _row_outcome = 'duplicate') as duplicate_rows,
            count(*) filter (where _row_outcome = 'quarantined') as quarantined_rows
        from {{ ref('base_' ~ item.model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        raw_counts.raw_table,
        raw_counts.raw_rows,
        kept_counts.kept_rows,
        outcome_counts.duplicate_rows,
        outcome_counts.quarantined_rows,
        raw_counts.raw_rows = (
            kept_counts.kept_rows + outcome_counts.duplicate_rows + outcome_counts.quarantined_rows
        ) as is_reconciled
    from raw_counts
    inner join kept_counts
        on raw_counts.raw_table = kept_counts.raw_table
    inner join outcome_counts
        on raw_counts.raw_table = outcome_counts.raw_table
)

select * from final
