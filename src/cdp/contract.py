"""The raw landing contract of SPEC section 1: table names and their columns.

Every contract column lands as VARCHAR; the loader adds ``_loaded_at TIMESTAMP``.
"""

RAW_SCHEMA = "raw"
LOADED_AT = "_loaded_at"

RAW_TABLES: dict[str, tuple[str, ...]] = {
    "crm_contacts": (
        "contact_id", "brand", "first_name", "last_name", "email", "phone", "birth_date",
        "city", "postal_code", "country", "created_at", "updated_at", "is_deleted",
    ),
    "shop_customers": (
        "customer_id", "brand", "email", "phone", "first_name", "last_name", "country",
        "accepts_marketing", "created_at", "updated_at",
    ),
    "shop_orders": (
        "order_id", "brand", "customer_id", "email", "phone", "status", "currency",
        "ordered_at", "shipping_country",
    ),
    "shop_order_lines": (
        "order_id", "line_number", "sku", "quantity", "unit_price", "discount_amount",
    ),
    "pos_transactions": (
        "transaction_id", "store_id", "brand", "loyalty_id", "email", "phone", "currency",
        "amount", "transacted_at",
    ),
    "loyalty_members": (
        "loyalty_id", "brand", "email", "phone", "first_name", "last_name", "tier",
        "enrolled_at", "updated_at",
    ),
    "web_events": (
        "event_id", "anonymous_id", "customer_id", "email", "event_type", "platform",
        "page_url", "sku", "occurred_at", "received_at",
    ),
    "email_activity": (
        "activity_id", "email", "campaign_id", "activity_type", "occurred_at",
    ),
    "support_tickets": (
        "ticket_id", "email", "phone", "channel", "category", "csat_score", "body",
        "created_at",
    ),
    "returns": (
        "return_id", "order_id", "pos_transaction_id", "sku", "quantity", "refund_amount",
        "currency", "returned_at", "reason",
    ),
    "consent_events": (
        "event_id", "identifier_type", "identifier_value", "purpose", "status", "source",
        "policy_version", "occurred_at",
    ),
    "privacy_requests": (
        "request_id", "identifier_type", "identifier_value", "request_type", "received_at",
    ),
    "enrichment_demographics": (
        "email_sha256", "provider", "age_band", "income_band", "interests", "acquired_at",
    ),
    "products": ("sku", "brand", "name", "category", "unit_cost", "currency"),
    "survey_responses": (
        "response_id", "email", "survey", "nps_score", "comment", "submitted_at",
    ),
    "social_profiles": (
        "profile_id", "platform", "handle", "email", "follower_count", "updated_at",
    ),
}
