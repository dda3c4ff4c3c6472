"""A hand-made raw delivery with exactly known duplicates and bad rows.

Every raw table gets rows whose fate we decide here from the contract's rules, not
from the generator's habits: kept, duplicate (redelivery or superseded) or
quarantined with a given reason. One dbt build; many assertions.
"""

from __future__ import annotations

import pytest

from conftest import land_rows, query, run_dbt

T0 = "2024-03-01T10:00:00Z"

RAW = {
    "crm_contacts": [
        {
            "contact_id": "c1",
            "email": "A@x.com",
            "created_at": T0,
            "updated_at": "2024-03-01",
            "_loaded_at": "2024-03-02 00:00:00",
        },
        {
            "contact_id": "c1",
            "email": "B@x.com",
            "created_at": T0,
            "updated_at": "2024-04-01",
            "_loaded_at": "2024-04-02 00:00:00",
        },
        {
            "contact_id": "c1",
            "email": "B@x.com",
            "created_at": T0,
            "updated_at": "2024-04-01",
            "_loaded_at": "2024-04-05 00:00:00",
        },  # re-delivered latest version
        {"contact_id": " c2 ", "created_at": T0},
        {"contact_id": "", "created_at": T0},  # missing key
        {"contact_id": "c3", "created_at": "yesterday"},  # unparseable business timestamp
    ],
    "shop_customers": [
        {"customer_id": "s1", "created_at": T0, "updated_at": "2024-03-02"},
        {"customer_id": "s1", "created_at": T0, "updated_at": "2024-03-05"},
        {"customer_id": "s2", "created_at": None},  # missing business timestamp
    ],
    "shop_orders": [
        {
            "order_id": "o1",
            "status": "placed",
            "currency": "EUR",
            "ordered_at": T0,
            "_loaded_at": "2024-03-01 11:00:00",
        },
        {
            "order_id": "o1",
            "status": "paid",
            "currency": "EUR",
            "ordered_at": T0,
            "_loaded_at": "2024-03-01 12:00:00",
        },
        {
            "order_id": "o1",
            "status": "delivered",
            "currency": "EUR",
            "ordered_at": T0,
            "_loaded_at": "2024-03-04 12:00:00",
        },
        {"order_id": "o2", "status": "lost", "currency": "EUR", "ordered_at": T0},
        {"order_id": "o3", "status": "paid", "currency": "ABC", "ordered_at": T0},
    ],
    "shop_order_lines": [
        {"order_id": "o1", "line_number": "1", "sku": "K1", "quantity": "1", "unit_price": "10"},
        {
            "order_id": "o1",
            "line_number": "1",
            "sku": "K1",
            "quantity": "1",
            "unit_price": "10",
            "_loaded_at": "2025-01-02 00:00:00",
        },
        {"order_id": "o1", "line_number": "2", "sku": "K1", "quantity": "-1", "unit_price": "10"},
    ],
    "pos_transactions": [
        {"transaction_id": "t1", "currency": "EUR", "amount": "5", "transacted_at": T0},
        {
            "transaction_id": "t1",
            "currency": "EUR",
            "amount": "5",
            "transacted_at": T0,
            "_loaded_at": "2025-01-03 00:00:00",
        },
        {"transaction_id": "t2", "currency": "EUR", "amount": "-3", "transacted_at": T0},
        {"transaction_id": "t3", "currency": "EUR", "amount": "3", "transacted_at": " "},
    ],
    "loyalty_members": [{"loyalty_id": "l1", "enrolled_at": T0}],
    "web_events": [
        {"event_id": "e1", "event_type": "page_view", "occurred_at": T0},
        {
            "event_id": "e1",
            "event_type": "page_view",
            "occurred_at": T0,
            "_loaded_at": "2025-01-01 00:05:00",
        },
        {"event_id": "e2", "event_type": "purchase", "occurred_at": T0},
        {"event_id": "e3", "event_type": "page_view", "occurred_at": "2024-02-30T10:00:00Z"},
    ],
    "email_activity": [
        {"activity_id": "a1", "activity_type": "open", "occurred_at": T0},
        {"activity_id": "a2", "activity_type": "forward", "occurred_at": T0},
    ],
    "support_tickets": [
        {"ticket_id": "k1", "csat_score": "5", "created_at": T0},
        {"ticket_id": "k2", "csat_score": "9", "created_at": T0},
    ],
    "returns": [
        {
            "return_id": "r1",
            "order_id": "o1",
            "quantity": "1",
            "refund_amount": "10",
            "currency": "EUR",
            "returned_at": T0,
        },
        {
            "return_id": "r2",
            "order_id": "o1",
            "pos_transaction_id": "t1",
            "quantity": "1",
            "refund_amount": "10",
            "currency": "EUR",
            "returned_at": T0,
        },
    ],
    "consent_events": [
        {
            "event_id": "ce1",
            "identifier_type": "email",
            "identifier_value": "a@x.com",
            "purpose": "analytics",
            "status": "granted",
            "occurred_at": T0,
        },
        {
            "event_id": "ce1",
            "identifier_type": "email",
            "identifier_value": "a@x.com",
            "purpose": "analytics",
            "status": "granted",
            "occurred_at": T0,
            "_loaded_at": "2025-01-04 00:00:00",
        },
        {
            "event_id": "ce2",
            "identifier_type": "fax",
            "identifier_value": "1",
            "purpose": "analytics",
            "status": "granted",
            "occurred_at": T0,
        },
    ],
    "privacy_requests": [
        {
            "request_id": "p1",
            "identifier_type": "email",
            "identifier_value": "a@x.com",
            "request_type": "erasure",
            "received_at": T0,
        },
        {
            "request_id": "p2",
            "identifier_type": "email",
            "identifier_value": "a@x.com",
            "request_type": "delete_everything",
            "received_at": T0,
        },
    ],
    "enrichment_demographics": [
        {"email_sha256": "a" * 64, "provider": "p", "acquired_at": "2024-05-01"},
        {"email_sha256": "A" * 64, "provider": "P", "acquired_at": "2024-04-01"},
        {"email_sha256": "not-a-hash", "provider": "p", "acquired_at": "2024-05-01"},
    ],
    "products": [
        {"sku": "K1", "unit_cost": "4", "currency": "EUR"},
        {"sku": "K1", "unit_cost": "4", "currency": "EUR", "_loaded_at": "2025-02-01 00:00:00"},
        {"sku": "K2", "unit_cost": "n/a", "currency": "EUR"},
    ],
    "survey_responses": [
        {"response_id": "v1", "nps_score": "10", "submitted_at": T0},
        {"response_id": "v2", "nps_score": "11", "submitted_at": T0},
    ],
    "social_profiles": [{"profile_id": "sp1", "updated_at": T0}],
}

# raw table: (kept, duplicate, quarantined)
EXPECTED_COUNTS = {
    "crm_contacts": (2, 2, 2),
    "shop_customers": (1, 1, 1),
    "shop_orders": (1, 2, 2),
    "shop_order_lines": (1, 1, 1),
    "pos_transactions": (1, 1, 2),
    "loyalty_members": (1, 0, 0),
    "web_events": (1, 1, 2),
    "email_activity": (1, 0, 1),
    "support_tickets": (1, 0, 1),
    "returns": (1, 0, 1),
    "consent_events": (1, 1, 1),
    "privacy_requests": (1, 0, 1),
    "enrichment_demographics": (1, 1, 1),
    "products": (1, 1, 1),
    "survey_responses": (1, 0, 1),
    "social_profiles": (1, 0, 0),
}

EXPECTED_QUARANTINE = {
    ("crm_contacts", ""): "missing_key",
    ("crm_contacts", "c3"): "unparseable_business_timestamp",
    ("shop_customers", "s2"): "missing_business_timestamp",
    ("shop_orders", "o2"): "unknown_status",
    ("shop_orders", "o3"): "unknown_currency",
    ("shop_order_lines", "o1#2"): "negative_quantity",
    ("pos_transactions", "t2"): "negative_amount",
    ("pos_transactions", "t3"): "missing_business_timestamp",
    ("web_events", "e2"): "unknown_event_type",
    ("web_events", "e3"): "unparseable_business_timestamp",
    ("email_activity", "a2"): "unknown_activity_type",
    ("support_tickets", "k2"): "score_out_of_range",
    ("returns", "r2"): "ambiguous_return_reference",
    ("consent_events", "ce2"): "unknown_identifier_type",
    ("privacy_requests", "p2"): "unknown_request_type",
    ("enrichment_demographics", "not-a-hash#p"): "invalid_identifier_value",
    ("products", "K2"): "unparseable_number",
    ("survey_responses", "v2"): "score_out_of_range",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    database = tmp_path_factory.mktemp("outcomes") / "cdp.duckdb"
    land_rows(database, RAW)
    result = run_dbt(database, "build")
    assert result.success, result.output
    return database


def test_counts_per_table_are_exactly_the_hand_made_ones(built):
    rows = query(
        built,
        "select raw_table, raw_rows, kept_rows, duplicate_rows, quarantined_rows,"
        " is_reconciled from data_quality.dq_source_reconciliation",
    )
    actual = {r[0]: r[1:] for r in rows}
    for table, (kept, duplicate, quarantined) in EXPECTED_COUNTS.items():
        raw = len(RAW[table])
        assert actual[table] == (raw, kept, duplicate, quarantined, True), table


STG_MODELS = {
    "crm_contacts": "stg_crm__contacts",
    "shop_customers": "stg_shop__customers",
    "shop_orders": "stg_shop__orders",
    "shop_order_lines": "stg_shop__order_lines",
    "pos_transactions": "stg_pos__transactions",
    "loyalty_members": "stg_loyalty__members",
    "web_events": "stg_web__events",
    "email_activity": "stg_email__activities",
    "support_tickets": "stg_support__tickets",
    "returns": "stg_returns__returns",
    "consent_events": "stg_consent__events",
    "privacy_requests": "stg_privacy__requests",
    "enrichment_demographics": "stg_enrichment__demographics",
    "products": "stg_catalog__products",
    "survey_responses": "stg_survey__responses",
    "social_profiles": "stg_social__profiles",
}


def test_stg_models_hold_exactly_the_kept_rows(built):
    for table, (kept, _, _) in EXPECTED_COUNTS.items():
        model = STG_MODELS[table]
        assert query(built, f"select count(*) from staging.{model}")[0][0] == kept, model


def test_every_quarantined_row_has_its_reason(built):
    rows = query(
        built,
        "select raw_table, raw_key, reason_code, reason from data_quality.dq_quarantined_rows",
    )
    assert {(t, k): code for t, k, code, _ in rows} == EXPECTED_QUARANTINE
    assert all(reason for *_, reason in rows), "every reason code has a description"


def test_duplicates_say_whether_redelivered_or_superseded(built):
    rows = query(
        built,
        "select raw_table, raw_key, duplicate_kind from "
        "data_quality.dq_duplicate_rows order by all",
    )
    assert sorted(rows) == sorted(
        [
            ("consent_events", "ce1", "redelivery"),
            ("crm_contacts", "c1", "redelivery"),
            ("crm_contacts", "c1", "superseded"),
            (
                "enrichment_demographics",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA#P",
                "superseded",
            ),
            ("pos_transactions", "t1", "redelivery"),
            ("products", "K1", "redelivery"),
            ("shop_customers", "s1", "superseded"),
            ("shop_order_lines", "o1#1", "redelivery"),
            ("shop_orders", "o1", "superseded"),
            ("shop_orders", "o1", "superseded"),
            ("web_events", "e1", "redelivery"),
        ]
    )


def test_kept_versions_are_the_latest(built):
    assert query(built, "select contact_id, email from staging.stg_crm__contacts order by 1") == [
        ("c1", "b@x.com"),
        ("c2", None),
    ]
    assert query(built, "select status from staging.stg_shop__orders") == [("delivered",)]
    assert query(built, "select _loaded_at from staging.stg_web__events")[0][0].isoformat() == (
        "2025-01-01T00:00:00"
    )


def test_quarantine_never_fills_timestamps_from_loaded_at(built):
    """A row without a usable business timestamp is not in staging at all."""
    assert (
        query(
            built, "select count(*) from staging.stg_pos__transactions where transaction_id = 't3'"
        )[0][0]
        == 0
    )
    assert (
        query(built, "select count(*) from staging.stg_crm__contacts where contact_id = 'c3'")[0][0]
        == 0
    )
