{#- Select one row per record and ordered pair of identifiers it carries (the sharing
    guard's evidence, docs/contract.md §2): identifier_type, identifier_value,
    linked_type, linked_value. Read from the record's own columns, one filtered scan
    per pair of columns: no join of identifier rows back to their records, the costly
    step of the guard when it did (43 M row pairs at 1M customers). Not distinct: a
    pair on many records comes once per record.
      relation, identifiers, where: as in identity_record_sources()
      identifier_types optional list: only pairs whose first identifier has one of
                       these types
      links            optional list of 'identifier_type:linked_type': only these
                       ordered pairs of types
    A record with fewer than two identifiers gives no row. -#}
{% macro identifier_pairs_of(
    relation, identifiers, where=none, identifier_types=none, links=none
) -%}
    {%- set pairs = [] %}
    {%- for identifier_type, column in identifiers.items()
        if identifier_types is none or identifier_type in identifier_types %}
        {%- for linked_type, linked_column in identifiers.items()
            if linked_type != identifier_type
            and (links is none or (identifier_type ~ ':' ~ linked_type) in links) %}
            {%- do pairs.append((identifier_type, column, linked_type, linked_column)) %}
        {%- endfor %}
    {%- endfor %}
    {%- for identifier_type, column, linked_type, linked_column in pairs %}
    select
        '{{ identifier_type }}' as identifier_type,
        cast({{ column }} as string) as identifier_value,
        '{{ linked_type }}' as linked_type,
        cast({{ linked_column }} as string) as linked_value
    from {{ relation }}
    where {{ column }} is not null and {{ linked_column }} is not null
    {%- if where %}
        and ({{ where }})
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- Every pair of identifiers on one customer record, as the records carry them (macro
    identity_record_sources; phones completed from national format are not here), of
    the pairs of types some limit applies to (macro limited_identifier_links; every
    pair while the seed is not built); identifier_types: as above. No pair to read
    gives an empty select of the same columns. -#}
{% macro recorded_identifier_pairs(identifier_types=none) -%}
    {%- set links = limited_identifier_links() %}
    {%- set selects = [] %}
    {%- for source in identity_record_sources() if source.identifiers | length > 1 %}
        {%- set pairs = identifier_pairs_of(
            source.relation, source.identifiers, where=source.get('where'),
            identifier_types=identifier_types, links=links
        ) %}
        {%- if pairs | trim %}
            {%- do selects.append(pairs) %}
        {%- endif %}
    {%- endfor %}
    {%- if selects %}
    {{ selects | join('\n    union all') }}
    {%- else %}
    select
        cast(null as string) as identifier_type,
        cast(null as string) as identifier_value,
        cast(null as string) as linked_type,
        cast(null as string) as linked_value
    where false
    {%- endif %}
{%- endmacro %}
