-- Every identifier every customer record carries, as the record carries it
-- (docs/contract.md §2: identifiers that appear together on one source record are
-- linked). Phones typed in national format on records without a country are not here
-- yet: int_national_phones_completed completes them, int_identifier_occurrences adds
-- them. Consent events, privacy requests and enrichment are signals about
-- identifiers, not customer records: they attach to customers later and never link
-- or create one.
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
)

select * from final
