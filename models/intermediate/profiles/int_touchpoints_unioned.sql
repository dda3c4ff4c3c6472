{{ config(materialized='view') }}

-- Every interaction a person had with the business, from every channel, in one
-- shape: the declared sources with a touchpoint (macro cdp_sources: web and app events,
-- shop orders, store purchases, email activity, support tickets, survey responses),
-- each with its channel, type, brand and whether it is a purchase. Staging has already
-- deduplicated each source (re-delivered events, order status changes), so this is one
-- row per interaction. Customer records that are not interactions (CRM contacts, shop
-- accounts, loyalty memberships, social profiles) declare no touchpoint. Whether one is
-- a purchase is the value models' rule (int_purchases_unioned: customer_touchpoints and
-- the journey stages read it there), not restated here.
with

unioned as (
    {%- for source in identity_record_sources() if source.touchpoint %}
        {%- set touchpoint = source.touchpoint %}
        select
            {{ quote_literal(source.source_table) }} as source_table,
            cast({{ source.record_key }} as string) as record_key,
            {{ touchpoint.channel }} as channel,
            {{ touchpoint.type }} as touchpoint_type,
            cast({{ touchpoint.get('brand') or 'null' }} as string) as brand,
            {{ touchpoint.at }} as occurred_at
        from {{ source.relation }}
        {%- if source.where %}
            where {{ source.where }}
        {%- endif %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        source_table || ':' || record_key as touchpoint_id,
        source_table,
        record_key,
        channel,
        touchpoint_type,
        brand,
        occurred_at
    from unioned
)

select * from final
