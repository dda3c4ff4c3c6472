{#- `when` branches for a quarantine `case`: the one rule for every business and
    version timestamp of a base model.
      - business (required): missing (blank) or present but not parseable;
      - version (optional): present but not parseable;
      - both: later than the row's own landing time (`loaded_at`, default _loaded_at)
        by more than var('future_timestamp_tolerance_hours'): a row cannot carry an
        event that had not happened when it landed. The tolerance absorbs clock skew
        and a time zone mistaken for UTC (up to 14 hours ahead); an event dated 2099
        is a typo or a broken clock, and would move the default as-of date. A null
        _loaded_at (no landing time given) checks nothing;
      - both: before var('earliest_plausible_date'): the placeholders systems write
        for "no date" (1970-01-01, the Unix epoch; 1900-01-01; 0001-01-01) are not
        dates a customer did anything, and would become their first sighting, their
        tenure and their CLV history. null switches this check off.
    The tolerance is added as an interval literal, on both engines: dbt-spark's
    dbt.dateadd goes through Unix seconds and drops fractions of a second. -#}
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
    {%- set earliest = var('earliest_plausible_date') -%}
    {%- if earliest is not none
        and not modules.re.fullmatch('[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])', earliest | string)
    -%}
        {{ exceptions.raise_compiler_error(
            "var earliest_plausible_date must be a date (YYYY-MM-DD) or null, got: " ~ earliest
        ) }}
    {%- endif -%}
    {%- if kind == 'business' %}
        when {{ clean_text(raw_column) }} is null then 'missing_business_timestamp'
        when {{ parsed_column }} is null then 'unparseable_business_timestamp'
    {%- else %}
        when {{ clean_text(raw_column) }} is not null and {{ parsed_column }} is null
            then 'unparseable_version_timestamp'
    {%- endif %}
        when {{ parsed_column }} > {{ loaded_at }} + interval {{ tolerance | int }} hour
            then 'timestamp_after_landing'
    {%- if earliest is not none %}
        when {{ parsed_column }} < cast('{{ earliest | string }}' as timestamp)
            then 'timestamp_before_earliest_date'
    {%- endif %}
{%- endmacro %}
