{#- The content key of a raw row that is the same on both engines (row_hash's values
    are not): the md5 of every column of `relation` but the loader's _loaded_at (all
    text, by the raw contract), in name order, each in double quotes (inner quotes
    doubled) or a bare null, joined by commas. Slower than row_hash: for the few rows
    a mart lists. Use it in a CTE that selects from `relation` alone. -#}
{% macro raw_row_key(relation) -%}
    {%- set parts = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) | sort(attribute='name')
            if column.name | lower != '_loaded_at' -%}
            {%- do parts.append(
                "coalesce('\"' || replace(cast(" ~ column.name ~ " as string), '\"', '\"\"')"
                ~ " || '\"', 'null')"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    md5({{ parts | join(" || ',' || ") if parts else "''" }})
{%- endmacro %}
