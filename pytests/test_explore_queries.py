"""`cdp explore`'s query layer (src/cdp/explore/queries.py) on a hand-made build.

Four people, every expected answer worked out by hand from docs/contract.md and the
raw rows below (never read back from the marts):

- Jane (DE): a CRM contact, a shop account with an order and a login from a cookie,
  a loyalty card with a mobile typed in national format, a store sale with the
  store's phone, a support ticket typed with test@test.com and her landline; email
  consent granted and later unsubscribed, SMS consent granted.
- Rosa (DE): a CRM contact, erased by a privacy request.
- Bob van den Berg (no country): a loyalty card, a store sale with the same store phone, an
  email grant.
- an anonymous visitor: one page view from a cookie.
- a caller nobody knows: a support ticket with only the shop's toll-free hotline, a
  service number that links nothing, so the ticket belongs to no customer.

Bob has third-party enrichment (keyed by the sha256 of his email); Jane has none.

The build uses as_of_date 2024-12-31, so Jane and Bob are lapsed buyers.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from cdp.explore import queries
from cdp.explore.project import ProjectError, render_normalizers, survivorship_order
from conftest import PROJECT_DIR, land_rows

STORE_PHONE = "+49 30 9999999"
TOLL_FREE = "+49 800 3301000"  # the shop's free hotline (German 0800: toll-free)

RAW = {
    "crm_contacts": [
        {
            "contact_id": "C-J",
            "email": " Jane.Doe@Example.COM ",
            "phone": "030 1234567",
            "first_name": "Jane",
            "last_name": "Doe",
            "birth_date": "1985-04-12",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
            "created_at": "2021-03-01T09:00:00Z",
            "updated_at": "2022-05-01T09:00:00Z",
        },
        {
            "contact_id": "C-R",
            "email": " Rosa.Erased@Example.com ",
            "phone": "0151 12345678",
            "first_name": "Rosalind",
            "last_name": "Erasmus",
            "birth_date": "1980-02-29",
            "city": "Rostock",
            "postal_code": "18055",
            "country": "DE",
            "created_at": "2022-01-01T09:00:00Z",
        },
    ],
    "shop_customers": [
        {
            "customer_id": "S-J",
            "email": "jane.doe@example.com",
            "phone": "+49 30 1234567",
            "first_name": "JANE",
            "last_name": "DOE",
            "country": "DE",
            "accepts_marketing": "yes",
            "created_at": "2022-01-10T10:00:00Z",
        },
    ],
    "loyalty_members": [
        {
            "loyalty_id": "900000001234",
            "email": "JANE.DOE@example.com",
            "phone": "0151 2223334",
            "first_name": "Janie",
            "last_name": "Doe",
            "tier": "gold",
            "brand": "oak",
            "enrolled_at": "2023-02-01T12:00:00Z",
        },
        {
            "loyalty_id": "900000005678",
            "email": "bob@example.org",
            "first_name": "Bob",
            "last_name": "van den Berg",
            "tier": "silver",
            "brand": "oak",
            "enrolled_at": "2023-01-15T12:00:00Z",
        },
    ],
    "web_events": [
        {
            "event_id": "E-J1",
            "anonymous_id": "A-J",
            "event_type": "page_view",
            "platform": "web",
            "occurred_at": "2022-02-01T08:00:00Z",
        },
        {
            "event_id": "E-J2",
            "anonymous_id": "A-J",
            "customer_id": "S-J",
            "event_type": "login",
            "platform": "web",
            "occurred_at": "2022-02-01T08:05:00Z",
        },
        {
            "event_id": "E-X1",
            "anonymous_id": "A-X",
            "event_type": "page_view",
            "platform": "web",
            "occurred_at": "2024-01-01T10:00:00Z",
        },
    ],
    "products": [
        {"sku": "SKU-A", "brand": "oak", "name": "Chair", "unit_cost": "20.00", "currency": "EUR"}
    ],
    "shop_orders": [
        {
            "order_id": "O-J1",
            "brand": "oak",
            "customer_id": "S-J",
            "email": "jane.doe@example.com",
            "status": "delivered",
            "currency": "EUR",
            "ordered_at": "2022-03-15T12:00:00Z",
            "shipping_country": "DE",
        }
    ],
    "shop_order_lines": [
        {
            "order_id": "O-J1",
            "line_number": "1",
            "sku": "SKU-A",
            "quantity": "2",
            "unit_price": "50.00",
        }
    ],
    "pos_transactions": [
        {
            "transaction_id": "P-J",
            "store_id": "ST1",
            "brand": "oak",
            "loyalty_id": "900000001234",
            "phone": STORE_PHONE,
            "currency": "EUR",
            "amount": "30.00",
            "transacted_at": "2023-05-01T10:00:00Z",
        },
        {
            "transaction_id": "P-B",
            "store_id": "ST1",
            "brand": "oak",
            "loyalty_id": "900000005678",
            "phone": STORE_PHONE,
            "currency": "EUR",
            "amount": "20.00",
            "transacted_at": "2023-06-01T10:00:00Z",
        },
    ],
    "support_tickets": [
        {
            "ticket_id": "T-J",
            "email": "test@test.com",
            "phone": "+49 30 1234567",
            "channel": "phone",
            "category": "delivery",
            "created_at": "2023-07-01T09:00:00Z",
        },
        {
            "ticket_id": "T-X",
            "phone": TOLL_FREE,
            "channel": "phone",
            "category": "account",
            "created_at": "2023-08-01T09:00:00Z",
        },
    ],
    "enrichment_demographics": [
        {
            "email_sha256": hashlib.sha256(b"bob@example.org").hexdigest(),
            "provider": "datafirm_a",
            "age_band": "35-44",
            "income_band": "middle",
            "interests": "outdoor|travel",
            "acquired_at": "2023-03-01T00:00:00Z",
        }
    ],
    "consent_events": [
        {
            "event_id": "CE-J1",
            "identifier_type": "email",
            "identifier_value": "Jane.Doe@example.com",
            "purpose": "email_marketing",
            "status": "granted",
            "source": "web_form",
            "policy_version": "v2",
            "occurred_at": "2023-01-01T00:00:00Z",
        },
        {
            "event_id": "CE-J2",
            "identifier_type": "phone",
            "identifier_value": "+49 30 1234567",
            "purpose": "sms_marketing",
            "status": "opt_in",
            "source": "store_tablet",
            "policy_version": "v3",
            "occurred_at": "2023-06-01T00:00:00Z",
        },
        {
            "event_id": "CE-B1",
            "identifier_type": "email",
            "identifier_value": "bob@example.org",
            "purpose": "email_marketing",
            "status": "granted",
            "source": "web_form",
            "policy_version": "v2",
            "occurred_at": "2023-02-01T00:00:00Z",
        },
    ],
    "email_activity": [
        {
            "activity_id": "EA-J",
            "email": "jane.doe@example.com",
            "campaign_id": "CAMP-1",
            "activity_type": "unsubscribe",
            "occurred_at": "2024-03-01T00:00:00Z",
        }
    ],
    "privacy_requests": [
        {
            "request_id": "PR-R",
            "identifier_type": "email",
            "identifier_value": "rosa.erased@example.com",
            "request_type": "erasure",
            "received_at": "2024-07-01T00:00:00Z",
        }
    ],
}

# What the erased customer's pages and answers may never contain.
ROSA_PII = [
    "rosa.erased@example.com",
    "Rosa.Erased",
    "+4915112345678",
    "0151 12345678",
    "Rosalind",
    "Erasmus",
    "Rostock",
    "18055",
    "1980-02-29",
]
JANE_IDENTIFIERS = {
    ("email", "jane.doe@example.com"),
    ("phone", "+49301234567"),
    ("phone", "+491512223334"),
    ("crm_contact_id", "C-J"),
    ("shop_customer_id", "S-J"),
    ("loyalty_id", "900000001234"),
    ("anonymous_id", "A-J"),
}


def explore_database(tmp_path_factory) -> Path:
    """The scenario built once per test session (shared with the app and browser tests).

    dbt runs in a subprocess: in-process, dbt-duckdb keeps the file open read-write,
    and DuckDB refuses a read-only connection beside it in the same process."""
    folder = tmp_path_factory.getbasetemp() / "explore-scenario"
    database = folder / "cdp.duckdb"
    if not (folder / "built").exists():
        folder.mkdir(exist_ok=True)
        land_rows(database, RAW)
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("dbt")),
                "build",
                "--vars",
                "{as_of_date: '2024-12-31'}",
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                str(folder / "target"),
                "--log-path",
                str(folder / "logs"),
            ],
            env={**os.environ, "CDP_DUCKDB_PATH": str(database)},
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
        (folder / "built").write_text("ok")
    return database


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    return explore_database(tmp_path_factory)


@pytest.fixture(scope="module")
def normalizers():
    return render_normalizers(PROJECT_DIR)


@pytest.fixture()
def con(database):
    connection = queries.open_database(database)
    yield connection
    connection.close()


def customer_of(con, normalizers, text: str, country: str | None = "DE") -> str:
    result = queries.search(con, normalizers, text, "auto", country)
    assert len(result.matches) == 1, (text, result)
    return result.matches[0].customer_id


@pytest.fixture()
def jane(con, normalizers) -> str:
    return customer_of(con, normalizers, "S-J")


@pytest.fixture()
def rosa(con, normalizers) -> str:
    return customer_of(con, normalizers, "C-R")


@pytest.fixture()
def bob(con, normalizers) -> str:
    return customer_of(con, normalizers, "900000005678")


# --- normalization: the project's own macros, hand-written expectations ---------

PHONES = [
    # typed, country of national numbers, E.164 by docs/contract.md §2
    ("+49 (0)30 1234567", None, "+49301234567"),
    ("0049 30 1234567", "FR", "+49301234567"),  # international: its own code wins
    ("030 1234567", "DE", "+49301234567"),  # trunk 0 removed
    ("030 1234567", "FR", "+33301234567"),
    ("(415) 555-0134", "US", "+14155550134"),
    ("1 415 555 0134", "US", "+14155550134"),  # NANP trunk 1
    ("06 1234 5678", "IT", "+390612345678"),  # Italy keeps its leading 0
    ("+39 06 1234 5678", None, "+390612345678"),  # also after its country code
    ("+44 07911 555666", None, "+447911555666"),  # a trunk 0 kept after the code
    ("020 7946 0958", "GB", "+442079460958"),
    ("030 1234567", None, None),  # national without a country: cannot be read
    ("12345", "DE", None),  # too short for E.164
    ("030-CALL-ME", "DE", None),
    ("' or 1=1 --", "DE", None),
]


@pytest.mark.parametrize(("typed", "country", "expected"), PHONES)
def test_phones_are_normalized_as_the_build_does(con, normalizers, typed, country, expected):
    assert queries.normalize_phone(con, normalizers, typed, country) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (" Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("jane..doe@example.com", None),
        ("jane@example", None),
        ("no email", None),
    ],
)
def test_emails_are_normalized_as_the_build_does(con, normalizers, typed, expected):
    assert queries.normalize_email(con, normalizers, typed) == expected


def test_the_rules_are_rendered_from_the_projects_macros(normalizers):
    # the E.164 pattern and the '(0)' rule live in macros/standardize/normalize_phone.sql
    assert "(0)" in normalizers.phone and "$dialing_code" in normalizers.phone
    assert "$value" in normalizers.email and "$value" in normalizers.account_id


def test_macros_that_dispatch_by_engine_are_rendered(tmp_path):
    (tmp_path / "macros").mkdir()
    (tmp_path / "dbt_project.yml").write_text("name: x\nvars:\n  survivorship_order: [recency]\n")
    (tmp_path / "macros" / "rules.sql").write_text(
        "{% macro clean_text(c) %}trim({{ c }}){% endmacro %}"
        "{% macro normalize_email(c) %}lower({{ clean_text(c) }}){% endmacro %}"
        "{% macro normalize_phone(c, d, t) %}"
        "{{ adapter.dispatch('normalize_phone', 'cdp')(c, d, t) }}{% endmacro %}"
        "{% macro default__normalize_phone(c, d, t) %}default({{ c }}){% endmacro %}"
        "{% macro duckdb__normalize_phone(c, d, t) %}duck({{ c }}, {{ d }}){% endmacro %}"
        "{% macro phone_national_digits(c) %}digits({{ c }}){% endmacro %}"
        "{% macro known_phone_readings(r, k, d, p) %}"
        "select {{ d }} from {{ r }} join {{ ref('countries') }} using ({{ k[0] }})"
        "{% endmacro %}"
    )
    rendered = render_normalizers(tmp_path)
    assert "digits($value) as digits" in rendered.known_national_phone
    assert "join reference.countries using (typed_key)" in rendered.known_national_phone
    assert rendered.phone == "duck($value, $dialing_code)"
    assert rendered.email == "lower(trim($value))"
    assert survivorship_order(tmp_path) == ["recency"]


def test_a_macro_that_cannot_be_rendered_is_named(tmp_path):
    (tmp_path / "macros").mkdir()
    (tmp_path / "macros" / "rules.sql").write_text(
        "{% macro normalize_email(c) %}{{ var('x') }}{% endmacro %}"
    )
    with pytest.raises(ProjectError, match="normalize_email"):
        render_normalizers(tmp_path)


# --- search ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "country"),
    [
        (" JANE.DOE@example.com ", "DE"),
        ("030 1234567", "DE"),
        ("+49 (0)30 1234567", None),
        ("0049 30 1234567", "FR"),
        ("0151 2223334", "DE"),  # the loyalty card's mobile, completed with her country
        ("900000001234", "DE"),
        ("C-J", "DE"),
        ("S-J", "DE"),
        (" A-J ", "DE"),
        ("jane", "DE"),
        ("DOE jan", "DE"),
    ],
)
def test_search_finds_jane_by_any_identifier_or_name(con, normalizers, jane, typed, country):
    result = queries.search(con, normalizers, typed, "auto", country)
    assert [m.customer_id for m in result.matches] == [jane], result
    match = result.matches[0]
    assert (match.name, match.primary_email, match.primary_phone) == (
        "Jane Doe",
        "jane.doe@example.com",
        "+49301234567",
    )


def test_search_by_customer_id(con, normalizers, jane):
    result = queries.search(con, normalizers, jane, "auto", "DE")
    assert [(m.customer_id, m.matched_by) for m in result.matches] == [(jane, ["customer_id"])]


def test_a_national_number_is_read_with_the_chosen_country(con, normalizers):
    # read as a record of France would be: +33301234567, which nobody holds
    assert queries.search(con, normalizers, "030 1234567", "auto", "FR").matches == []


def test_without_a_country_a_national_number_is_read_by_its_one_known_reading(
    con, normalizers, jane
):
    # as a record without a country: Jane's landline +49301234567 is the only reading
    # of these digits any customer holds (docs/contract.md §2)
    result = queries.search(con, normalizers, "030 1234567", "phone", None)
    assert [m.customer_id for m in result.matches] == [jane]
    assert any("+49301234567" in reading for reading in result.interpretations)
    # digits no customer holds in any country's reading are not read, and it says so
    result = queries.search(con, normalizers, "0999 1112223", "phone", None)
    assert result.matches == []
    assert any("no customer holds it in any country" in note for note in result.notes)


def test_a_shared_phone_lists_every_customer_whose_records_carry_it(con, normalizers, jane, bob):
    result = queries.search(con, normalizers, STORE_PHONE, "auto", "DE")
    assert {m.customer_id for m in result.matches} == {jane, bob}
    assert all(m.matched_by == ["phone (non-stitching: shared)"] for m in result.matches)


def test_a_blocked_email_is_shown_with_its_reason(con, normalizers, jane):
    result = queries.search(con, normalizers, "test@test.com", "auto", "DE")
    assert [(m.customer_id, m.matched_by) for m in result.matches] == [
        (jane, ["email (non-stitching: blocked)"])
    ]


def test_names_match_word_prefixes_of_the_golden_names(con, normalizers, bob):
    for typed in ("berg BOB", "Bob van den Berg", "bo VAN"):
        assert [m.customer_id for m in queries.search(con, normalizers, typed).matches] == [bob]
    assert queries.search(con, normalizers, "erg").matches == []  # not the start of a word
    # like-wildcards in the input are literal characters
    for typed in ("%", "_", "j%", "%oe", "b_b"):
        assert queries.search(con, normalizers, typed, "auto", "DE").matches == [], typed


def test_input_never_becomes_sql(con, normalizers):
    for typed in ("' or 1=1 --", "x'; drop table marts.customer_profiles; --", '"; select 1'):
        for kind in queries.SEARCH_KINDS:
            assert queries.search(con, normalizers, typed, kind, "DE").matches == []
    assert queries.search(con, normalizers, "S-J", "auto", "DE").matches  # still there


def test_an_erased_customer_is_found_by_email_hash_but_shows_no_pii(con, normalizers, rosa):
    result = queries.search(con, normalizers, "Rosa.Erased@Example.com", "auto", "DE")
    assert [m.customer_id for m in result.matches] == [rosa]
    match = result.matches[0]
    assert match.is_erased
    assert (match.name, match.primary_email, match.primary_phone, match.country) == (
        None,
        None,
        None,
        None,
    )
    assert match.matched_by == ["email (masked: matched by its sha256)"]
    # her name is gone from the marts, so it finds nobody
    assert queries.search(con, normalizers, "Rosalind", "auto", "DE").matches == []


def test_an_anonymous_visitor_is_found_by_cookie(con, normalizers):
    result = queries.search(con, normalizers, "A-X", "auto", "DE")
    assert len(result.matches) == 1
    assert result.matches[0].is_known is False
    assert result.matches[0].journey_stage == "anonymous_visitor"


def test_an_unknown_search_type_is_refused(con, normalizers):
    with pytest.raises(ValueError, match="unknown search type 'sql'"):
        queries.search(con, normalizers, "x", "sql", "DE")


# --- one customer ---------------------------------------------------------------


def test_golden_record_values_sources_and_rules(con, jane):
    customer = queries.profile(con, jane)
    golden = {a.column: a for a in queries.golden_record(con, customer, ["trust_rank", "recency"])}
    crm_time = datetime(2022, 5, 1, 9, 0)
    expected = {
        "primary_email": ("jane.doe@example.com", "crm", crm_time),
        "primary_phone": ("+49301234567", "crm", crm_time),
        "first_name": ("Jane", "crm", crm_time),
        "last_name": ("Doe", "crm", crm_time),
        "city": ("Berlin", "crm", crm_time),
        "postal_code": ("10115", "crm", crm_time),
        "country": ("DE", "crm", crm_time),
    }
    for column, (value, source, collected_at) in expected.items():
        attribute = golden[column]
        assert (attribute.value, attribute.source, attribute.collected_at) == (
            value,
            source,
            collected_at,
        ), column
    assert str(golden["birth_date"].value) == "1985-04-12"
    # the loyalty card says Janie: the CRM wins on trust rank
    assert golden["first_name"].decided_by == "trust rank: crm (1) over loyalty (3)"
    assert {c["attribute_value"] for c in golden["first_name"].candidates} == {"Jane", "Janie"}
    # the mobile on the loyalty card loses to the CRM's landline
    assert golden["primary_phone"].decided_by == "trust rank: crm (1) over loyalty (3)"
    assert golden["city"].decided_by == "only value"
    # CRM, shop and loyalty all say Doe (the shop's DOE is normalized)
    assert golden["last_name"].decided_by == "all 3 records agree"


def test_decided_by_follows_the_survivorship_order():
    def candidate(value, system, rank, day, winner=False):
        return {
            "attribute_value": value,
            "source_system": system,
            "trust_rank": rank,
            "observed_at": datetime(2024, 1, day),
            "source_table": f"{system}_table",
            "record_key": value,
            "is_winner": winner,
        }

    newer_shop = [candidate("Berlin", "crm", 1, 1), candidate("Bonn", "shop", 2, 9, True)]
    assert queries.decided_by(["recency", "trust_rank"], newer_shop) == (
        "recency: 2024-01-09 over 2024-01-01"
    )
    same_source = [candidate("Berlin", "crm", 1, 1), candidate("Bonn", "crm", 1, 5, True)]
    assert queries.decided_by(["trust_rank", "recency"], same_source) == (
        "recency: 2024-01-05 over 2024-01-01"
    )
    tied = [candidate("Berlin", "crm", 1, 1, True), candidate("Bonn", "crm", 1, 1)]
    assert queries.decided_by(["trust_rank", "recency"], tied) == (
        "tie-break (source table, record key, value)"
    )
    assert queries.decided_by(["trust_rank"], []) == "no candidate"


def records_of(graph) -> dict[str, set[tuple[str, str]]]:
    by_id = {n.node_id: (n.identifier_type, n.label) for n in graph.nodes}
    linked: dict[str, set[tuple[str, str]]] = {}
    for link in graph.links:
        for record in link.records:
            key = f"{record['source_table']}:{record['record_key']}"
            linked.setdefault(key, set()).update({by_id[link.node_id], by_id[link.linked_node_id]})
    return linked


def test_identity_graph_of_jane(con, jane):
    graph = queries.identity_graph(con, jane)
    assert {(n.identifier_type, n.label) for n in graph.nodes} == JANE_IDENTIFIERS
    assert not any(n.is_masked for n in graph.nodes)
    # the anchor is her oldest identifier: the CRM contact (2021-03-01; on equal
    # times the identifier type decides, and crm_contact_id sorts first)
    assert [n.label for n in graph.nodes if n.is_anchor] == ["C-J"]
    # every record joins exactly its stitching identifiers (the store phone and
    # test@test.com link nothing, so the store sale and the ticket link nothing)
    assert records_of(graph) == {
        "crm_contacts:C-J": {
            ("crm_contact_id", "C-J"),
            ("email", "jane.doe@example.com"),
            ("phone", "+49301234567"),
        },
        "shop_customers:S-J": {
            ("shop_customer_id", "S-J"),
            ("email", "jane.doe@example.com"),
            ("phone", "+49301234567"),
        },
        "loyalty_members:900000001234": {
            ("loyalty_id", "900000001234"),
            ("email", "jane.doe@example.com"),
            ("phone", "+491512223334"),
        },
        "shop_orders:O-J1": {("shop_customer_id", "S-J"), ("email", "jane.doe@example.com")},
        "web_events:E-J2": {("anonymous_id", "A-J"), ("shop_customer_id", "S-J")},
    }
    # n identifiers on a record need n - 1 links
    assert sum(len(link.records) for link in graph.links) == 2 + 2 + 2 + 1 + 1
    assert sorted((a["identifier_type"], a["label"], a["reason"]) for a in graph.apart) == [
        ("email", "test@test.com", "blocked"),
        ("phone", "+49309999999", "shared"),
    ]


def test_identity_graph_of_an_erased_customer_is_masked(con, rosa):
    graph = queries.identity_graph(con, rosa)
    assert sorted((n.identifier_type, n.label, n.is_masked) for n in graph.nodes) == [
        ("crm_contact_id", "C-R", False),
        ("email", "email (masked)", True),
        ("phone", "phone (masked)", True),
    ]
    assert graph.apart == []


def test_consent_of_jane(con, jane):
    rows = {r["purpose"]: r for r in queries.consent(con, jane)}
    assert set(rows) == {
        "email_marketing",
        "sms_marketing",
        "personalization",
        "analytics",
        "third_party_sharing",
    }
    email = rows["email_marketing"]
    assert (email["status"], email["is_contactable"], email["decided_at"]) == (
        "denied",
        False,
        datetime(2024, 3, 1),
    )
    sms = rows["sms_marketing"]
    assert (sms["status"], sms["is_contactable"], sms["source"], sms["policy_version"]) == (
        "granted",
        True,
        "store_tablet",
        "v3",
    )
    for purpose in ("personalization", "analytics", "third_party_sharing"):
        # no signal; Germany is a GDPR country: opt-in, so not contactable
        assert (rows[purpose]["status"], rows[purpose]["is_contactable"]) == ("not_set", False)
        assert rows[purpose]["jurisdiction"] == "gdpr"
    history = [
        (h["status"], h["occurred_at"])
        for h in queries.consent_history(con, jane)
        if h["purpose"] == "email_marketing"
    ]
    # the shop account's accepts_marketing, the web form, the unsubscribe
    assert history == [
        ("granted", datetime(2022, 1, 10, 10, 0)),
        ("granted", datetime(2023, 1, 1)),
        ("denied", datetime(2024, 3, 1)),
    ]


def test_touchpoints_value_and_privacy_of_jane(con, jane):
    touchpoints = queries.touchpoints(con, jane)
    assert sorted(t["touchpoint_id"] for t in touchpoints) == sorted(
        [
            "web_events:E-J1",
            "web_events:E-J2",
            "shop_orders:O-J1",
            "pos_transactions:P-J",
            "support_tickets:T-J",
            "email_activity:EA-J",
        ]
    )
    assert touchpoints[0]["touchpoint_id"] == "email_activity:EA-J"  # newest first
    value = queries.value(con, jane)
    # order 2 x 50.00 (cost 2 x 20.00) and a 30.00 store sale costed at the shop's ratio 0.4
    assert (value["purchases_count"], str(value["gross_revenue"]), str(value["gross_margin"])) == (
        2,
        "130.00",
        "78.00",
    )
    assert value["value_tier"] == "platinum"  # she carries 78 of the 90 of margin
    assert queries.privacy(con, jane) is None


def test_privacy_of_an_erased_customer(con, rosa):
    customer = queries.profile(con, rosa)
    assert customer["is_erased"]
    assert queries.privacy(con, rosa)["erasure_requested_at"] == datetime(2024, 7, 1)
    golden = queries.golden_record(con, customer, ["trust_rank", "recency"])
    assert all(a.value is None and a.candidates == [] for a in golden)
    assert {a.decided_by for a in golden} == {"erased"}


def test_nothing_read_for_an_erased_customer_holds_her_pii(con, rosa):
    customer = queries.profile(con, rosa)
    answers = [
        customer,
        queries.golden_record(con, customer, ["trust_rank", "recency"]),
        queries.identities(con, rosa),
        queries.identity_graph(con, rosa),
        queries.touchpoints(con, rosa),
        queries.consent(con, rosa),
        queries.consent_history(con, rosa),
        queries.value(con, rosa),
        queries.privacy(con, rosa),
    ]
    text = repr(answers).lower()
    for value in ROSA_PII:
        assert value.lower() not in text, value


# --- why are these two one customer? --------------------------------------------


def test_the_chain_from_jane_s_cookie_to_her_loyalty_card(con, normalizers, jane):
    explanation = queries.explain_link(
        con, normalizers, ("anonymous_id", "A-J"), ("loyalty_id", "900000001234"), "DE"
    )
    assert explanation.verdict == f"One customer: {jane}."
    hops = [
        (h.from_label, h.to_label, f"{h.records[0]['source_table']}:{h.records[0]['record_key']}")
        for h in explanation.hops
    ]
    # cookie -login-> shop account -account-> email -card-> loyalty id; the account and
    # the order both link account and email: the earlier source table name is chosen
    assert hops == [
        ("A-J", "S-J", "web_events:E-J2"),
        ("S-J", "jane.doe@example.com", "shop_customers:S-J"),
        ("jane.doe@example.com", "900000001234", "loyalty_members:900000001234"),
    ]
    assert [r["record_key"] for r in explanation.hops[1].records] == ["S-J", "O-J1"]


def test_the_chain_between_jane_s_email_and_landline_typed_nationally(con, normalizers):
    # each record links its identifiers as a star around the oldest one: the CRM
    # contact links C-J to the email and to the phone, the shop account links the
    # email to the phone directly
    explanation = queries.explain_link(
        con, normalizers, ("email", "JANE.DOE@EXAMPLE.COM"), ("phone", "030 1234567"), "DE"
    )
    assert [(h.from_label, h.to_label, h.records[0]["source_table"]) for h in explanation.hops] == [
        ("jane.doe@example.com", "+49301234567", "shop_customers")
    ]


def test_two_customers_are_not_one(con, normalizers, jane, bob):
    explanation = queries.explain_link(
        con, normalizers, ("email", "jane.doe@example.com"), ("email", "bob@example.org"), None
    )
    assert explanation.verdict == f"Not one customer: they belong to {jane} and {bob}."
    assert explanation.hops == []


@pytest.mark.parametrize(
    ("goal", "problem"),
    [
        (("phone", STORE_PHONE), "non-stitching (shared)"),
        (("email", "test@test.com"), "non-stitching (blocked)"),
        (("email", "nobody@example.com"), "no record carries the email nobody@example.com"),
        (("phone", "030 555"), "is not a valid phone"),
    ],
)
def test_a_chain_to_a_non_stitching_or_unknown_identifier(con, normalizers, goal, problem):
    explanation = queries.explain_link(con, normalizers, ("loyalty_id", "900000001234"), goal, "DE")
    assert explanation.verdict.startswith("Not one customer")
    assert problem in explanation.verdict


def test_the_chain_of_an_erased_customer_is_masked(con, normalizers, rosa):
    explanation = queries.explain_link(
        con, normalizers, ("crm_contact_id", "C-R"), ("email", "rosa.erased@example.com"), "DE"
    )
    assert explanation.verdict == f"One customer: {rosa}."
    assert [(h.from_label, h.to_label) for h in explanation.hops] == [("C-R", "email (masked)")]


@pytest.mark.parametrize(
    ("links", "start", "goal", "expected"),
    [
        # a triangle: the direct link, never the detour
        ([(1, 2, "a", "1"), (2, 3, "a", "2"), (1, 3, "a", "3")], 1, 3, [(1, 3, "3")]),
        # two equally short ways: the link from the smaller node id wins (node 2
        # over node 5), whatever the source tables, as the analysis orders them
        (
            [(1, 5, "a", "1"), (1, 2, "a", "2"), (2, 9, "b", "3"), (5, 9, "a", "4")],
            1,
            9,
            [(1, 2, "2"), (2, 9, "3")],
        ),
        # two records for one pair: the earlier source table, then the smaller key
        ([(1, 2, "web", "9"), (1, 2, "crm", "8"), (1, 2, "crm", "7")], 2, 1, [(2, 1, "7")]),
        ([(1, 2, "a", "1"), (3, 4, "a", "2")], 1, 4, None),
    ],
)
def test_shortest_chain(links, start, goal, expected):
    rows = [
        {"node_id": a, "linked_node_id": b, "source_table": table, "record_key": key}
        for a, b, table, key in links
    ]
    chain = queries.shortest_chain(rows, start, goal)
    if expected is None:
        assert chain is None
    else:
        assert [(a, b, link["record_key"]) for a, b, link in chain] == expected


# --- identity health and audiences ------------------------------------------------


def test_health_counts(con):
    health = queries.health(con)
    assert health.summary == {
        "customers": 4,
        "known_customers": 3,
        "anonymous_visitors": 1,
        "erased_customers": 1,
    }
    # Jane 7 stitching identifiers, Rosa 3, Bob 2 (card, email), the visitor 1
    assert {(s["identifiers"], s["customers"]) for s in health.component_sizes} == {
        (1, 1),
        (2, 1),
        (3, 1),
        (7, 1),
    }
    assert health.largest_components[0]["identifiers"] == 7
    assert health.largest_components[0]["non_stitching_identifiers"] == 2
    # test@test.com on Jane's ticket; the hotline on the unknown caller's ticket (nobody's);
    # the store's phone on Jane's and Bob's store sales, with two loyalty cards
    assert [
        (
            r["non_stitching_reason"],
            r["identifier_type"],
            r["shared_with_type"],
            r["identifiers"],
            r["records"],
            r["customers"],
            r["customer_records"],
        )
        for r in health.refused
    ] == [
        ("blocked", "email", None, 1, 1, 1, 1),
        ("service_number", "phone", None, 1, 1, 0, 0),
        ("shared", "phone", "loyalty_id", 1, 2, 2, 2),
    ]
    # the largest customer as a person recognizes her
    card = health.largest_components[0]["card"]
    # her records: CRM contact, shop account, card, 2 web events, order, store sale, ticket and
    # the unsubscribe
    assert (card["name"], card["country"], card["record_count"]) == ("Jane Doe", "DE", 9)
    assert card["systems"] == ["CRM", "online shop", "loyalty programme", "web and app"]
    # one build of the id registry: the four customers created, nothing merged yet
    builds = health.identity_changes["builds"]
    assert [(b["build_number"], b["customers"], b["created"], b["merged"]) for b in builds] == [
        (1, 4, 4, 0)
    ]
    assert health.identity_changes["events"] == []
    assert [(e["erasure_requested_at"]) for e in health.latest_erasures] == [datetime(2024, 7, 1)]


def test_the_health_summary_of_the_landing_page(con):
    # identifiers: Jane's 7 stitching ones, Rosa's 3, Bob's 2, the visitor's cookie, and
    # the refused test@test.com, store phone and hotline
    assert queries.health_summary(con) == {
        "customers": 4,
        "known_customers": 3,
        "anonymous_visitors": 1,
        "erased_customers": 1,
        "identifiers": 16,
        "refused_identifiers": 3,
        "largest_customer_identifiers": 7,
    }


def test_example_customers_are_found_in_the_build(con, jane, rosa, bob):
    examples = {e.kind: e for e in queries.examples(con)}
    assert set(examples) == {"merged", "erased", "shared_phone"}
    merged = examples["merged"]  # Jane: CRM, shop, loyalty card and cookie
    assert merged.customer_id == jane
    assert (merged.detail["systems"], merged.detail["identifiers"]) == (4, 7)
    assert merged.card["name"] == "Jane Doe"
    erased = examples["erased"]
    assert erased.customer_id == rosa and erased.card["is_erased"]
    assert erased.card["name"] is None  # the marts keep no name of hers
    shared = examples["shared_phone"]  # the store's phone, refused on Jane's and Bob's sales
    assert shared.customer_id in {jane, bob}
    assert shared.detail["identifier_value"] == "+49309999999"
    assert (shared.detail["shared_with_type"], shared.detail["shared_with_count"]) == (
        "loyalty_id",
        2,
    )


def test_segments_to_browse(con, jane, rosa, bob):
    segments = queries.segments(con)
    # as of 2024-12-31 Jane and Bob last bought in 2023: lapsed; Rosa a known lead
    assert [(s["segment"], s["customers"]) for s in segments["journey_stage"]] == [
        ("anonymous_visitor", 1),
        ("known_lead", 1),
        ("lapsed", 2),
    ]
    tiers = {s["segment"]: s["customers"] for s in segments["value_tier"]}
    assert tiers["platinum"] == 1 and tiers["prospect"] == 2 and sum(tiers.values()) == 4
    assert [(s["segment"], s["customers"]) for s in segments["audience"]] == [
        ("audience_email_marketing", 1),
        ("audience_lapsed_high_value_email", 0),
        ("audience_sms_marketing", 1),
    ]
    lapsed = queries.browse(con, "journey_stage", "lapsed")
    assert lapsed.total == 2
    assert {c["customer_id"]: c["name"] for c in lapsed.customers} == {
        jane: "Jane Doe",
        bob: "Bob van den Berg",
    }
    assert [c["customer_id"] for c in queries.browse(con, "value_tier", "platinum").customers] == [
        jane
    ]
    email = queries.browse(con, "audience", "audience_email_marketing")
    assert [c["customer_id"] for c in email.customers] == [bob]
    assert [
        c["customer_id"] for c in queries.browse(con, "journey_stage", "lapsed", 1).customers
    ] == [min(jane, bob)]


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (
            "journey_stage",
            "churned",
            "unknown journey stage 'churned': use one of anonymous_visitor",
        ),
        ("audience", 'audience_email_marketing"; drop table x; --', "unknown audience"),
        ("audience", "customer_profiles", "unknown audience 'customer_profiles'"),
        ("sql", "x", "unknown segment kind 'sql'"),
    ],
)
def test_browsing_only_what_the_build_has(con, kind, value, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        queries.browse(con, kind, value)


def test_audiences_and_who_consent_kept_out(con):
    audiences = {a.name: a for a in queries.health(con).audiences}
    assert set(audiences) == {
        "audience_email_marketing",
        "audience_sms_marketing",
        "audience_lapsed_high_value_email",
    }
    email = audiences["audience_email_marketing"]
    # Bob granted; Jane unsubscribed; Rosa erased
    assert (email.members, email.outcomes) == (1, {"member": 1, "denied": 1, "erased": 1})
    assert email.excluded_by_consent == 2
    sms = audiences["audience_sms_marketing"]
    # Jane granted through her landline, her primary phone; Bob has no phone
    assert (sms.members, sms.outcomes) == (1, {"member": 1, "erased": 1, "no_address": 1})
    assert sms.excluded_by_consent == 1
    lapsed = audiences["audience_lapsed_high_value_email"]
    # only Jane is platinum and lapsed, and she unsubscribed
    assert (lapsed.members, lapsed.outcomes) == (0, {"denied": 1})


# --- the database itself ------------------------------------------------------------


def test_a_missing_database_is_named(tmp_path):
    missing = tmp_path / "nothing.duckdb"
    with pytest.raises(queries.DatabaseUnavailable, match="nothing.duckdb does not exist"):
        queries.open_database(missing)
    assert not missing.exists()  # read-only: nothing created


def test_a_database_being_built_is_reported_as_locked(database, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(database.read_bytes())
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('open', "
            "flush=True); time.sleep(60)",
            str(copy),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "open"
        with pytest.raises(queries.DatabaseUnavailable, match="locked by another process"):
            queries.open_database(copy)
    finally:
        writer.kill()
        writer.wait()


def test_a_database_without_marts_says_to_build(tmp_path, normalizers):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    con = queries.open_database(empty)
    try:
        with pytest.raises(queries.DatabaseUnavailable, match="not built.*Run dbt build"):
            queries.search(con, normalizers, "jane", "auto", None)
    finally:
        con.close()
