{#- A select of (node_id, root_id): every node of level 1 of the contraction with the
    root it reaches by following its representatives up the levels (a node's root is
    its representative's root one level up; a representative without edges one level
    up is a root). `representatives`: the name of a CTE of the contraction's 'map'
    rows (level, node_id, representative_id); `contraction`: the contraction model.
    DuckDB resolves the levels top-down in one recursive CTE. Spark cannot take a left
    join over a recursive reference: it reads the number of levels from the built
    contraction and resolves them in a chain of one CTE per level. -#}
{% macro contraction_roots(representatives, contraction) -%}
    {{ adapter.dispatch('contraction_roots', 'cdp')(representatives, contraction) }}
{%- endmacro %}

{% macro default__contraction_roots(representatives, contraction) -%}
    with recursive

    top_level as (
        select max(level) as level from {{ representatives }}
    ),

    labels (level, node_id, root_id) as (
        select
            {{ representatives }}.level,
            {{ representatives }}.node_id,
            {{ representatives }}.representative_id
        from {{ representatives }}
        inner join top_level
            on {{ representatives }}.level = top_level.level
        union all
        (
            with

            level_above as (
                select * from labels
            ),

            current_level as (
                select distinct level - 1 as level from level_above
            )

            select
                {{ representatives }}.level,
                {{ representatives }}.node_id,
                coalesce(level_above.root_id, {{ representatives }}.representative_id)
            from {{ representatives }}
            inner join current_level
                on {{ representatives }}.level = current_level.level
            left join level_above
                on {{ representatives }}.representative_id = level_above.node_id
        )
    )

    select
        node_id,
        root_id
    from labels
    where level = 1
{%- endmacro %}

{% macro spark__contraction_roots(representatives, contraction) -%}
    {%- set top_level = none -%}
    {%- if execute and adapter.get_relation(
        database=contraction.database, schema=contraction.schema, identifier=contraction.identifier
    ) is not none -%}
        {%- set top_level = run_query(
            "select max(level) from " ~ contraction ~ " where row_kind = 'map'"
        ).columns[0].values()[0] -%}
    {%- endif -%}
    {%- if top_level is none %}
    select
        node_id,
        representative_id as root_id
    from {{ representatives }}
    where false
    {%- else %}
    with
    {% for level in range(top_level | int, 0, -1) %}
    labels_{{ level }} as (
        select
            {{ representatives }}.node_id,
            {%- if loop.first %}
            {{ representatives }}.representative_id as root_id
            {%- else %}
            coalesce(level_above.root_id, {{ representatives }}.representative_id) as root_id
            {%- endif %}
        from {{ representatives }}
        {%- if not loop.first %}
        left join labels_{{ level + 1 }} as level_above
            on {{ representatives }}.representative_id = level_above.node_id
        {%- endif %}
        where {{ representatives }}.level = {{ level }}
    ){{ ',' if not loop.last }}
    {% endfor %}
    select * from labels_1
    {%- endif %}
{%- endmacro %}
