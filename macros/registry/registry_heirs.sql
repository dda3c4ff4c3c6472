{#- The heir of every id issued before this build, as a select of (customer_id,
    issue_number, was_active, component_id): the component of this build holding the
    identifier the id stands for (its anchor), or, for an active id whose anchor is
    gone, the component holding most of its identifiers (then the smallest); an
    inactive id (merged away or retired) is heir only of the component holding its
    anchor. component_id is null for an id without heir.
      issued_ids  the ids so far (macro registry_issued_ids)
      members     this build's identifiers (component_id, identifier_type,
                  identifier_hash)
      overlaps    how many of each id's identifiers every component holds
                  (component_id, customer_id, shared_identifiers) -#}
{% macro registry_heirs(issued_ids, members, overlaps) -%}
    with

    anchor_components as (
        select
            {{ issued_ids }}.customer_id,
            {{ members }}.component_id
        from {{ issued_ids }}
        inner join {{ members }}
            on {{ issued_ids }}.anchor_type = {{ members }}.identifier_type
                and {{ issued_ids }}.anchor_hash = {{ members }}.identifier_hash
    ),

    largest_overlaps as (
        select
            customer_id,
            component_id
        from {{ overlaps }}
        qualify row_number() over (
                partition by customer_id order by shared_identifiers desc, component_id asc
            ) = 1
    )

    select
        {{ issued_ids }}.customer_id,
        {{ issued_ids }}.issue_number,
        {{ issued_ids }}.was_active,
        case
            when {{ issued_ids }}.was_active
                then coalesce(anchor_components.component_id, largest_overlaps.component_id)
            else anchor_components.component_id
        end as component_id
    from {{ issued_ids }}
    left join anchor_components
        on {{ issued_ids }}.customer_id = anchor_components.customer_id
    left join largest_overlaps
        on {{ issued_ids }}.customer_id = largest_overlaps.customer_id
{%- endmacro %}
