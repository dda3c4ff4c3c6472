{{ config(materialized='table') }}

with

products as (
    select * from {{ source('catalog', 'products') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

known_currencies as (
    select distinct currency from currency_rates
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from products
),

standardized as (
    select
        {{ clean_text('hashed.sku') }} as sku,
        {{ normalize_enum('hashed.brand') }} as brand,
        {{ clean_text('hashed.name') }} as product_name,
        {{ normalize_enum('hashed.category') }} as category,
        upper({{ clean_text('hashed.currency') }}) as currency,
        -- converted at the date of each sale, downstream
        {{ parse_decimal('hashed.unit_cost') }} as unit_cost_in_currency,
        {{ is_ambiguous_number('hashed.unit_cost') }} as _has_ambiguous_number,
        known_currencies.currency is not null as is_currency_known,
        hashed._loaded_at,
        hashed._row_hash,
        hashed.sku as _raw_key
    from hashed
    left join known_currencies
        on upper({{ clean_text('hashed.currency') }}) = known_currencies.currency
),

checked as (
    select
        *,
        case
            when sku is null then 'missing_key'
            when _has_ambiguous_number then 'ambiguous_number'
            when unit_cost_in_currency is null then 'unparseable_number'
            when {{ is_number_out_of_range('unit_cost_in_currency') }} then 'number_out_of_range'
            when unit_cost_in_currency < 0 then 'negative_amount'
            when not is_currency_known then 'unknown_currency'
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        -- a catalogue snapshot has no version time: the latest landing wins
        {{ row_outcome('sku', '_loaded_at desc') }}
    from checked
),

final as (
    select {{ star_except(['is_currency_known', '_has_ambiguous_number']) }} from classified
)

select * from final
