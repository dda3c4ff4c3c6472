"""Customer profiles, touchpoints and erasure (docs/contract.md §2 and 3), on hand-made raw data.

One build of a small raw set where every person exercises one rule: survivorship
by trust rank then recency, provenance, anonymous visitors, enrichment through the
hashed email only, experience data, journey stages and erasure.
"""

from __future__ import annotations

import hashlib

import pytest

from conftest import TEST_SECRET_SALT, build_scenario, query, query_dicts


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def keyed(identifier_type: str, value: str) -> str:
    """The project's keyed hash of an identifier (macro salted_hash) under the tests'
    secret."""
    return sha256(f"{TEST_SECRET_SALT}:{identifier_type}:{value}")


# R asks for erasure: none of these may remain anywhere in the marts in clear text.
ERASED_VALUES = [
    "rosa.erased@example.com",
    "+4915112345678",
    "Rosalind",
    "Erasmus",
    "Rostock",
    "18055",
    "1980-02-29",
]

RAW = {
    "crm_contacts": [
        # T: two CRM versions of two contacts, one loyalty card (trust beats recency)
        {
            "contact_id": "C-T1",
            "email": "t@x.com",
            "first_name": "Theresa",
            "last_name": "Crm",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
            "birth_date": "1990-05-17",
            "created_at": "2021-01-01",
            "updated_at": "2022-01-01",
        },
        {
            "contact_id": "C-T2",
            "email": "t@x.com",
            "city": "Hamburg",
            "country": "DE",
            "created_at": "2021-06-01",
            "updated_at": "2023-01-01T10:00:00+02:00",
        },
        # R: erased later
        {
            "contact_id": "C-R",
            "email": " Rosa.Erased@Example.com ",
            "phone": "0151 12345678",
            "first_name": "Rosalind",
            "last_name": "Erasmus",
            "city": "Rostock",
            "postal_code": "18055",
            "country": "DE",
            "birth_date": "1980-02-29",
            "created_at": "2022-01-01",
        },
    ],
    "loyalty_members": [
        {
            "loyalty_id": "L-T",
            "email": "T@X.com",
            "phone": "+49 151 7000001",
            "first_name": "Tess",
            "last_name": "Loyal",
            "tier": "gold",
            "brand": "oak",
            "enrolled_at": "2024-01-01",
            "updated_at": "2024-06-01",
        },
    ],
    "shop_orders": [
        # T: two purchases (one cancelled order does not count)
        {
            "order_id": "O-T1",
            "email": "t@x.com",
            "status": "delivered",
            "brand": "birch",
            "currency": "EUR",
            "ordered_at": "2025-05-01",
        },
        {
            "order_id": "O-T2",
            "email": "t@x.com",
            "status": "cancelled",
            "brand": "birch",
            "currency": "EUR",
            "ordered_at": "2025-05-02",
        },
        # R: an order with the email and phone
        {
            "order_id": "O-R",
            "email": "rosa.erased@example.com",
            "phone": "+49 151 12345678",
            "status": "paid",
            "currency": "EUR",
            "ordered_at": "2025-04-01",
        },
    ],
    # an order is a purchase only with a readable line (docs/contract.md §2): each
    # non-cancelled order has one
    "shop_order_lines": [
        {
            "order_id": "O-T1",
            "line_number": "1",
            "sku": "SKU-1",
            "quantity": "1",
            "unit_price": "40.00",
        },
        {
            "order_id": "O-T1",
            "line_number": "2",
            "sku": "SKU-2",
            "quantity": "2",
            "unit_price": "15.50",
        },
        {
            "order_id": "O-R",
            "line_number": "1",
            "sku": "SKU-1",
            "quantity": "1",
            "unit_price": "40.00",
        },
    ],
    "pos_transactions": [
        {
            "transaction_id": "P-T",
            "store_id": "S1",
            "loyalty_id": "L-T",
            "brand": "oak",
            "currency": "EUR",
            "amount": "10.00",
            "transacted_at": "2025-06-01",
        },
        # nobody's purchase: no identifier at all
        {
            "transaction_id": "P-NONE",
            "store_id": "S1",
            "brand": "oak",
            "currency": "EUR",
            "amount": "5.00",
            "transacted_at": "2025-06-02",
        },
    ],
    "web_events": [
        # V: an anonymous visitor who never identifies
        {
            "event_id": "W-V1",
            "anonymous_id": "anon-v",
            "event_type": "page_view",
            "platform": "web",
            "occurred_at": "2025-06-10",
        },
        {
            "event_id": "W-V2",
            "anonymous_id": "anon-v",
            "event_type": "product_view",
            "platform": "ios",
            "occurred_at": "2025-06-11",
        },
        # re-delivered event: one touchpoint
        {
            "event_id": "W-V2",
            "anonymous_id": "anon-v",
            "event_type": "product_view",
            "platform": "ios",
            "occurred_at": "2025-06-11",
            "_loaded_at": "2025-06-12 00:00:00",
        },
        # R browses logged in with their email
        {
            "event_id": "W-R",
            "anonymous_id": "anon-r",
            "email": "rosa.erased@example.com",
            "event_type": "login",
            "platform": "web",
            "occurred_at": "2025-06-15",
        },
    ],
    "support_tickets": [
        {
            "ticket_id": "TK-T1",
            "email": "t@x.com",
            "channel": "chat",
            "csat_score": "4",
            "created_at": "2025-01-01",
        },
        {
            "ticket_id": "TK-T2",
            "email": "t@x.com",
            "channel": "phone",
            "csat_score": "5",
            "created_at": "2025-02-01",
        },
        {"ticket_id": "TK-T3", "email": "t@x.com", "channel": "email", "created_at": "2025-03-01"},
        {
            "ticket_id": "TK-R",
            "email": "rosa.erased@example.com",
            "phone": "+4915112345678",
            "channel": "email",
            "body": "Hi, Rosalind Erasmus from Rostock here",
            "created_at": "2025-03-01",
        },
    ],
    "survey_responses": [
        {
            "response_id": "SV-T1",
            "email": "t@x.com",
            "nps_score": "3",
            "submitted_at": "2025-01-01",
        },
        {
            "response_id": "SV-T2",
            "email": "t@x.com",
            "nps_score": "9",
            "submitted_at": "2025-04-01",
        },
    ],
    "social_profiles": [
        {
            "profile_id": "SO-T",
            "platform": "instagram",
            "handle": "@tess",
            "email": "t@x.com",
            "follower_count": "1200",
            "updated_at": "2025-01-01",
        },
    ],
    "shop_customers": [
        # E: enrichment matches only through the sha256 of the normalized email
        {"customer_id": "S-E", "email": "e@x.com", "created_at": "2024-01-01"},
        # blocked email on two accounts: no enrichment, no erasure through it
        {"customer_id": "S-X1", "email": "test@test.com", "created_at": "2024-01-01"},
        {"customer_id": "S-X2", "email": "test@test.com", "created_at": "2024-01-02"},
    ],
    "enrichment_demographics": [
        {
            "email_sha256": sha256("e@x.com").upper(),
            "provider": "acme",
            "age_band": "35-44",
            "income_band": "high",
            "interests": "outdoor",
            "acquired_at": "2024-05-01",
        },
        # the hash of a raw, unnormalized email matches nobody
        {
            "email_sha256": sha256(" T@X.com"),
            "provider": "acme",
            "age_band": "18-24",
            "acquired_at": "2024-05-01",
        },
        # the hash of a phone matches nobody
        {
            "email_sha256": sha256("+491517000001"),
            "provider": "acme",
            "age_band": "18-24",
            "acquired_at": "2024-05-01",
        },
        # the hash of a blocked email matches nobody
        {
            "email_sha256": sha256("test@test.com"),
            "provider": "acme",
            "age_band": "65+",
            "acquired_at": "2024-05-01",
        },
        # an enrichment row for someone we do not know creates no customer
        {
            "email_sha256": sha256("stranger@x.com"),
            "provider": "acme",
            "age_band": "25-34",
            "acquired_at": "2024-05-01",
        },
    ],
    "privacy_requests": [
        {
            "request_id": "PR-R",
            "identifier_type": "email",
            "identifier_value": "ROSA.ERASED@EXAMPLE.COM",
            "request_type": "erasure",
            "received_at": "2025-07-01",
        },
        {
            "request_id": "PR-X",
            "identifier_type": "email",
            "identifier_value": "test@test.com",
            "request_type": "erasure",
            "received_at": "2025-07-01",
        },
    ],
}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return build_scenario(tmp_path_factory.mktemp("profiles"), RAW)


def profile(database, identifier_type: str, value: str) -> dict:
    rows = query_dicts(
        database,
        """
        select profiles.*
        from marts.customer_profiles as profiles
        inner join marts.customer_identities as identities
            on profiles.customer_id = identities.customer_id
        where identities.identifier_type = ? and identities.identifier_sha256 = sha256(?)
        """,
        [identifier_type, value],
    )
    assert len(rows) == 1, rows
    return rows[0]


def test_trust_rank_beats_recency(database):
    theresa = profile(database, "email", "t@x.com")
    # loyalty (rank 3) is newer, CRM (rank 1) wins
    assert (theresa["first_name"], theresa["first_name_source"]) == ("Theresa", "crm")
    assert (theresa["last_name"], theresa["last_name_source"]) == ("Crm", "crm")
    assert str(theresa["first_name_collected_at"]) == "2022-01-01 00:00:00"


def test_recency_breaks_ties_within_a_source(database):
    theresa = profile(database, "email", "t@x.com")
    # two CRM contacts: the one updated later wins (its update time is in UTC)
    assert (theresa["city"], theresa["city_source"]) == ("Hamburg", "crm")
    assert str(theresa["city_collected_at"]) == "2023-01-01 08:00:00"
    # the older contact is the only one with a postal code, so it supplies it
    assert (theresa["postal_code"], theresa["postal_code_source"]) == ("10115", "crm")


def test_provenance_names_the_source_of_each_value(database):
    theresa = profile(database, "email", "t@x.com")
    assert (theresa["primary_email"], theresa["primary_email_source"]) == ("t@x.com", "crm")
    # only the loyalty card carries a phone
    assert (theresa["primary_phone"], theresa["primary_phone_source"]) == (
        "+491517000001",
        "loyalty",
    )
    assert str(theresa["primary_phone_collected_at"]) == "2024-06-01 00:00:00"
    assert (str(theresa["birth_date"]), theresa["birth_date_source"]) == ("1990-05-17", "crm")
    assert theresa["region"] == "Europe"
    assert theresa["email_sha256"] == sha256("t@x.com")
    assert theresa["phone_sha256"] == sha256("+491517000001")


def test_profile_facts(database):
    theresa = profile(database, "email", "t@x.com")
    assert theresa["is_known"] is True
    assert theresa["loyalty_tier"] == "gold"
    assert theresa["brands"] == ["birch", "oak"]
    assert (theresa["email_count"], theresa["phone_count"], theresa["crm_contact_id_count"]) == (
        1,
        1,
        2,
    )
    assert theresa["loyalty_id_count"] == 1
    assert theresa["latest_nps_score"] == 9
    assert theresa["support_ticket_count"] == 3
    assert float(theresa["average_csat_score"]) == 4.5
    assert (theresa["social_profile_count"], theresa["social_follower_count"]) == (1, 1200)
    assert theresa["has_first_party_data"] is True
    assert theresa["has_second_party_data"] is True
    assert theresa["has_third_party_data"] is False
    assert str(theresa["first_seen_at"]) == "2021-01-01 00:00:00"
    assert str(theresa["last_seen_at"]) == "2025-06-01 00:00:00"
    # as of 2025-06-15 (latest interaction): a delivered order and a store purchase
    assert theresa["journey_stage"] == "repeat_buyer"
    assert theresa["age_band"] == "35-44"


def test_an_anonymous_only_visitor_is_a_profile_that_is_not_known(database):
    visitor = profile(database, "anonymous_id", "anon-v")
    assert visitor["is_known"] is False
    assert visitor["journey_stage"] == "anonymous_visitor"
    assert visitor["anonymous_id_count"] == 1
    assert visitor["primary_email"] is None
    assert visitor["first_name"] is None


def test_enrichment_lands_only_through_the_hashed_email(database):
    enriched = profile(database, "email", "e@x.com")
    assert enriched["has_third_party_data"] is True
    assert (enriched["enrichment_provider"], enriched["enrichment_age_band"]) == ("acme", "35-44")
    # the hashes of a raw email, a phone and a blocked email matched nobody
    assert profile(database, "email", "t@x.com")["has_third_party_data"] is False
    assert query(
        database,
        "select count(*) from marts.customer_profiles where has_third_party_data",
    ) == [(1,)]
    # enrichment creates no customer
    assert query(
        database, "select count(*) from marts.customer_profiles where enrichment_age_band = '25-34'"
    ) == [(0,)]


def test_an_erased_customer_keeps_a_row_without_pii(database):
    erased = query(
        database,
        """
        select customer_id, is_erased, primary_email, primary_phone, first_name, last_name,
            city, postal_code, country, birth_date, email_sha256, first_name_source,
            erasure_requested_at, journey_stage
        from marts.customer_profiles
        where customer_id in (
            select customer_id from marts.customer_identities where identifier_value = 'C-R'
        )
        """,
    )
    assert len(erased) == 1
    customer_id, is_erased, *personal, requested_at, stage = erased[0]
    assert is_erased is True
    assert personal == [None] * len(personal)
    assert str(requested_at) == "2025-07-01 00:00:00"
    assert stage == "first_time_buyer"  # one paid order, two weeks before the as-of date
    # identifiers: the account id stays, email and phone only as their keyed hash
    # (a plain sha256 of a phone could be brute-forced from the numbering plan)
    identities = query(
        database,
        "select identifier_type, identifier_value, identifier_sha256, identifier_hash "
        "from marts.customer_identities where customer_id = ? order by all",
        [customer_id],
    )
    by_type = {t: (v, h, k) for t, v, h, k in identities}
    assert by_type["crm_contact_id"][0] == "C-R"
    assert by_type["email"] == (None, None, keyed("email", "rosa.erased@example.com"))
    assert by_type["phone"] == (None, None, keyed("phone", "+4915112345678"))


def values_found_in_marts(database, values: list[str]) -> list[tuple]:
    """Every (table, column, value) of every mart whose text contains one of `values`."""
    found = []
    tables = query(
        database,
        "select table_name from information_schema.tables where table_schema = 'marts'",
    )
    for (table,) in tables:
        columns = [
            c
            for (c,) in query(
                database,
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ?",
                [table],
            )
        ]
        as_text = ", ".join(f'cast("{c}" as varchar) as "{c}"' for c in columns)
        found += query(
            database,
            f"""
            with as_text as (select {as_text} from marts.{table})
            select '{table}', column_name, value
            from as_text
            unpivot (value for column_name in ({", ".join(f'"{c}"' for c in columns)}))
            where exists (
                select 1 from unnest(?) as wanted (v) where contains(lower(value), lower(v))
            )
            """,
            [values],
        )
    return found


def test_no_mart_holds_an_erased_persons_values(database):
    tables = {
        t
        for (t,) in query(
            database,
            "select table_name from information_schema.tables where table_schema = 'marts'",
        )
    }
    assert tables >= {"customer_profiles", "customer_identities", "customer_touchpoints"}
    # the scan finds a person who is not erased, in every kind of column
    found = values_found_in_marts(database, ["t@x.com", "Theresa", "Hamburg"])
    assert {(t, c) for t, c, _ in found} >= {
        ("customer_profiles", "primary_email"),
        ("customer_profiles", "first_name"),
        ("customer_profiles", "city"),
        ("customer_identities", "identifier_value"),
    }
    assert values_found_in_marts(database, ERASED_VALUES) == []


def test_erasure_through_a_non_stitching_identifier_erases_nobody(database):
    assert query(database, "select count(*) from marts.customer_profiles where is_erased") == [(1,)]
    # but the named value itself is no longer held in clear text
    assert query(
        database,
        "select count(*), count(identifier_value), count(identifier_sha256) "
        "from marts.customer_identities where identifier_hash = ?",
        [keyed("email", "test@test.com")],
    ) == [(2, 0, 0)]


def test_touchpoints_are_one_per_interaction(database):
    rows = query(
        database,
        "select touchpoint_id, channel, touchpoint_type, is_purchase, customer_id is not null "
        "from marts.customer_touchpoints order by touchpoint_id",
    )
    by_id = {r[0]: r[1:] for r in rows}
    assert by_id["web_events:W-V2"] == ("app", "product_view", False, True)
    assert by_id["shop_orders:O-T2"] == ("online_shop", "order", False, True)
    assert by_id["shop_orders:O-T1"] == ("online_shop", "order", True, True)
    assert by_id["pos_transactions:P-T"] == ("store", "store_purchase", True, True)
    # a store sale without identifiers is activity that belongs to nobody
    assert by_id["pos_transactions:P-NONE"] == ("store", "store_purchase", True, False)
    # 3 web events (one re-delivered twice), 3 orders, 2 store sales, 4 tickets, 2 surveys
    assert len(rows) == 3 + 3 + 2 + 4 + 2
    customers = query(
        database,
        "select count(*) from marts.customer_touchpoints "
        "where customer_id not in (select customer_id from marts.customer_profiles)",
    )
    assert customers == [(0,)]
