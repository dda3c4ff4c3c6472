-- The source systems of the declared source tables (var cdp_sources, macro
-- cdp_sources), with their data party (first, second, third) and trust rank (1 = most
-- trusted, golden-record survivorship). Every table of a system must declare the same
-- party and rank: a system with two is two rows, and the unique test fails naming it.
-- One row per source system.
with

declared as (
    {%- for source in cdp_sources() %}
        select
            {{ quote_literal(source.system) }} as source_system,
            {{ quote_literal(source.party) }} as party,
            {{ number_literal(source.trust_rank, 'cdp_sources.' ~ source.name ~ '.trust_rank') }}
                as trust_rank
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select distinct
        cast(source_system as string) as source_system,
        cast(party as string) as party,
        cast(trust_rank as integer) as trust_rank
    from declared
)

select * from final
