"""Erasure reaches everything the project stores (docs/contract.md §2, issue: clear-text
PII of erased people stayed in base_ and intermediate tables, unsalted phone hashes
in customer_identities and consent history, a shared phone in clear under the others
who share it).

Zelda Quackenbush asks to be erased. She is in every system, and her household's
landline is also on her partner Otto Brandt's loyalty card. The expected answers,
written from the contract before the code: after `dbt build` no table or view of
any schema but `raw` holds her email, phones, names, address or free text in clear
(scanning every text column), Otto keeps his own data but not the shared landline,
her profile row stays flagged; after `cdp erase-raw` the raw tables hold none of it
either, the request itself stays, and when the EL tool delivers her CRM row again she
stays erased.
"""

from __future__ import annotations

import duckdb
import pytest

from conftest import TEST_SECRET_SALT, build_scenario, land_rows, query, run_dbt

ZELDA_EMAIL = "zelda.q@erase-example.com"
ZELDA = {
    "crm_contacts": [
        {
            "contact_id": "C-ZQ",
            "first_name": "Zelda",
            "last_name": "Quackenbush",
            "email": ZELDA_EMAIL,
            "phone": "+49 151 99887766",
            "birth_date": "1980-02-28",
            "city": "Quackenbrueck-Nord",
            "postal_code": "QZ 4711",
            "country": "DE",
            "created_at": "2023-01-10T09:00:00Z",
        }
    ],
    "shop_customers": [
        {
            "customer_id": "S-ZQ",
            "first_name": "ZELDA",
            "last_name": "QUACKENBUSH",
            "email": " Zelda.Q@Erase-Example.COM ",
            "phone": "0151 99887766",
            "country": "Germany",
            "accepts_marketing": "yes",
            "created_at": "2023-02-01",
        }
    ],
    "shop_orders": [
        {
            "order_id": "O-ZQ",
            "customer_id": "S-ZQ",
            "email": ZELDA_EMAIL,
            "phone": "+4915199887766",
            "status": "delivered",
            "currency": "EUR",
            "ordered_at": "2023-03-01T10:00:00Z",
            "shipping_country": "DE",
        }
    ],
    "shop_order_lines": [
        {
            "order_id": "O-ZQ",
            "line_number": "1",
            "sku": "SKU-1",
            "quantity": "2",
            "unit_price": "25.00",
            "discount_amount": "0",
        }
    ],
    "products": [
        {
            "sku": "SKU-1",
            "brand": "alder",
            "name": "Scarf",
            "category": "accessories",
            "unit_cost": "10",
            "currency": "EUR",
        }
    ],
    "loyalty_members": [
        {
            "loyalty_id": "L-ZQ",
            "first_name": "Zelda",
            "last_name": "Quackenbush",
            "email": ZELDA_EMAIL,
            "phone": "030 5551234",  # the household's landline, typed nationally
            "enrolled_at": "2023-04-01",
        },
        {  # her partner: not erased; the landline is on his card too
            "loyalty_id": "L-OB",
            "first_name": "Otto",
            "last_name": "Brandt",
            "email": "otto.brandt@keep-example.com",
            "phone": "+49 30 5551234",
            "enrolled_at": "2023-04-02",
        },
    ],
    "support_tickets": [
        {
            "ticket_id": "T-ZQ",
            "email": ZELDA_EMAIL,
            "phone": "+49 151 99887766",
            "channel": "email",
            "category": "delivery",
            "body": "Hello, Zelda Quackenbush here from Quackenbrueck-Nord, QZ 4711.",
            "created_at": "2023-05-01T10:00:00Z",
        }
    ],
    "survey_responses": [
        {
            "response_id": "R-ZQ",
            "email": ZELDA_EMAIL,
            "survey": "nps",
            "nps_score": "9",
            "comment": "Zelda says: lovely scarves",
            "submitted_at": "2023-06-01T10:00:00Z",
        }
    ],
    "web_events": [
        {
            "event_id": "W-ZQ-1",
            "anonymous_id": "cookie-zq",
            "customer_id": "S-ZQ",
            "event_type": "login",
            "occurred_at": "2023-06-02T10:00:00Z",
        },
        {
            "event_id": "W-ZQ-2",
            "anonymous_id": "cookie-zq",
            "email": ZELDA_EMAIL,
            "event_type": "identify",
            "occurred_at": "2023-06-02T10:01:00Z",
        },
    ],
    "email_activity": [
        {
            "activity_id": "E-ZQ",
            "email": ZELDA_EMAIL,
            "campaign_id": "spring",
            "activity_type": "open",
            "occurred_at": "2023-06-03T10:00:00Z",
        }
    ],
    "social_profiles": [
        {
            "profile_id": "P-ZQ",
            "platform": "instagram",
            "handle": "@zeldaquack",
            "email": ZELDA_EMAIL,
            "follower_count": "120",
            "updated_at": "2023-06-04",
        }
    ],
    "consent_events": [
        {
            "event_id": "CE-ZQ",
            "identifier_type": "email",
            "identifier_value": ZELDA_EMAIL,
            "purpose": "email_marketing",
            "status": "granted",
            "occurred_at": "2023-02-01T10:00:00Z",
        }
    ],
    "privacy_requests": [
        {
            "request_id": "PR-ZQ",
            "identifier_type": "email",
            "identifier_value": "ZELDA.Q@erase-example.com",
            "request_type": "erasure",
            "received_at": "2024-01-15T10:00:00Z",
        }
    ],
}
# Every spelling of her personal data that must be gone (compared case-insensitively).
NEEDLES = (
    "zelda",
    "quackenbush",
    "erase-example",
    "99887766",
    "5551234",
    "quackenbrueck",
    "qz 4711",
    "zeldaquack",
)
KEPT = ("otto", "brandt", "keep-example")


def text_columns(con, schemas_excluded: tuple[str, ...]) -> list[tuple[str, str, str]]:
    placeholders = ", ".join("?" for _ in schemas_excluded)
    return con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        f"where data_type = 'VARCHAR' and table_schema not in ({placeholders})",
        list(schemas_excluded),
    ).fetchall()


def scan(database, needles, schemas_excluded=("raw", "truth")) -> dict[str, list[str]]:
    """Every text column of every table and view (of the schemas not excluded) that
    holds one of the needles, per needle."""
    found: dict[str, list[str]] = {needle: [] for needle in needles}
    con = duckdb.connect(str(database))
    try:
        columns = text_columns(con, schemas_excluded)
        assert len(columns) > 200, "the scan must cover the whole project"
        for schema, table, column in columns:
            for needle in needles:
                hits = con.execute(
                    f'select count(*) from "{schema}"."{table}" where "{column}" ilike ?',
                    [f"%{needle}%"],
                ).fetchone()[0]
                if hits:
                    found[needle].append(f"{schema}.{table}.{column}")
    finally:
        con.close()
    return found


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return build_scenario(tmp_path_factory.mktemp("erasure"), ZELDA)


def test_no_table_or_view_holds_her_data_after_the_build(database):
    found = scan(database, NEEDLES)
    assert {needle: where for needle, where in found.items() if where} == {}


def test_the_scan_can_tell(database):
    """Positive control: her partner's data, not erased, is found by the same scan, and
    her data is still in the raw tables (the EL tool's copy) until `cdp erase-raw`."""
    kept = scan(database, KEPT)
    assert all(kept[needle] for needle in KEPT), kept
    raw = scan(database, NEEDLES, schemas_excluded=("truth",))
    assert all(raw[needle] for needle in NEEDLES), raw


def test_her_profile_row_stays_flagged_and_empty(database):
    rows = query(
        database,
        "select is_erased, primary_email, primary_phone, first_name, last_name, city, "
        "postal_code, birth_date from marts.customer_profiles where is_erased",
    )
    assert rows == [(True, None, None, None, None, None, None, None)]


def test_the_shared_landline_is_masked_under_her_partner_too(database):
    rows = query(
        database,
        "select identities.identifier_value, identities.identifier_sha256, "
        "identities.identifier_hash is not null "
        "from marts.customer_identities as identities "
        "inner join marts.customer_profiles as profiles using (customer_id) "
        "where identities.identifier_type = 'phone' and profiles.first_name = 'Otto'",
    )
    assert rows == [(None, None, True)]
    # while his own email stays
    assert query(
        database,
        "select primary_email from marts.customer_profiles where first_name = 'Otto'",
    ) == [("otto.brandt@keep-example.com",)]


def test_no_plain_hash_of_her_identifiers_is_kept(database):
    """A plain sha256 of a phone can be brute-forced from the numbering plan."""
    import hashlib

    plain = {
        hashlib.sha256(value.encode()).hexdigest()
        for value in (ZELDA_EMAIL, "+4915199887766", "+49305551234")
    }
    found = scan(database, tuple(plain))
    assert {needle: where for needle, where in found.items() if where} == {}


def test_erase_raw_then_redelivery(database, monkeypatch):
    from cdp.erasure import erase_raw

    monkeypatch.setenv("CDP_SECRET_SALT", TEST_SECRET_SALT)
    erase_raw(str(database))
    # the raw tables hold none of her data now, her partner's stays
    raw = scan(database, NEEDLES, schemas_excluded=("truth",))
    assert {needle: where for needle, where in raw.items() if where} == {}
    assert query(database, "select count(*) from raw.loyalty_members where email like 'otto%'") == [
        (1,)
    ]
    # the request stays, with a keyed hash instead of the address
    assert query(
        database,
        "select request_id, request_type, identifier_value like 'cdp-erased:%' "
        "from raw.privacy_requests",
    ) == [("PR-ZQ", "erasure", True)]
    # her purchases stay (revenue without a person)
    assert query(database, "select count(*) from raw.shop_orders where order_id = 'O-ZQ'") == [(1,)]

    # a rebuild (a full refresh too) keeps her erased
    result = run_dbt(database, "build", "--full-refresh")
    assert result.success, result.output
    assert query(database, "select count(*) from marts.customer_profiles where is_erased") == [(1,)]

    # the EL tool delivers her CRM row again, in clear
    con = duckdb.connect(str(database))
    con.execute(
        "insert into raw.crm_contacts (contact_id, first_name, last_name, email, phone, "
        "country, created_at, updated_at, _loaded_at) values ('C-ZQ', 'Zelda', "
        "'Quackenbush', ?, '+49 151 99887766', 'DE', '2023-01-10T09:00:00Z', "
        "'2024-03-01T09:00:00Z', timestamp '2025-06-01')",
        [ZELDA_EMAIL],
    )
    con.close()
    result = run_dbt(database, "build")
    assert result.success, result.output
    assert query(database, "select count(*) from marts.customer_profiles where is_erased") == [(1,)]
    found = scan(database, NEEDLES)
    assert {needle: where for needle, where in found.items() if where} == {}


def test_erase_raw_before_any_build_says_so(tmp_path):
    from cdp.erasure import erase_raw

    database = tmp_path / "cdp.duckdb"
    land_rows(database, {})
    with pytest.raises(ValueError, match="erasing the raw rows failed"):
        erase_raw(str(database))
