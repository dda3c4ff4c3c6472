"""Identity stitching scenarios from docs/contract.md §2, with hand-made raw data and two builds.

Build 1 lands the scenarios; build 2 adds unrelated records and one record that
merges two earlier customers, to check that ids are stable and the older survives.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import land_rows, query, run_dbt

STORE_PHONE = "+44 20 7946 0000"

SCENARIOS = {
    "crm_contacts": [
        # A: five sources, linked transitively
        {"contact_id": "C-A", "email": "Anna@A.com", "country": "DE", "created_at": "2023-01-01"},
        # G: a deleted contact links nothing
        {
            "contact_id": "C-G",
            "email": "g@x.com",
            "phone": "+4915199999999",
            "country": "DE",
            "is_deleted": "yes",
            "created_at": "2023-01-01",
        },
    ],
    "shop_customers": [
        {
            "customer_id": "S-A",
            "email": "anna@a.com",
            "phone": "0151 00000001",
            "country": "DE",
            "created_at": "2023-02-01",
        },
        {"customer_id": "S-D", "email": "d@x.com", "created_at": "2023-03-01"},
        {"customer_id": "S-G", "email": "g@x.com", "created_at": "2023-03-01"},
        # M1: older of two customers merged in build 2
        {"customer_id": "S-M1", "email": "m1@x.com", "created_at": "2022-01-01"},
        # P: a British shop account; the same person's loyalty card has a national phone
        {
            "customer_id": "S-P",
            "email": "p@x.com",
            "country": "United Kingdom",
            "created_at": "2023-01-01",
        },
    ],
    "loyalty_members": [
        {"loyalty_id": "L-A", "phone": "+49 151 00000001", "enrolled_at": "2023-03-01"},
        # B: a store's phone typed on three members' cards
        {
            "loyalty_id": "L-B1",
            "email": "b1@x.com",
            "phone": STORE_PHONE,
            "enrolled_at": "2023-01-01",
        },
        {
            "loyalty_id": "L-B2",
            "email": "b2@x.com",
            "phone": STORE_PHONE,
            "enrolled_at": "2023-01-02",
        },
        {
            "loyalty_id": "L-B3",
            "email": "b3@x.com",
            "phone": STORE_PHONE,
            "enrolled_at": "2023-01-03",
        },
        # M2: the younger customer
        {"loyalty_id": "L-M2", "email": "m2@x.com", "enrolled_at": "2023-06-01"},
        {
            "loyalty_id": "L-P",
            "email": "p@x.com",
            "phone": "020 7946 0123",
            "enrolled_at": "2023-02-01",
        },
        # Q: a national phone and no way to know the country: not used
        {
            "loyalty_id": "L-Q",
            "email": "q@x.com",
            "phone": "020 7946 0456",
            "enrolled_at": "2023-02-01",
        },
    ],
    "pos_transactions": [
        {
            "transaction_id": "T-A",
            "loyalty_id": "L-A",
            "email": "anna.work@b.com",
            "currency": "EUR",
            "amount": "10",
            "transacted_at": "2023-04-01",
        },
        # F: a sale keyed only by the store's phone is anonymous revenue
        {
            "transaction_id": "T-F",
            "phone": STORE_PHONE,
            "currency": "EUR",
            "amount": "10",
            "transacted_at": "2023-04-01",
        },
    ],
    "support_tickets": [
        {"ticket_id": "K-A", "email": " ANNA.WORK@B.COM ", "created_at": "2023-05-01"},
    ],
    "web_events": [
        {
            "event_id": "E-A",
            "anonymous_id": "anon-A",
            "customer_id": "S-A",
            "event_type": "login",
            "occurred_at": "2023-06-01",
        },
        # D: browsing anonymously, then logging in
        {
            "event_id": "E-D1",
            "anonymous_id": "anon-D",
            "event_type": "page_view",
            "occurred_at": "2022-12-01T10:00:00Z",
        },
        {
            "event_id": "E-D2",
            "anonymous_id": "anon-D",
            "event_type": "product_view",
            "occurred_at": "2022-12-01T10:05:00Z",
        },
        {
            "event_id": "E-D3",
            "anonymous_id": "anon-D",
            "customer_id": "S-D",
            "event_type": "login",
            "occurred_at": "2023-03-02T10:00:00Z",
        },
        # E: a visitor who never identifies
        {
            "event_id": "E-E",
            "anonymous_id": "anon-E",
            "event_type": "page_view",
            "occurred_at": "2023-01-01",
        },
    ],
    "shop_orders": [
        # C: test@test.com on two strangers' guest checkouts
        {
            "order_id": "O-C1",
            "email": "test@test.com",
            "phone": "06 11 11 11 11",
            "status": "paid",
            "currency": "EUR",
            "ordered_at": "2023-01-01",
            "shipping_country": "FR",
        },
        {
            "order_id": "O-C2",
            "email": "TEST@test.com",
            "phone": "06 22 22 22 22",
            "status": "paid",
            "currency": "EUR",
            "ordered_at": "2023-01-02",
            "shipping_country": "FR",
        },
    ],
}

ADDED_IN_BUILD_2 = {
    "shop_customers": [
        {"customer_id": "S-NEW", "email": "new@x.com", "created_at": "2021-01-01"},
    ],
    "pos_transactions": [
        {
            "transaction_id": "T-M",
            "loyalty_id": "L-M2",
            "email": "m1@x.com",
            "currency": "EUR",
            "amount": "5",
            "transacted_at": "2023-07-01",
        },
    ],
}


def customer_of(database, identifier_type: str, value: str) -> str:
    rows = query(
        database,
        "select distinct customer_id from marts.customer_identities "
        "where identifier_type = ? and identifier_value = ? and is_stitching",
        [identifier_type, value],
    )
    assert len(rows) == 1, f"{identifier_type} {value}: {rows}"
    return rows[0][0]


def identifiers_of(database, customer_id: str) -> set[tuple[str, str, bool]]:
    return set(
        query(
            database,
            "select identifier_type, identifier_value, is_stitching "
            "from marts.customer_identities where customer_id = ?",
            [customer_id],
        )
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("identity")
    first = folder / "first" / "cdp.duckdb"
    first.parent.mkdir()
    land_rows(first, SCENARIOS)
    result = run_dbt(first, "build")
    assert result.success, result.output
    # The second build continues the first warehouse (its id registry included), as a
    # user's next scheduled build does: same database, raw re-landed with new rows.
    second = folder / "second" / "cdp.duckdb"
    second.parent.mkdir()
    query(first, "checkpoint")  # dbt's in-process connection may still hold the WAL
    shutil.copyfile(first, second)
    combined = {
        table: SCENARIOS.get(table, []) + ADDED_IN_BUILD_2.get(table, [])
        for table in set(SCENARIOS) | set(ADDED_IN_BUILD_2)
    }
    land_rows(second, combined)
    result = run_dbt(second, "build")
    assert result.success, result.output
    return first, second


def test_transitive_merge_across_five_sources(builds):
    first, _ = builds
    customer = customer_of(first, "crm_contact_id", "C-A")
    assert {(t, v) for t, v, stitching in identifiers_of(first, customer) if stitching} == {
        ("crm_contact_id", "C-A"),
        ("email", "anna@a.com"),
        ("shop_customer_id", "S-A"),
        ("phone", "+4915100000001"),
        ("loyalty_id", "L-A"),
        ("email", "anna.work@b.com"),
        ("anonymous_id", "anon-A"),
    }


def test_a_store_phone_on_many_cards_does_not_merge_strangers(builds):
    first, _ = builds
    customers = {customer_of(first, "loyalty_id", f"L-B{n}") for n in (1, 2, 3)}
    assert len(customers) == 3
    for customer in customers:
        assert ("phone", "+442079460000", False) in identifiers_of(first, customer)
    reason = query(
        first,
        "select distinct non_stitching_reason from marts.customer_identities "
        "where identifier_value = '+442079460000'",
    )
    assert reason == [("shared",)]


def test_test_at_test_com_does_not_merge_strangers(builds):
    first, _ = builds
    one = customer_of(first, "phone", "+33611111111")
    two = customer_of(first, "phone", "+33622222222")
    assert one != two
    for customer in (one, two):
        assert ("email", "test@test.com", False) in identifiers_of(first, customer)


def test_anonymous_visitor_is_joined_when_they_log_in(builds):
    first, _ = builds
    customer = customer_of(first, "shop_customer_id", "S-D")
    assert customer_of(first, "anonymous_id", "anon-D") == customer
    first_seen = query(
        first,
        "select min(first_seen_at) from marts.customer_identities where customer_id = ?",
        [customer],
    )[0][0]
    assert first_seen.isoformat() == "2022-12-01T10:00:00", "browsing before login counts"


def test_anonymous_only_visitor_is_a_customer_of_its_own(builds):
    first, _ = builds
    customer = customer_of(first, "anonymous_id", "anon-E")
    assert identifiers_of(first, customer) == {("anonymous_id", "anon-E", True)}


def test_a_record_with_only_non_stitching_identifiers_belongs_to_no_customer(builds):
    first, _ = builds
    rows = query(
        first,
        "select customer_id, is_stitched from intermediate.int_records_stitched "
        "where source_table = 'pos_transactions' and record_key = 'T-F'",
    )
    assert rows == [(None, False)]


def test_a_deleted_crm_contact_links_nothing(builds):
    first, _ = builds
    customer = customer_of(first, "shop_customer_id", "S-G")
    assert {t for t, _, _ in identifiers_of(first, customer)} == {"shop_customer_id", "email"}
    assert query(
        first,
        "select count(*) from marts.customer_identities "
        "where identifier_value in ('C-G', '+4915199999999')",
    ) == [(0,)]


def test_a_national_phone_without_country_uses_the_customers_country(builds):
    first, _ = builds
    customer = customer_of(first, "shop_customer_id", "S-P")
    assert customer_of(first, "phone", "+442079460123") == customer
    assert customer_of(first, "loyalty_id", "L-P") == customer
    unknown = customer_of(first, "loyalty_id", "L-Q")
    assert {t for t, _, _ in identifiers_of(first, unknown)} == {"loyalty_id", "email"}


def test_ids_do_not_change_when_unrelated_records_arrive(builds):
    first, second = builds
    for identifier in [
        ("crm_contact_id", "C-A"),
        ("loyalty_id", "L-B2"),
        ("phone", "+33611111111"),
        ("anonymous_id", "anon-D"),
        ("anonymous_id", "anon-E"),
        ("shop_customer_id", "S-G"),
    ]:
        assert customer_of(first, *identifier) == customer_of(second, *identifier), identifier


def test_a_merge_keeps_the_older_customers_id(builds):
    first, second = builds
    older = customer_of(first, "shop_customer_id", "S-M1")
    younger = customer_of(first, "loyalty_id", "L-M2")
    assert older != younger
    assert customer_of(second, "loyalty_id", "L-M2") == older
    assert customer_of(second, "shop_customer_id", "S-M1") == older
    assert query(
        second, "select count(*) from marts.customer_identities where customer_id = ?", [younger]
    ) == [(0,)]


def test_every_stitching_identifier_has_exactly_one_customer(builds):
    for database in builds:
        assert query(
            database,
            """
            select count(*) from (
                select identifier_type, identifier_value from marts.customer_identities
                where is_stitching group by all having count(distinct customer_id) <> 1)
        """,
        ) == [(0,)]
