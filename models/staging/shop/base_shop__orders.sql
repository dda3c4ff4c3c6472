{{ config(materialized='table') }}

{#- the record's phone in E.164, using its country for national numbers -#}
{%- set phone_e164 = normalize_phone(
    'hashed.phone', 'countries.dialing_code', 'countries.trunk_prefix'
) %}

with

shop_orders as (
    select * from {{ source('shop', 'shop_orders') }}
),

country_aliases as (
    select * from {{ ref('country_aliases') }}
),

countries as (
    select * from {{ ref('countries') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from shop_orders
),

standardized as (
    select
        {{ clean_text('hashed.order_id') }} as order_id,
        {{ clean_text('hashed.customer_id') }} as customer_id,
        {{ normalize_enum('hashed.brand') }} as brand,
        {{ normalize_email('hashed.email') }} as email,
        {{ phone_e164 }} as phone,
        case {{ normalize_enum('hashed.status') }}
            when 'canceled' then 'cancelled'
            else {{ normalize_enum('hashed.status') }}
        end as status,
        upper({{ clean_text('hashed.currency') }}) as currency,
        countries.country_code as shipping_country_code,
        {{ parse_timestamp_utc('hashed.ordered_at') }} as ordered_at,
        hashed._loaded_at,
        hashed._row_hash,
        hashed.order_id as _raw_key,
        hashed.ordered_at as _raw_ordered_at
    from hashed
    left join country_aliases
        on upper({{ clean_text('hashed.shipping_country') }}) = country_aliases.alias
    left join countries
        on country_aliases.country_code = countries.country_code
),

with_rate as (
    select
        standardized.*,
        {{ eur_rate('standardized.currency', 'currency_rates.eur_per_unit') }} as eur_per_unit
    from standardized
    {{ rate_asof_join(
        'currency_rates', 'currency_rates', 'standardized.currency', 'standardized.ordered_at'
    ) }}
),

checked as (
    select
        *,
        case
            when order_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_ordered_at', 'ordered_at') }}
            when status is null
                or status not in ('placed', 'paid', 'shipped', 'delivered', 'cancelled')
                then 'unknown_status'
            when eur_per_unit is null then 'unknown_currency'
        end as _quarantine_reason
    from with_rate
),

classified as (
    select
        *,
        -- one row per status change: the latest landing wins (docs/contract.md §1); when two
        -- land together the later status in the life cycle wins
        {{ row_outcome(
            'order_id',
            "_loaded_at desc, case status when 'placed' then 1 when 'paid' then 2 when 'shipped' then 3"
            ~ " when 'delivered' then 4 when 'cancelled' then 5 end desc"
        ) }}
    from checked
),

final as (
    select {{ star_except(['_raw_ordered_at']) }} from classified
)

select * from final
