{#- The UTC instant of ISO-8601 text that parse_timestamp_utc's pattern accepted
    ('YYYY-MM-DD', then optionally '[T| ]hh:mm[:ss[.ffffff]]', then optionally 'Z' or an
    offset '+hh', '+hhmm', '+hh:mm'), as a TIMESTAMP; null for impossible dates and
    times ('2024-02-30', '25:00'). No offset means UTC. `text`: a SQL expression of the
    upper-cased text.
    DuckDB: a date alone gets midnight, text without an offset gets 'Z', one
    TIMESTAMPTZ cast parses it, and the instant is read back with epoch_us, so the
    result does not depend on the session time zone. -#}
{% macro utc_timestamp_from_iso(text) -%}
    {{ return(adapter.dispatch('utc_timestamp_from_iso', 'cdp')(text)) }}
{%- endmacro %}

{% macro duckdb__utc_timestamp_from_iso(text) -%}
    {%- set after_date = "substr(" ~ text ~ ", 11)" -%}
    make_timestamp(epoch_us(try_cast(
                case
                    when substr({{ text }}, 11, 1) in ('T', ' ') then {{ text }}
                    else left({{ text }}, 10) || ' 00:00:00' || {{ after_date }}
                end
                || case
                    when contains({{ after_date }}, 'Z')
                        or contains({{ after_date }}, '+')
                        or contains({{ after_date }}, '-')
                        then ''
                    else 'Z'
                end
                as timestamptz
            )))
{%- endmacro %}

{#- Spark has no TIMESTAMPTZ: its TIMESTAMP is an instant, read with the session time
    zone (UTC, set by the profile) when the text has no offset. Its cast needs seconds
    before an offset ('10:11Z' is null), so the text is rebuilt from its parts: date,
    hh:mm (midnight when absent), seconds (':00' when absent), offset ('Z' when absent).
    24:00 is midnight of the next day, as DuckDB reads it. -#}
{% macro spark__utc_timestamp_from_iso(text) -%}
    {%- set parts = '^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2})(:[0-9]{2}(?:[.][0-9]{1,6})?)?)?(.*)$' -%}
    {%- set date_text = 'regexp_extract(' ~ text ~ ', ' ~ quote_literal(parts) ~ ', 1)' -%}
    {%- set hour_minute = 'regexp_extract(' ~ text ~ ', ' ~ quote_literal(parts) ~ ', 2)' -%}
    {%- set seconds = 'regexp_extract(' ~ text ~ ', ' ~ quote_literal(parts) ~ ', 3)' -%}
    {%- set offset = 'regexp_extract(' ~ text ~ ', ' ~ quote_literal(parts) ~ ', 4)' -%}
    try_cast(
        case
            when {{ hour_minute }} = '24:00' and {{ seconds }} rlike '^(:00([.]0+)?)?$'
                then cast(date_add(try_cast({{ date_text }} as date), 1) as string) || ' 00:00:00'
            else {{ date_text }} || ' '
                || coalesce(nullif({{ hour_minute }}, ''), '00:00')
                || coalesce(nullif({{ seconds }}, ''), ':00')
        end
        || coalesce(nullif({{ offset }}, ''), 'Z')
        as timestamp
    )
{%- endmacro %}

{% macro default__utc_timestamp_from_iso(text) -%}
    {{ unsupported_adapter('utc_timestamp_from_iso') }}
{%- endmacro %}
