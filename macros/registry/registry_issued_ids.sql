{#- Every customer_id the id registry ever issued, as a select of (customer_id,
    issue_number, anchor_type, anchor_hash, was_active): its number, the anchor it
    stands for, and whether it is active. An id's latest event decides: created,
    split off or restored (as new_customer_id) makes it active, merged away or
    retired (as old_customer_id) ends it. `registry`: the registry's rows so far. -#}
{% macro registry_issued_ids(registry) -%}
    with

    id_status_events as (
        select
            new_customer_id as customer_id,
            build_number,
            true as is_active
        from {{ registry }}
        where row_kind = 'event' and event_type in ('created', 'split', 'restored')
        union all
        select
            old_customer_id as customer_id,
            build_number,
            false as is_active
        from {{ registry }}
        where row_kind = 'event' and event_type in ('merged', 'retired')
    ),

    id_statuses as (
        select
            customer_id,
            is_active
        from id_status_events
        qualify row_number() over (partition by customer_id order by build_number desc) = 1
    )

    select
        {{ registry }}.customer_id,
        {{ registry }}.issue_number,
        {{ registry }}.identifier_type as anchor_type,
        {{ registry }}.identifier_hash as anchor_hash,
        coalesce(id_statuses.is_active, true) as was_active
    from {{ registry }}
    left join id_statuses
        on {{ registry }}.customer_id = id_statuses.customer_id
    where {{ registry }}.row_kind = 'issued'
{%- endmacro %}
