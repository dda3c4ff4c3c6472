{#- A select of (node_id, root_id): every node of level 1 of the contraction with the
    root it reaches by following its representatives up the levels (a node's root is
    its representative's root one level up; a representative without edges one level
    up is a root). `representatives`: the name of a CTE of the contraction's 'map'
    rows (level, node_id, representative_id).
    DuckDB resolves the levels top-down in one recursive CTE. Spark cannot take a left
    join over a recursive reference: the model's materialization (iterated_table)
    resolves them first, one statement per level (macro contraction_roots_loop), and
    this select reads what they wrote. -#}
{% macro contraction_roots(representatives) -%}
    {{ return(adapter.dispatch('contraction_roots', 'cdp')(representatives)) }}
{%- endmacro %}

{% macro duckdb__contraction_roots(representatives) -%}
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

{% macro spark__contraction_roots(representatives) -%}
    select
        node_id,
        root_id
    from {{ loop_table('roots') }}
{%- endmacro %}

{% macro default__contraction_roots(representatives) -%}
    {{ unsupported_adapter('contraction_roots') }}
{%- endmacro %}
