{#- One row of the id registry (int_identity_registry) as a select list: every
    column of the registry in its order, the value named for it in `kwargs` (column
    name = SQL expression) or a null of the column's type. The registry's columns
    and types are declared here, once: each row kind fills the columns it uses by
    name, and `registry_row()` alone is the first build's empty registry. A name
    that is not a registry column fails the compilation. -#}
{% macro registry_row() -%}
    {%- set columns = {
        'row_kind': 'string',
        'build_number': 'bigint',
        'customer_id': 'string',
        'issue_number': 'bigint',
        'identifier_type': 'string',
        'identifier_hash': 'string',
        'event_type': 'string',
        'old_customer_id': 'string',
        'new_customer_id': 'string',
        'caused_at': 'timestamp',
        'caused_by_source_table': 'string',
        'caused_by_record_key': 'string',
        'linked_identifier_type': 'string',
        'linked_identifier_hash': 'string',
    } -%}
    {%- set unknown = kwargs.keys() | reject('in', columns) | list -%}
    {%- if unknown -%}
        {{ exceptions.raise_compiler_error(
            'registry_row: not a column of the id registry: ' ~ unknown | join(', ')
        ) }}
    {%- endif -%}
    {%- for column, data_type in columns.items() -%}
        {{ ',\n        ' if not loop.first }}
        {{- kwargs.get(column, 'cast(null as ' ~ data_type ~ ')') }} as {{ column }}
    {%- endfor %}
{%- endmacro %}
