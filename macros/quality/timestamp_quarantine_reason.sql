{#- `when` branches for a quarantine `case`: a required timestamp that is missing
    (blank) or present but not parseable. kind: business | version. -#}
{% macro timestamp_quarantine_reason(raw_column, parsed_column, kind='business') -%}
    {%- if kind == 'business' %}
        when {{ clean_text(raw_column) }} is null then 'missing_business_timestamp'
        when {{ parsed_column }} is null then 'unparseable_business_timestamp'
    {%- else %}
        when {{ clean_text(raw_column) }} is not null and {{ parsed_column }} is null
            then 'unparseable_version_timestamp'
    {%- endif %}
{%- endmacro %}
