{#- The new customer_ids of this build, as a select of (component_id, anchor_type,
    anchor_hash, first_seen_at, issue_number, customer_id): one for every component
    that is heir of no id, numbered after the highest issue number ever used in the
    order of the components (their anchors: the oldest identifier first), and named
    by the keyed hash of that number, so that an id is never issued twice and reveals
    no identifier. The anchor is the component's smallest node.
      members     this build's identifiers (node_id, component_id, identifier_type,
                  identifier_hash, first_seen_at)
      survivors   the components that kept an id (component_id)
      issued_ids  the ids so far (issue_number) -#}
{% macro registry_new_ids(members, survivors, issued_ids) -%}
    with

    component_anchors as (
        select
            component_id,
            min_by(identifier_type, node_id) as anchor_type,
            min_by(identifier_hash, node_id) as anchor_hash,
            min(first_seen_at) as first_seen_at
        from {{ members }}
        group by component_id
    ),

    last_issue as (
        select coalesce(max(issue_number), 0) as issue_number from {{ issued_ids }}
    ),

    new_ids as (
        select
            component_anchors.component_id,
            component_anchors.anchor_type,
            component_anchors.anchor_hash,
            component_anchors.first_seen_at,
            last_issue.issue_number
            + row_number() over (order by component_anchors.component_id) as issue_number
        from component_anchors
        cross join last_issue
        left join {{ survivors }}
            on component_anchors.component_id = {{ survivors }}.component_id
        where {{ survivors }}.component_id is null
    )

    select
        *,
        'cus_' || left(
            {{ salted_hash("'customer:' || cast(issue_number as string)") }}, 24
        ) as customer_id
    from new_ids
{%- endmacro %}
