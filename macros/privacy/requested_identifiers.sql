{#- The identifiers a person asks about (cdp access-request, cdp explain-link), each read
    as everywhere (docs/contract.md §2, Identifier readings): by its type (macro
    normalize_identifier), a phone in national format by the one known reading of its
    digits (macro known_phone_readings), and looked up among the identifiers the records
    carry. Writes CTEs (all named request_*), the last one `requested`, to put in a
    query's `with`: one row per request, with
      request             the request's key
      identifier_type, identifier_value   the identifier as read (value null: unread)
      is_national, known_reading_count    a national phone's digits, and how many
                                          countries' readings the records hold
      node_id, customer_id, non_stitching_reason
      status              found (a stitching identifier of one customer), not_found,
                          ambiguous (several countries' readings are held), shared or
                          blocked (it names no one person), unreadable
      reason_code         why it was not found (seed request_attention_reasons)
    requests: {key: (type_sql, value_sql)}, SQL expressions of the typed identifier (the
    bound parameters of macro query_parameter). -#}
{% macro requested_identifiers(requests) -%}
request_classified as (
    select * from {{ ref('int_identifiers_classified') }}
),

request_stitched as (
    select * from {{ ref('int_identifiers_stitched') }}
),

request_wanted as (
    {%- for key, (wanted_type, wanted_value) in requests.items() %}
        select
            {{ quote_literal(key) }} as request,
            cast({{ wanted_type }} as string) as identifier_type,
            {{ normalize_identifier(wanted_type, wanted_value) }} as identifier_value,
            case
                when {{ wanted_type }} = 'phone' then {{ phone_national_digits(wanted_value) }}
            end as phone_national_digits
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

request_national as (
    select
        request,
        phone_national_digits
    from request_wanted
    where identifier_value is null and phone_national_digits is not null
),

request_known_phones as (
    select identifier_value as phone from request_classified
    where identifier_type = 'phone'
),

request_national_readings as (
    {{ known_phone_readings(
        'request_national', ['request'], 'phone_national_digits', 'request_known_phones'
    ) }}
),

request_readings as (
    select
        request_wanted.request,
        request_wanted.identifier_type,
        coalesce(
            request_wanted.identifier_value,
            case
                when request_national_readings.known_reading_count = 1
                    then request_national_readings.phone
            end
        ) as identifier_value,
        request_wanted.phone_national_digits is not null
        and request_wanted.identifier_value is null as is_national,
        coalesce(request_national_readings.known_reading_count, 0) as known_reading_count
    from request_wanted
    left join request_national_readings
        on request_wanted.request = request_national_readings.request
),

requested as (
    select
        readings.request,
        readings.identifier_type,
        readings.identifier_value,
        readings.is_national,
        readings.known_reading_count,
        classified.node_id,
        stitched.customer_id,
        classified.non_stitching_reason,
        case
            when readings.identifier_value is null and readings.known_reading_count > 1
                then 'ambiguous'
            when readings.identifier_value is null and readings.is_national then 'not_found'
            when readings.identifier_value is null then 'unreadable'
            when classified.identifier_value is null then 'not_found'
            when classified.non_stitching_reason = 'blocked' then 'blocked'
            when not classified.is_stitching then 'shared'
            when stitched.customer_id is null then 'not_found'
            else 'found'
        end as status,
        case
            when readings.identifier_value is null and readings.known_reading_count > 1
                then 'national_phone_ambiguous'
            when readings.identifier_value is null and readings.is_national
                then 'national_phone_not_found'
            when readings.identifier_value is null then 'identifier_unreadable'
            when classified.identifier_value is null then 'no_matching_customer'
            when not classified.is_stitching then 'identifier_not_stitching'
            when stitched.customer_id is null then 'no_matching_customer'
        end as reason_code
    from request_readings as readings
    left join request_classified as classified
        on readings.identifier_type = classified.identifier_type
            and readings.identifier_value = classified.identifier_value
    left join request_stitched as stitched
        on classified.node_id = stitched.node_id
)
{%- endmacro %}
