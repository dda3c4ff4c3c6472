{#- `when` branches for a quarantine `case`: the one rule for every business and
    version timestamp of a base model.
      - business (required): missing (blank) or present but not parseable;
      - version (optional): present but not parseable;
      - both: later than the row's own landing time (`loaded_at`, default _loaded_at)
        by more than var('future_timestamp_tolerance_hours'): a row cannot carry an
        event that had not happened when it landed. The tolerance absorbs clock skew
        and a time zone mistaken for UTC (up to 14 hours ahead); an event dated 2099
        is a typo or a broken clock, and would move the default as-of date.
    A null _loaded_at (no landing time given) checks nothing. -#}
{% macro timestamp_quarantine_reason(
    raw_column, parsed_column, kind='business', loaded_at='_loaded_at'
) -%}
    {%- set tolerance = var('future_timestamp_tolerance_hours') -%}
    {%- if tolerance is not number or tolerance is boolean or tolerance < 0
        or tolerance != tolerance | int -%}
        {{ exceptions.raise_compiler_error(
            "var future_timestamp_tolerance_hours must be a whole number of hours >= 0, got: "
            ~ tolerance
        ) }}
    {%- endif -%}
    {%- if kind == 'business' %}
        when {{ clean_text(raw_column) }} is null then 'missing_business_timestamp'
        when {{ parsed_column }} is null then 'unparseable_business_timestamp'
    {%- else %}
        when {{ clean_text(raw_column) }} is not null and {{ parsed_column }} is null
            then 'unparseable_version_timestamp'
    {%- endif %}
        when {{ parsed_column }} > {{ dbt.dateadd('hour', tolerance | int, loaded_at) }}
            then 'timestamp_after_landing'
{%- endmacro %}
