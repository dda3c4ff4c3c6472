-- Every identifier every customer record carries (docs/contract.md §2: identifiers that appear
-- together on one source record are linked). Consent events, privacy requests and
-- enrichment are signals about identifiers, not customer records: they attach to
-- customers later and never link or create one.
with

crm_contacts as (
    {{ identifiers_of(
        ref('stg_crm__contacts'), 'crm_contacts', 'contact_id',
        {'crm_contact_id': 'contact_id', 'email': 'email', 'phone': 'phone'},
        'created_at', 'coalesce(updated_at, created_at)', where='not is_deleted'
    ) }}
),

shop_customers as (
    {{ identifiers_of(
        ref('stg_shop__customers'), 'shop_customers', 'customer_id',
        {'shop_customer_id': 'customer_id', 'email': 'email', 'phone': 'phone'},
        'created_at', 'coalesce(updated_at, created_at)'
    ) }}
),

shop_orders as (
    {{ identifiers_of(
        ref('stg_shop__orders'), 'shop_orders', 'order_id',
        {'shop_customer_id': 'customer_id', 'email': 'email', 'phone': 'phone'},
        'ordered_at'
    ) }}
),

loyalty_members as (
    {{ identifiers_of(
        ref('stg_loyalty__members'), 'loyalty_members', 'loyalty_id',
        {'loyalty_id': 'loyalty_id', 'email': 'email', 'phone': 'phone'},
        'enrolled_at', 'coalesce(updated_at, enrolled_at)'
    ) }}
),

pos_transactions as (
    {{ identifiers_of(
        ref('stg_pos__transactions'), 'pos_transactions', 'transaction_id',
        {'loyalty_id': 'loyalty_id', 'email': 'email', 'phone': 'phone'},
        'transacted_at'
    ) }}
),

web_events as (
    {{ identifiers_of(
        ref('stg_web__events'), 'web_events', 'event_id',
        {'anonymous_id': 'anonymous_id', 'shop_customer_id': 'customer_id', 'email': 'email'},
        'occurred_at'
    ) }}
),

email_activities as (
    {{ identifiers_of(
        ref('stg_email__activities'), 'email_activity', 'activity_id',
        {'email': 'email'}, 'occurred_at'
    ) }}
),

support_tickets as (
    {{ identifiers_of(
        ref('stg_support__tickets'), 'support_tickets', 'ticket_id',
        {'email': 'email', 'phone': 'phone'}, 'created_at'
    ) }}
),

survey_responses as (
    {{ identifiers_of(
        ref('stg_survey__responses'), 'survey_responses', 'response_id',
        {'email': 'email'}, 'submitted_at'
    ) }}
),

social_profiles as (
    {{ identifiers_of(
        ref('stg_social__profiles'), 'social_profiles', 'profile_id',
        {'email': 'email'}, 'updated_at'
    ) }}
),

-- national-format phones on country-less records, completed with the customer's country
completed_phones as (
    select
        source_table,
        record_key,
        'phone' as identifier_type,
        phone as identifier_value,
        first_seen_at,
        last_seen_at
    from {{ ref('int_national_phones_completed') }}
),

final as (
    select * from crm_contacts
    union all
    select * from shop_customers
    union all
    select * from shop_orders
    union all
    select * from loyalty_members
    union all
    select * from pos_transactions
    union all
    select * from web_events
    union all
    select * from email_activities
    union all
    select * from support_tickets
    union all
    select * from survey_responses
    union all
    select * from social_profiles
    union all
    select * from completed_phones
)

select * from final
