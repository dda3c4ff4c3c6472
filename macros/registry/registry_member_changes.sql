{#- The identifiers whose customer changes in this build, as a select of
    (identifier_type, identifier_hash, customer_id): the customer of their component
    now, or null for those that had one and link nobody now (gone, or refused by a
    guard). Distinct: an erased address delivered again and its 'cdp-erased:'
    stand-in share a hash.
      members           this build's identifiers (node_id, component_id,
                        identifier_type, identifier_hash, previous_customer_id)
      previous_members  each identifier's customer as of the last build
                        (identifier_type, identifier_hash, customer_id)
      survivors         the components that kept an id (component_id, customer_id)
      issued            the new ids (component_id, customer_id) -#}
{% macro registry_member_changes(members, previous_members, survivors, issued) -%}
    with

    assignments as (
        select
            component_id,
            customer_id
        from {{ survivors }}
        union all
        select
            component_id,
            customer_id
        from {{ issued }}
    )

    select distinct
        {{ members }}.identifier_type,
        {{ members }}.identifier_hash,
        assignments.customer_id
    from {{ members }}
    inner join assignments
        on {{ members }}.component_id = assignments.component_id
    where {{ members }}.previous_customer_id is distinct from assignments.customer_id
    union all
    select
        {{ previous_members }}.identifier_type,
        {{ previous_members }}.identifier_hash,
        cast(null as string) as customer_id
    from {{ previous_members }}
    left join {{ members }}
        on {{ previous_members }}.identifier_type = {{ members }}.identifier_type
            and {{ previous_members }}.identifier_hash = {{ members }}.identifier_hash
    where {{ previous_members }}.customer_id is not null and {{ members }}.node_id is null
{%- endmacro %}
