{#- One relation of every raw row with the given outcome (duplicate or
    quarantined), across all base_ models, with the raw table it came from. -#}
{% macro union_rows_by_outcome(row_outcome) -%}
    {%- for item in cdp_sources() %}
    select
        '{{ item.name }}' as raw_table,
        _raw_key as raw_key,
        _outcome_reason as reason_code,
        _row_hash as row_hash,
        _loaded_at
    from {{ ref('base_' ~ item.model) }}
    where _row_outcome = '{{ row_outcome }}'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
