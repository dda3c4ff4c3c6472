{{ config(materialized='table') }}

with

shop_order_lines as (
    select * from {{ source('shop', 'shop_order_lines') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from shop_order_lines
),

standardized as (
    select
        {{ clean_text('order_id') }} as order_id,
        {{ parse_integer('line_number') }} as line_number,
        {{ clean_text('sku') }} as sku,
        {{ parse_integer('quantity') }} as quantity,
        -- amounts stay in the order's currency: it is on the order, not the line
        {{ parse_decimal('unit_price') }} as unit_price_in_order_currency,
        {{ is_ambiguous_number('unit_price') }} or {{ is_ambiguous_number('discount_amount') }}
            as _has_ambiguous_number,
        -- no discount sent means none given; an unreadable one is quarantined
        case
            when {{ clean_text('discount_amount') }} is null then 0
            else {{ parse_decimal('discount_amount') }}
        end as discount_amount_in_order_currency,
        _loaded_at,
        _row_hash,
        concat_ws('#', order_id, line_number) as _raw_key,
        line_number as _raw_line_number
    from hashed
),

checked as (
    select
        *,
        case
            when order_id is null or {{ clean_text('_raw_line_number') }} is null
                then 'missing_key'
            when line_number is null then 'unparseable_key'
            when _has_ambiguous_number then 'ambiguous_number'
            when quantity is null
                or unit_price_in_order_currency is null
                or discount_amount_in_order_currency is null
                then 'unparseable_number'
            when {{ is_number_out_of_range('quantity') }}
                or {{ is_number_out_of_range('unit_price_in_order_currency') }}
                or {{ is_number_out_of_range('discount_amount_in_order_currency') }}
                or {{ is_number_out_of_range('quantity * unit_price_in_order_currency') }}
                then 'number_out_of_range'
            when quantity <= 0 then 'negative_quantity'
            when unit_price_in_order_currency < 0 or discount_amount_in_order_currency < 0
                then 'negative_amount'
            -- a line cannot be worth less than nothing
            when discount_amount_in_order_currency > quantity * unit_price_in_order_currency
                then 'discount_exceeds_line'
        end as _quarantine_reason
    from standardized
),

classified as (
    select
        *,
        {{ row_outcome('order_id, line_number', '_loaded_at desc') }}
    from checked
),

final as (
    select {{ star_except(['_raw_line_number', '_has_ambiguous_number']) }} from classified
)

select * from final
