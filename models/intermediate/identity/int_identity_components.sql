{#- Connected components, step 2: the component of every stitching identifier,
    named by its smallest node id. Node ids rank identifiers oldest first (see
    int_identifiers_classified), so that node is the component's anchor: the
    identifier its customer_id comes from.

    Labels are resolved top-down from the last contraction level: a node's label
    is the label of its representative one level up, and a representative without
    edges one level up is a root. The smallest node of a component is never
    contracted away by the stars of level 0, so it is a node of level 1: the
    minimum over the level-1 nodes sharing a root, or, when it has no edge left
    at level 1, the representative of every other node of its component. Every
    other identifier takes the component of its star's representative;
    identifiers that never had a link are components of their own.
    DuckDB resolves the levels in one recursive CTE; Spark in a loop of one statement
    per level, which the materialization iterated_table runs when the model is built
    (macro contraction_roots_loop), never while it compiles.
    Fails the build when the contraction hit its safety limit. -#}
{%- set contraction_model = 'int_identity_contraction' -%}
{{ config(
    materialized='iterated_table',
    loop='contraction_roots_loop',
    loop_input=contraction_model,
) }}
{%- set not_converged_message = (
    'Identity stitching did not converge within the safety limit of '
    ~ var('identity_max_contraction_levels')
    ~ ' contraction levels; raise var identity_max_contraction_levels.'
) %}
with

contraction as (
    select * from {{ ref(contraction_model) }}
),

stars as (
    select * from {{ ref('int_identity_stars') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_classified') }}
),

convergence as (
    select
        case
            when count(*) filter (where row_kind = 'unconverged') > 0
                then {{ raise_sql_error(not_converged_message) }}
            else true
        end as has_converged
    from contraction
),

representatives as (
    select
        level,
        node_id,
        representative_id
    from contraction
    where row_kind = 'map'
),

-- every level-1 node with the root it reaches through the levels above
roots as (
    {{ contraction_roots('representatives') }}
),

level_one_components as (
    select
        node_id,
        min(node_id) over (partition by root_id) as component_id
    from roots
),

final as (
    select
        identifiers.node_id,
        coalesce(
            level_one_components.component_id,
            stars.representative_id,
            identifiers.node_id
        ) as component_id
    from identifiers
    cross join convergence
    left join stars
        on identifiers.node_id = stars.node_id
    left join level_one_components
        on coalesce(stars.representative_id, identifiers.node_id) = level_one_components.node_id
    where identifiers.is_stitching and convergence.has_converged
)

select * from final
