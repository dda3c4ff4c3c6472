{#- Every raw contract table with its source name, the suffix of its staging models
    (base_<suffix>, stg_<suffix>) and, for tables whose rows are customer records,
    the column holding the record key the identity models use (for consent events and
    privacy requests, signals about one identifier, its signal key). The data-quality
    models, the reconciliation test and the erasure pass iterate over it, so a new
    source is added here once. -#}
{% macro raw_table_models() -%}
    {{ return([
        {'source': 'crm', 'table': 'crm_contacts', 'model': 'crm__contacts', 'record_key': 'contact_id'},
        {'source': 'shop', 'table': 'shop_customers', 'model': 'shop__customers', 'record_key': 'customer_id'},
        {'source': 'shop', 'table': 'shop_orders', 'model': 'shop__orders', 'record_key': 'order_id'},
        {'source': 'shop', 'table': 'shop_order_lines', 'model': 'shop__order_lines'},
        {'source': 'pos', 'table': 'pos_transactions', 'model': 'pos__transactions', 'record_key': 'transaction_id'},
        {'source': 'loyalty', 'table': 'loyalty_members', 'model': 'loyalty__members', 'record_key': 'loyalty_id'},
        {'source': 'web', 'table': 'web_events', 'model': 'web__events', 'record_key': 'event_id'},
        {'source': 'email', 'table': 'email_activity', 'model': 'email__activities', 'record_key': 'activity_id'},
        {'source': 'support', 'table': 'support_tickets', 'model': 'support__tickets', 'record_key': 'ticket_id'},
        {'source': 'returns', 'table': 'returns', 'model': 'returns__returns'},
        {'source': 'consent', 'table': 'consent_events', 'model': 'consent__events', 'signal_key': 'event_id'},
        {'source': 'privacy', 'table': 'privacy_requests', 'model': 'privacy__requests', 'signal_key': 'request_id'},
        {'source': 'enrichment', 'table': 'enrichment_demographics', 'model': 'enrichment__demographics'},
        {'source': 'catalog', 'table': 'products', 'model': 'catalog__products'},
        {'source': 'survey', 'table': 'survey_responses', 'model': 'survey__responses', 'record_key': 'response_id'},
        {'source': 'social', 'table': 'social_profiles', 'model': 'social__profiles', 'record_key': 'profile_id'},
    ]) }}
{%- endmacro %}
