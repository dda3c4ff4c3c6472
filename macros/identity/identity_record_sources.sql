{#- The customer records of docs/contract.md §2 and the identifiers each carries: the
    one list int_identifiers_recorded unpivots and int_identifier_pairs_recorded pairs.
    Each entry: relation (a ref), source_table (raw table name), record_key (column),
    identifiers {identifier_type: column}, national_phone (the column of a phone typed
    in national format on a record without a country: int_national_phones_read reads
    it), first_seen_at / last_seen_at (business time), where (optional filter). Consent events, privacy requests and enrichment are
    signals about identifiers, not customer records: they are not here. -#}
{% macro identity_record_sources() -%}
    {{ return([
        {'relation': ref('stg_crm__contacts'), 'source_table': 'crm_contacts',
         'record_key': 'contact_id',
         'identifiers': {'crm_contact_id': 'contact_id', 'email': 'email', 'phone': 'phone'},
         'first_seen_at': 'created_at', 'last_seen_at': 'coalesce(updated_at, created_at)',
         'where': 'not is_deleted'},
        {'relation': ref('stg_shop__customers'), 'source_table': 'shop_customers',
         'record_key': 'customer_id',
         'identifiers': {'shop_customer_id': 'customer_id', 'email': 'email', 'phone': 'phone'},
         'first_seen_at': 'created_at', 'last_seen_at': 'coalesce(updated_at, created_at)'},
        {'relation': ref('stg_shop__orders'), 'source_table': 'shop_orders',
         'record_key': 'order_id',
         'identifiers': {'shop_customer_id': 'customer_id', 'email': 'email', 'phone': 'phone'},
         'first_seen_at': 'ordered_at'},
        {'relation': ref('stg_loyalty__members'), 'source_table': 'loyalty_members',
         'record_key': 'loyalty_id',
         'identifiers': {'loyalty_id': 'loyalty_id', 'email': 'email', 'phone': 'phone'},
         'national_phone': 'phone_national_digits',
         'first_seen_at': 'enrolled_at', 'last_seen_at': 'coalesce(updated_at, enrolled_at)'},
        {'relation': ref('stg_pos__transactions'), 'source_table': 'pos_transactions',
         'record_key': 'transaction_id',
         'identifiers': {'loyalty_id': 'loyalty_id', 'email': 'email', 'phone': 'phone'},
         'national_phone': 'phone_national_digits',
         'first_seen_at': 'transacted_at'},
        {'relation': ref('stg_web__events'), 'source_table': 'web_events',
         'record_key': 'event_id',
         'identifiers': {'anonymous_id': 'anonymous_id', 'shop_customer_id': 'customer_id',
                         'email': 'email'},
         'first_seen_at': 'occurred_at'},
        {'relation': ref('stg_email__activities'), 'source_table': 'email_activity',
         'record_key': 'activity_id', 'identifiers': {'email': 'email'},
         'first_seen_at': 'occurred_at'},
        {'relation': ref('stg_support__tickets'), 'source_table': 'support_tickets',
         'record_key': 'ticket_id', 'identifiers': {'email': 'email', 'phone': 'phone'},
         'national_phone': 'phone_national_digits',
         'first_seen_at': 'created_at'},
        {'relation': ref('stg_survey__responses'), 'source_table': 'survey_responses',
         'record_key': 'response_id', 'identifiers': {'email': 'email'},
         'first_seen_at': 'submitted_at'},
        {'relation': ref('stg_social__profiles'), 'source_table': 'social_profiles',
         'record_key': 'profile_id', 'identifiers': {'email': 'email'},
         'first_seen_at': 'updated_at'},
    ]) }}
{%- endmacro %}
