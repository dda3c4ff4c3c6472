{{ config(materialized='table') }}

with

pos_transactions as (
    select * from {{ source('pos', 'pos_transactions') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

hashed as (
    select
        *,
        {{ row_hash() }} as _row_hash
    from pos_transactions
),

standardized as (
    select
        {{ clean_text('transaction_id') }} as transaction_id,
        {{ clean_text('store_id') }} as store_id,
        {{ clean_text('loyalty_id') }} as loyalty_id,
        {{ normalize_enum('brand') }} as brand,
        {{ normalize_email('email') }} as email,
        -- a store sale carries no country: only international numbers normalize here
        {{ normalize_phone('phone', 'null', 'null') }} as phone,
        {{ phone_national_digits('phone') }} as phone_national_digits,
        upper({{ clean_text('currency') }}) as currency,
        {{ parse_decimal('amount') }} as original_amount,
        {{ is_ambiguous_number('amount') }} as _has_ambiguous_number,
        {{ is_dropped_as_invalid('email', normalize_email('email')) }}
            as has_invalid_email,
        {{ parse_timestamp_utc('transacted_at') }} as transacted_at,
        _loaded_at,
        _row_hash,
        transaction_id as _raw_key,
        transacted_at as _raw_transacted_at
    from hashed
),

with_rate as (
    select
        standardized.*,
        {{ eur_rate('standardized.currency', 'currency_rates.eur_per_unit') }} as eur_per_unit,
        {{ convert_to_eur(
            'standardized.original_amount',
            eur_rate('standardized.currency', 'currency_rates.eur_per_unit')
        ) }}
            as amount
    from standardized
    {{ rate_asof_join(
        'currency_rates', 'currency_rates', 'standardized.currency', 'standardized.transacted_at'
    ) }}
),

checked as (
    select
        *,
        case
            when transaction_id is null then 'missing_key'
            {{ timestamp_quarantine_reason('_raw_transacted_at', 'transacted_at') }}
            when _has_ambiguous_number then 'ambiguous_number'
            when original_amount is null then 'unparseable_number'
            when {{ is_number_out_of_range('original_amount') }} then 'number_out_of_range'
            when original_amount < 0 then 'negative_amount'
            when eur_per_unit is null then 'unknown_currency'
        end as _quarantine_reason
    from with_rate
),

classified as (
    select
        *,
        {{ row_outcome('transaction_id', '_loaded_at desc') }}
    from checked
),

final as (
    select {{ star_except(['_raw_transacted_at', '_has_ambiguous_number']) }} from classified
)

select * from final
