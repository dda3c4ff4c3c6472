{#- The order in which candidate values of a golden attribute compete (the first
    wins), built from var('survivorship_order'), the one place the rule is set:
      trust_rank  the source system's trust_rank (var cdp_sources, model source_systems), 1 first
      recency     the latest observation first
    A fixed tie-break (source table, record key, value) always follows, so the
    winner never depends on row order. Expects columns trust_rank, observed_at,
    source_table, record_key and attribute_value. -#}
{% macro survivorship_order_by() -%}
    {%- set criteria = {
        'trust_rank': 'trust_rank asc nulls last',
        'recency': 'observed_at desc nulls last',
    } -%}
    {%- set terms = [] -%}
    {%- for criterion in var('survivorship_order') -%}
        {%- if criterion not in criteria -%}
            {{ exceptions.raise_compiler_error(
                "var survivorship_order: unknown criterion '" ~ criterion
                ~ "'; use trust_rank and/or recency"
            ) }}
        {%- endif -%}
        {%- do terms.append(criteria[criterion]) -%}
    {%- endfor -%}
    {{ (terms + ['source_table', 'record_key', 'attribute_value']) | join(', ') }}
{%- endmacro %}
