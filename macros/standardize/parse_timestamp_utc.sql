{#- ISO-8601 text to a UTC TIMESTAMP, or null when unparseable.
    Accepts 'YYYY-MM-DD', 'YYYY-MM-DD[T| ]hh:mm[:ss[.ffffff]]', optionally followed
    by 'Z' or a UTC offset '+hh', '+hhmm', '+hh:mm' of at most 14 hours (an offset
    such as '+99:00' is out of range: null, not a shift by four days). No offset means
    UTC (docs/contract.md §1).
    The strict pattern decides what is accepted; the engine's cast then parses it
    (macro utc_timestamp_from_iso). -#}
{% macro parse_timestamp_utc(column) -%}
    {%- set text = "upper(" ~ clean_text(column) ~ ")" -%}
    {#- backslashes doubled: this is a Jinja string literal -#}
    {#- offsets run from -12:00 to +14:00 in real life: hours 00-14, minutes 00-59 -#}
    {%- set pattern = '\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,6})?)?)?(?:Z|[+-](?:0\\d|1[0-4])(?::?[0-5]\\d)?)?' -%}
    case
        when {{ regex_full_match(text, pattern) }}
            then {{ utc_timestamp_from_iso(text) }}
    end
{%- endmacro %}
