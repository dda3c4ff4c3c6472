{#- ISO-8601 text to a UTC TIMESTAMP, or null when unparseable.
    Accepts 'YYYY-MM-DD', 'YYYY-MM-DD[T| ]hh:mm[:ss[.ffffff]]', optionally followed
    by 'Z' or a UTC offset '+hh', '+hhmm', '+hh:mm' of at most 14 hours (an offset
    such as '+99:00' is out of range: null, not a shift by four days). No offset means
    UTC (docs/contract.md §1).
    The strict pattern decides what is accepted; DuckDB's TIMESTAMPTZ cast then
    parses it (one cast instead of several regex extractions). A date alone gets
    midnight, text without an offset gets 'Z', and the instant is read back with
    epoch_us, so the result does not depend on the session time zone. -#}
{% macro parse_timestamp_utc(column) -%}
    {%- set text = "upper(" ~ clean_text(column) ~ ")" -%}
    {#- backslashes doubled: this is a Jinja string literal -#}
    {#- offsets run from -12:00 to +14:00 in real life: hours 00-14, minutes 00-59 -#}
    {%- set pattern = '\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,6})?)?)?(?:Z|[+-](?:0\\d|1[0-4])(?::?[0-5]\\d)?)?' -%}
    {%- set after_date = "substr(" ~ text ~ ", 11)" -%}
    case
        when regexp_full_match({{ text }}, '{{ pattern }}')
            then make_timestamp(epoch_us(try_cast(
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
    end
{%- endmacro %}
