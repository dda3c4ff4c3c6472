"""A hand-made raw delivery with exactly known duplicates and bad rows.

Every raw table gets rows whose fate we decide here from the contract's rules, not
from the generator's habits: kept, duplicate (redelivery or superseded) or
quarantined with a given reason. One dbt build; many assertions.

Among them the input that used to move or break the whole build: an event dated
2099 (it moved the as-of date), numbers too large for their type (a 16-digit store
amount failed the build), a sale of two million euros, and an unreadable deletion
flag (it brought a deleted contact back).
"""

from __future__ import annotations

import datetime
import shutil

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
        # created long after it landed: a typo or a broken clock, not a fact
        {"contact_id": "c4", "created_at": "2099-06-01", "_loaded_at": "2024-03-02 00:00:00"},
        # a version time after landing: it would win every later version
        {
            "contact_id": "c5",
            "created_at": T0,
            "updated_at": "2099-01-01T00:00:00Z",
            "_loaded_at": "2024-03-05 00:00:00",
        },
        # deleted, then a later version whose flag nobody can read: still deleted
        {
            "contact_id": "c6",
            "email": "deleted@x.com",
            "created_at": T0,
            "updated_at": "2024-03-01",
            "is_deleted": "yes",
            "_loaded_at": "2024-03-02 00:00:00",
        },
        {
            "contact_id": "c6",
            "email": "deleted@x.com",
            "created_at": T0,
            "updated_at": "2024-04-01",
            "is_deleted": "maybe",
            "_loaded_at": "2024-04-02 00:00:00",
        },
        {"contact_id": "c7", "created_at": T0, "is_deleted": "2"},
        # a birth date beyond any calendar's range: the value is dropped, the contact kept
        {"contact_id": "c8", "created_at": T0, "birth_date": "99999-01-01"},
    ],
    "shop_customers": [
        {"customer_id": "s1", "created_at": T0, "updated_at": "2024-03-02"},
        {"customer_id": "s1", "created_at": T0, "updated_at": "2024-03-05"},
        {"customer_id": "s2", "created_at": None},  # missing business timestamp
    ],
    "shop_orders": [
        {
            "order_id": "o1",
            "customer_id": "s1",
            "status": "placed",
            "currency": "EUR",
            "ordered_at": T0,
            "_loaded_at": "2024-03-01 11:00:00",
        },
        {
            "order_id": "o1",
            "customer_id": "s1",
            "status": "paid",
            "currency": "EUR",
            "ordered_at": T0,
            "_loaded_at": "2024-03-01 12:00:00",
        },
        {
            "order_id": "o1",
            "customer_id": "s1",
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
        # 20 digits: beyond BIGINT
        {
            "order_id": "o1",
            "line_number": "3",
            "sku": "K1",
            "quantity": "99999999999999999999",
            "unit_price": "10",
        },
        # a barcode scanned into the quantity field
        {
            "order_id": "o1",
            "line_number": "4",
            "sku": "K1",
            "quantity": "4006381333931",
            "unit_price": "10",
        },
        # each number fine, the line worth 20 billion
        {
            "order_id": "o1",
            "line_number": "5",
            "sku": "K1",
            "quantity": "100000",
            "unit_price": "200000",
        },
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
        # 16 digits: beyond DECIMAL(18, 4); it failed the whole build
        {
            "transaction_id": "t4",
            "currency": "EUR",
            "amount": "1234567890123456",
            "transacted_at": T0,
        },
        # 11 digits: readable, but no single sale is worth ten billion
        {"transaction_id": "t5", "currency": "EUR", "amount": "12345678901", "transacted_at": T0},
        # two million euros is a large sale, not an error (it overflowed the conversion)
        {"transaction_id": "t6", "currency": "EUR", "amount": "2000000.00", "transacted_at": T0},
        # the Unix epoch: a system's placeholder for "no date", not a sale in 1970
        {
            "transaction_id": "t7",
            "currency": "EUR",
            "amount": "5",
            "transacted_at": "1970-01-01T00:00:00Z",
        },
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
        # dated 2099 in a delivery landed in 2024: it moved the as-of date to 2099
        {
            "event_id": "e4",
            "event_type": "page_view",
            "occurred_at": "2099-01-01T00:00:00Z",
            "_loaded_at": "2024-03-01 10:05:00",
        },
        # received (version time) in 2099
        {
            "event_id": "e5",
            "event_type": "page_view",
            "occurred_at": T0,
            "received_at": "2099-01-01T00:00:00Z",
            "_loaded_at": "2024-03-01 10:05:00",
        },
        # the device clock is 30 minutes fast: ordinary skew, kept; the latest interaction
        {
            "event_id": "e6",
            "event_type": "page_view",
            "occurred_at": "2024-03-02T10:30:00Z",
            "_loaded_at": "2024-03-02 10:00:00",
        },
        # a time-zone mistake: local time in UTC+14 sent as UTC, 14 hours ahead; kept
        {
            "event_id": "e7",
            "event_type": "page_view",
            "occurred_at": "2024-03-01T23:00:00",
            "_loaded_at": "2024-03-01 09:30:00",
        },
    ],
    "email_activity": [
        {"activity_id": "a1", "activity_type": "open", "occurred_at": T0},
        {"activity_id": "a2", "activity_type": "forward", "occurred_at": T0},
    ],
    "support_tickets": [
        {"ticket_id": "k1", "csat_score": "5", "created_at": T0},
        {"ticket_id": "k2", "csat_score": "9", "created_at": T0},
        {"ticket_id": "k3", "csat_score": "99999999999999999999", "created_at": T0},
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
        {
            "return_id": "r3",
            "order_id": "o1",
            "quantity": "1",
            "refund_amount": "12345678901234567",
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
        {"sku": "K3", "unit_cost": "99999999999", "currency": "EUR"},
    ],
    "survey_responses": [
        {"response_id": "v1", "nps_score": "10", "submitted_at": T0},
        {"response_id": "v2", "nps_score": "11", "submitted_at": T0},
    ],
    "social_profiles": [
        {"profile_id": "sp1", "updated_at": T0},
        # more followers than people on earth
        {"profile_id": "sp2", "updated_at": T0, "follower_count": "20000000000"},
    ],
}

# raw table: (kept, duplicate, quarantined)
EXPECTED_COUNTS = {
    "crm_contacts": (4, 2, 6),
    "shop_customers": (1, 1, 1),
    "shop_orders": (1, 2, 2),
    "shop_order_lines": (1, 1, 4),
    "pos_transactions": (2, 1, 5),
    "loyalty_members": (1, 0, 0),
    "web_events": (3, 1, 4),
    "email_activity": (1, 0, 1),
    "support_tickets": (1, 0, 2),
    "returns": (1, 0, 2),
    "consent_events": (1, 1, 1),
    "privacy_requests": (1, 0, 1),
    "enrichment_demographics": (1, 1, 1),
    "products": (1, 1, 2),
    "survey_responses": (1, 0, 1),
    "social_profiles": (1, 0, 1),
}

EXPECTED_QUARANTINE = {
    ("crm_contacts", ""): "missing_key",
    ("crm_contacts", "c3"): "unparseable_business_timestamp",
    ("crm_contacts", "c4"): "timestamp_after_landing",
    ("crm_contacts", "c5"): "timestamp_after_landing",
    ("crm_contacts", "c6"): "unparseable_boolean",
    ("crm_contacts", "c7"): "unparseable_boolean",
    ("shop_customers", "s2"): "missing_business_timestamp",
    ("shop_orders", "o2"): "unknown_status",
    ("shop_orders", "o3"): "unknown_currency",
    ("shop_order_lines", "o1#2"): "negative_quantity",
    ("shop_order_lines", "o1#3"): "unparseable_number",
    ("shop_order_lines", "o1#4"): "number_out_of_range",
    ("shop_order_lines", "o1#5"): "number_out_of_range",
    ("pos_transactions", "t2"): "negative_amount",
    ("pos_transactions", "t3"): "missing_business_timestamp",
    ("pos_transactions", "t4"): "unparseable_number",
    ("pos_transactions", "t5"): "number_out_of_range",
    ("pos_transactions", "t7"): "timestamp_before_earliest_date",
    ("web_events", "e2"): "unknown_event_type",
    ("web_events", "e3"): "unparseable_business_timestamp",
    ("web_events", "e4"): "timestamp_after_landing",
    ("web_events", "e5"): "timestamp_after_landing",
    ("email_activity", "a2"): "unknown_activity_type",
    ("support_tickets", "k2"): "score_out_of_range",
    ("support_tickets", "k3"): "unparseable_number",
    ("returns", "r2"): "ambiguous_return_reference",
    ("returns", "r3"): "unparseable_number",
    ("consent_events", "ce2"): "unknown_identifier_type",
    ("privacy_requests", "p2"): "unknown_request_type",
    ("enrichment_demographics", "not-a-hash#p"): "invalid_identifier_value",
    ("products", "K2"): "unparseable_number",
    ("products", "K3"): "number_out_of_range",
    ("survey_responses", "v2"): "score_out_of_range",
    ("social_profiles", "sp2"): "number_out_of_range",
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
        ("c6", "deleted@x.com"),
        ("c8", None),
    ]
    assert query(built, "select status from staging.stg_shop__orders") == [("delivered",)]
    assert query(built, "select _loaded_at from staging.stg_web__events where event_id = 'e1'")[0][
        0
    ].isoformat() == ("2025-01-01T00:00:00")


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


def test_a_date_after_landing_does_not_move_the_as_of_date(built):
    """The 2099 event is quarantined; the as-of date is the latest plausible interaction
    (e6, 2024-03-02 10:30, 30 minutes after it landed), so the customer who bought on
    2024-03-01 is a first-time buyer, not lapsed."""
    assert query(built, "select as_of_date from intermediate.int_as_of_date") == [
        (datetime.date(2024, 3, 2),)
    ]
    assert query(
        built,
        """
        select profiles.journey_stage
        from marts.customer_profiles as profiles
        inner join marts.customer_identities as identities
            on profiles.customer_id = identities.customer_id
        where identities.identifier_type = 'shop_customer_id'
            and identities.identifier_value = 's1'
        """,
    ) == [("first_time_buyer",)]
    assert query(built, "select max(occurred_at) from marts.customer_touchpoints") == [
        (datetime.datetime(2024, 3, 2, 10, 30),)
    ]


def test_large_but_real_amounts_are_kept_to_the_cent(built):
    assert query(
        built, "select amount from staging.stg_pos__transactions where transaction_id = 't6'"
    ) == [(2000000,)]
    assert query(
        built,
        "select gross_revenue from marts.customer_purchases"
        " where purchase_id = 'pos_transactions:t6'",
    ) == [(2000000,)]


def test_an_unreadable_deletion_flag_does_not_bring_a_contact_back(built):
    assert query(
        built, "select is_deleted from staging.stg_crm__contacts where contact_id = 'c6'"
    ) == [(True,)]
    # deleted contacts are no customer records: neither the id nor the email is anyone's
    assert (
        query(
            built,
            "select count(*) from marts.customer_identities where identifier_value in"
            " ('c6', 'deleted@x.com', 'c7')",
        )[0][0]
        == 0
    )


def test_an_impossible_birth_date_is_dropped_and_flagged(built):
    assert query(
        built,
        "select contact_id, birth_date, has_invalid_birth_date from staging.stg_crm__contacts"
        " where contact_id in ('c2', 'c8') order by 1",
    ) == [("c2", None, False), ("c8", None, True)]


def test_a_lost_row_breaks_the_reconciliation(built, tmp_path):
    """dq_source_reconciliation counts the raw table itself: a raw row that staging does
    not account for (here: one landed after the build, as a lost row would be) makes
    is_reconciled false, and the reconciliation test fails."""
    query(built, "checkpoint")  # the copy must hold every write, not leave some in the WAL
    database = tmp_path / "cdp.duckdb"
    shutil.copy(built, database)
    query(
        database,
        "insert into raw.survey_responses (response_id, nps_score, submitted_at, _loaded_at)"
        " values ('v9', '7', '2024-03-01', timestamp '2024-03-02 00:00:00')",
    )
    assert run_dbt(database, "run", "--select", "dq_source_reconciliation").success
    rows = query(
        database,
        "select raw_table, raw_rows, is_reconciled from data_quality.dq_source_reconciliation"
        " where not is_reconciled",
    )
    assert rows == [("survey_responses", len(RAW["survey_responses"]) + 1, False)]
    assert not run_dbt(database, "test", "--select", "assert_raw_rows_reconcile").success
