-- The merge log (docs/contract.md §3): one row per identity event of every build,
-- read from the id registry (int_identity_registry):
--   created  a new customer (new_customer_id), with the identifier it stands for
--   merged   old_customer_id was merged into new_customer_id (the id issued first
--            survives), with the latest record that tied them and its two identifiers
--   split    new_customer_id was split off old_customer_id, which keeps its id (the
--            part holding the identifier it stands for); a rule or a record changed
--   retired  old_customer_id no longer has any identifier
-- Identifiers are shown as the data holds them, except an erased person's, of which
-- only the keyed hash stays. build_number counts the builds of this registry.
with

registry as (
    select * from {{ ref('int_identity_registry') }}
),

shown_identifiers as (
    select * from {{ ref('int_identifier_values_shown') }}
),

events as (
    select * from registry
    where row_kind = 'event'
),

final as (
    select
        events.event_type,
        events.old_customer_id,
        events.new_customer_id,
        events.build_number,
        events.caused_by_source_table,
        events.caused_by_record_key,
        events.identifier_type,
        shown.identifier_value,
        events.identifier_hash,
        events.linked_identifier_type,
        linked_shown.identifier_value as linked_identifier_value,
        events.linked_identifier_hash,
        events.caused_at
    from events
    left join shown_identifiers as shown
        on events.identifier_type = shown.identifier_type
            and events.identifier_hash = shown.identifier_hash
    left join shown_identifiers as linked_shown
        on events.linked_identifier_type = linked_shown.identifier_type
            and events.linked_identifier_hash = linked_shown.identifier_hash
)

select * from final
