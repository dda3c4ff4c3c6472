{#- ISO-8601 text to a UTC TIMESTAMP, or null when unparseable.
    Accepts 'YYYY-MM-DD', 'YYYY-MM-DD[T| ]hh:mm[:ss[.ffffff]]', optionally followed
    by 'Z' or a UTC offset '+hh', '+hhmm', '+hh:mm'. No offset means UTC (SPEC 1).
    The offset is applied by arithmetic, so the result does not depend on the
    session time zone. -#}
{% macro parse_timestamp_utc(column) -%}
    {%- set text = "upper(" ~ clean_text(column) ~ ")" -%}
    {#- backslashes doubled: this is a Jinja string literal -#}
    {%- set pattern = '^(\\d{4}-\\d{2}-\\d{2})(?:[T ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,6})?)?))?(Z|[+-]\\d{2}(?::?\\d{2})?)?$' -%}
    {%- set offset = "replace(regexp_extract(" ~ text ~ ", '" ~ pattern ~ "', 3), ':', '')" -%}
    (
        try_cast(
            regexp_extract({{ text }}, '{{ pattern }}', 1)
            || ' '
            || coalesce(nullif(regexp_extract({{ text }}, '{{ pattern }}', 2), ''), '00:00:00')
            as timestamp
        )
        - to_minutes(
            case
                when {{ offset }} in ('', 'Z') then 0
                else
                    (case when starts_with({{ offset }}, '-') then -1 else 1 end)
                    * (
                        cast(substr({{ offset }}, 2, 2) as integer) * 60
                        + coalesce(try_cast(nullif(substr({{ offset }}, 4, 2), '') as integer), 0)
                    )
            end
        )
    )
{%- endmacro %}
