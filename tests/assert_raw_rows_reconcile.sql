-- Nothing lost (docs/contract.md §2): for every raw table, the rows in raw equal the rows kept
-- in its stg_ model plus those recognized as duplicates plus those quarantined.
-- Counts come from the source itself and from the downstream models, not from
-- the base_ models' own bookkeeping. Returns the tables that do not reconcile.
with

counts as (
    {% for item in cdp_sources() %}
        select
            '{{ item.name }}' as raw_table,
            (select count(*) from {{ source(item.source, item.name) }}) as raw_rows,
            (select count(*) from {{ ref('stg_' ~ item.model) }}) as kept_rows,
            (
                select count(*) from {{ ref('dq_duplicate_rows') }}
                where raw_table = '{{ item.name }}'
            ) as duplicate_rows,
            (
                select count(*) from {{ ref('dq_quarantined_rows') }}
                where raw_table = '{{ item.name }}'
            ) as quarantined_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from counts
where raw_rows <> kept_rows + duplicate_rows + quarantined_rows
