{#- What a merge is blamed on, as a select of (component_id, source_table,
    record_key, linked_at, identifier_type, identifier_hash, linked_identifier_type,
    linked_identifier_hash): for every component, the latest record (business time,
    then the larger source table and key) whose link joins two identifiers that had
    different customers (or none) before this build, with those two identifiers (of
    a record's links, the one between the oldest identifiers: node ids rank them).
      links    the identity links (node_id, linked_node_id, source_table,
               record_key, linked_at)
      members  this build's identifiers (node_id, component_id, identifier_type,
               identifier_hash, previous_customer_id) -#}
{% macro registry_merge_evidence(links, members) -%}
    select
        node_side.component_id,
        {{ links }}.source_table,
        {{ links }}.record_key,
        {{ links }}.linked_at,
        node_side.identifier_type,
        node_side.identifier_hash,
        linked_side.identifier_type as linked_identifier_type,
        linked_side.identifier_hash as linked_identifier_hash
    from {{ links }}
    inner join {{ members }} as node_side
        on {{ links }}.node_id = node_side.node_id
    inner join {{ members }} as linked_side
        on {{ links }}.linked_node_id = linked_side.node_id
    where node_side.previous_customer_id is distinct from linked_side.previous_customer_id
    qualify row_number() over (
            partition by node_side.component_id
            order by {{ links }}.linked_at desc, {{ links }}.source_table desc,
                {{ links }}.record_key desc, {{ links }}.node_id asc, {{ links }}.linked_node_id asc
        ) = 1
{%- endmacro %}
