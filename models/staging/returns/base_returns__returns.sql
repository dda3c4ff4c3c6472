{{ config(materialized='table') }}

with

returns as (
    select * from {{ source('returns', 'returns') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from returns
),

standardized as (
    select
        {{ clean_text('return_id') }} as return_id,
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('pos_transaction_id') }} as pos_transaction_id,
        {{ clean_text('sku') }} as sku,
        {{ normalize_enum('reason') }} as reason,
        upper({{ clean_text('currency') }}) as currency,
        {{ parse_integer('quantity') }} as quantity,
        {{ parse_decimal('refund_amount') }} as original_refund_amount,
        {{ is_ambiguous_number('refund_amount') }} as _has_ambiguous_number,
        {{ parse_timestamp_utc('returned_at') }} as returned_at,
        _loaded_at,
        _row_hash,
        return_id as _raw_key,
        returned_at as _raw_returned_at,
        quantity as _raw_quantity
    from hashed
),

with_rate as (
    select
        standardized.*,
        {{ eur_rate('standardized.currency', 'currency_rates.eur_per_unit') }} as eur_per_unit,
        {{ convert_to_eur(
            'standardized.original_refund_amount',
            eur_rate('standardized.currency', 'currency_rates.eur_per_unit')
        ) }}
            as refund_amount
    from standardized
    {{ rate_asof_join(
        'currency_rates', 'currency_rates', 'standardized.currency', 'standardized.returned_at'
    ) }}
),

checked as (
    select
        *,
        case
            when return_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_returned_at', 'returned_at') }}
            when order_id is null and pos_transaction_id is null then 'missing_return_reference'
            when order_id is not null and pos_transaction_id is not null
                then 'ambiguous_return_reference'
            when _has_ambiguous_number then 'ambiguous_number'
            when original_refund_amount is null
                or ({{ clean_text('_raw_quantity') }} is not null and quantity is null)
                then 'unparseable_number'
            when {{ is_number_out_of_range('original_refund_amount') }}
                or {{ is_number_out_of_range('quantity') }}
                then 'number_out_of_range'
            when quantity <= 0 then 'negative_quantity'
            when original_refund_amount < 0 then 'negative_amount'
            when eur_per_unit is null then 'unknown_currency'
        end as _quarantine_reason
    from with_rate
),

classified as (
    select
        *,
        {{ row_outcome('return_id', '_loaded_at desc') }}
    from checked
),

final as (
    select
        {{ star_except(['_raw_returned_at', '_raw_quantity', '_has_ambiguous_number']) }}
    from classified
)

select * from final
