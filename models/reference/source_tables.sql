-- The declared source tables (var cdp_sources, macro cdp_sources): the source system
-- each comes from and what one of its rows is, so every record's provenance (party,
-- trust rank) can be named. One row per source table.
with

declared as (
    {%- for source in cdp_sources() %}
        select
            {{ quote_literal(source.name) }} as source_table,
            {{ quote_literal(source.system) }} as source_system,
            {{ quote_literal(source.entity) }} as entity
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        cast(source_table as string) as source_table,
        cast(source_system as string) as source_system,
        cast(entity as string) as entity
    from declared
)

select * from final
