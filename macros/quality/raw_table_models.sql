{#- Every raw contract table with its source name and the suffix of its staging
    models (base_<suffix>, stg_<suffix>). The data-quality models and the
    reconciliation test iterate over it, so a new source is added here once. -#}
{% macro raw_table_models() -%}
    {{ return([
        {'source': 'crm', 'table': 'crm_contacts', 'model': 'crm__contacts'},
        {'source': 'shop', 'table': 'shop_customers', 'model': 'shop__customers'},
        {'source': 'shop', 'table': 'shop_orders', 'model': 'shop__orders'},
        {'source': 'shop', 'table': 'shop_order_lines', 'model': 'shop__order_lines'},
        {'source': 'pos', 'table': 'pos_transactions', 'model': 'pos__transactions'},
        {'source': 'loyalty', 'table': 'loyalty_members', 'model': 'loyalty__members'},
        {'source': 'web', 'table': 'web_events', 'model': 'web__events'},
        {'source': 'email', 'table': 'email_activity', 'model': 'email__activities'},
        {'source': 'support', 'table': 'support_tickets', 'model': 'support__tickets'},
        {'source': 'returns', 'table': 'returns', 'model': 'returns__returns'},
        {'source': 'consent', 'table': 'consent_events', 'model': 'consent__events'},
        {'source': 'privacy', 'table': 'privacy_requests', 'model': 'privacy__requests'},
        {'source': 'enrichment', 'table': 'enrichment_demographics', 'model': 'enrichment__demographics'},
        {'source': 'catalog', 'table': 'products', 'model': 'catalog__products'},
        {'source': 'survey', 'table': 'survey_responses', 'model': 'survey__responses'},
        {'source': 'social', 'table': 'social_profiles', 'model': 'social__profiles'},
    ]) }}
{%- endmacro %}
