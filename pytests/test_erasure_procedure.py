"""The privacy officer's erasure procedure, end to end (README: Erasure; docs/contract.md
§2 Erasure), on hand-made people. Written from the contract before the code ran:

- Callum Reid asks to be erased by phone, typed as `07700 900123`. His shop account and
  CRM contact carry +44 7700 900123; his loyalty card, filled at the till, carries only
  his name and `07700 900123`. The national number reads as his known number, so every
  record of his, the card included, is erased: after the build nothing outside `raw`
  holds his name, number, address; after `cdp erase` not even the raw tables or the
  bytes of the database file do, nor dbt's logs and compiled SQL.
- Bea Santos signed up as `bea+shop@example.pt` (and to the newsletter on the web) and
  asks for erasure as `bea@example.pt`: the same mailbox, so she is erased.
- An erasure request for `ghost@nowhere.example` matches nobody: it stays on the
  suppression list and on the requests needing attention.
- Dora Keller (not erased) granted email marketing: she stays in the audience.

`cdp erase-raw` anonymizes the raw tables; it must be invisible to every decision: a
build after it gives the same consent, suppression list, attention list and audiences
(personal data aside) as the build before it.
"""

from __future__ import annotations

import pytest

from conftest import TEST_SECRET_SALT, build_scenario, query, run_dbt

CALLUM_EMAIL = "callum.reid@example.co.uk"
RAW = {
    "shop_customers": [
        {
            "customer_id": "S-CR",
            "email": CALLUM_EMAIL,
            "phone": "+44 7700 900123",
            "first_name": "Callum",
            "last_name": "Reid",
            "country": "GB",
            "created_at": "2023-01-05T10:00:00Z",
        },
        {
            "customer_id": "S-BS",
            "email": "bea+shop@example.pt",
            "first_name": "Bea",
            "last_name": "Santos",
            "country": "PT",
            "created_at": "2023-04-01T10:00:00Z",
        },
        {
            "customer_id": "S-DK",
            "email": "dora.keller@example.ch",
            "first_name": "Dora",
            "last_name": "Keller",
            "country": "CH",
            "created_at": "2023-04-02T10:00:00Z",
        },
    ],
    "crm_contacts": [
        {
            "contact_id": "C-CR",
            "first_name": "Callum",
            "last_name": "Reid",
            "email": CALLUM_EMAIL,
            "phone": "+44 7700 900123",
            "city": "Ballachulish",
            "postal_code": "PH49 4JB",
            "country": "GB",
            "created_at": "2022-11-01T10:00:00Z",
        }
    ],
    "loyalty_members": [
        {
            "loyalty_id": "L-CR",
            "first_name": "Callum",
            "last_name": "Reid",
            "phone": "07700 900123",
            "enrolled_at": "2023-02-01T10:00:00Z",
        }
    ],
    "web_events": [
        {
            "event_id": "W-BS",
            "anonymous_id": "cookie-bs",
            "email": "bea+shop@example.pt",
            "event_type": "newsletter_signup",
            "occurred_at": "2023-05-01T10:00:00Z",
        }
    ],
    "consent_events": [
        {
            "event_id": "CE-DK",
            "identifier_type": "email",
            "identifier_value": "dora.keller@example.ch",
            "purpose": "email_marketing",
            "status": "granted",
            "occurred_at": "2023-04-03T10:00:00Z",
        },
        {
            "event_id": "CE-CR",
            "identifier_type": "email",
            "identifier_value": CALLUM_EMAIL,
            "purpose": "email_marketing",
            "status": "granted",
            "occurred_at": "2023-01-06T10:00:00Z",
        },
    ],
    "privacy_requests": [
        {
            "request_id": "PR-CR",
            "identifier_type": "phone",
            "identifier_value": "07700 900123",
            "request_type": "erasure",
            "received_at": "2024-02-01T10:00:00Z",
        },
        {
            "request_id": "PR-BS",
            "identifier_type": "email",
            "identifier_value": "bea@example.pt",
            "request_type": "erasure",
            "received_at": "2024-03-01T10:00:00Z",
        },
        {
            "request_id": "PR-GH",
            "identifier_type": "email",
            "identifier_value": "ghost@nowhere.example",
            "request_type": "erasure",
            "received_at": "2024-03-02T10:00:00Z",
        },
    ],
}
# every spelling of the erased people's personal data (compared case-insensitively)
NEEDLES = (
    "callum",
    "reid",
    "7700900123",
    "7700 900123",
    "ballachulish",
    "ph49",
    "santos",
    "example.pt",
    "nowhere.example",
)
KEPT = ("keller", "dora.keller@example.ch")


def text_columns(con, schemas_excluded):
    placeholders = ", ".join("?" for _ in schemas_excluded)
    return con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        f"where data_type = 'VARCHAR' and table_schema not in ({placeholders})",
        list(schemas_excluded),
    ).fetchall()


def scan(database, needles, schemas_excluded=("raw",)) -> dict[str, list[str]]:
    import duckdb

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
    return {needle: where for needle, where in found.items() if where}


def decisions(database) -> dict[str, list[tuple]]:
    """What the build decided, personal data aside."""
    audiences = [
        name
        for (name,) in query(
            database,
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_name like 'audience_%' order by 1",
        )
    ]
    assert len(audiences) >= 3
    return {
        "consent": sorted(
            query(
                database,
                "select customer_id, purpose, status, is_contactable, is_erased, "
                "is_processing_restricted, signal_type, source, decided_at "
                "from marts.customer_consent",
            ),
            key=repr,
        ),
        "suppression": sorted(
            query(
                database,
                "select identifier_type, identifier_hash, purpose, suppression_reason, "
                "suppression_scope, suppressed_at from marts.suppressed_identifiers",
            ),
            key=repr,
        ),
        "attention": sorted(
            query(
                database,
                "select source_table, record_key, request_type, purpose, identifier_type, "
                "reason_code, received_at from marts.privacy_requests_needing_attention",
            ),
            key=repr,
        ),
        "erased": sorted(
            query(database, "select customer_id, is_erased from marts.customer_profiles"),
            key=repr,
        ),
        **{
            audience: sorted(query(database, f"select customer_id from marts.{audience}"))
            for audience in audiences
        },
    }


def customer_of(database, identifier_type, value):
    rows = query(
        database,
        "select distinct customer_id from marts.customer_identities "
        "where identifier_type = ? and identifier_value = ?",
        [identifier_type, value],
    )
    assert len(rows) == 1, rows
    return rows[0][0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The database after the first build, and what that build decided."""
    database = build_scenario(tmp_path_factory.mktemp("erasure-procedure"), RAW)
    # an officer looked at the raw rows: dbt's log now holds what it showed
    shown = run_dbt(database, "show", "--inline", "select city, email from raw.crm_contacts")
    assert shown.success, shown.output
    return database, decisions(database)


def test_the_national_phone_erases_every_record_of_his(built):
    database, _ = built
    assert query(
        database,
        "select source_table, record_key, customer_id is not null "
        "from intermediate.int_records_stitched where record_key in ('S-CR', 'C-CR', 'L-CR') "
        "order by 1",
    ) == [
        ("crm_contacts", "C-CR", True),
        ("loyalty_members", "L-CR", True),
        ("shop_customers", "S-CR", True),
    ]
    assert query(
        database,
        "select count(distinct customer_id) from intermediate.int_records_stitched "
        "where record_key in ('S-CR', 'C-CR', 'L-CR')",
    ) == [(1,)]
    assert query(database, "select count(*) from marts.customer_profiles where is_erased") == [(2,)]
    assert scan(database, NEEDLES) == {}


def test_the_scan_can_tell(built):
    database, _ = built
    assert set(scan(database, KEPT)) == set(KEPT)
    # in raw his number is only typed with spaces
    assert set(scan(database, NEEDLES, schemas_excluded=("truth",))) == set(NEEDLES) - {
        "7700900123"
    }


def test_what_the_first_build_decided(built):
    database, first = built
    dora = customer_of(database, "shop_customer_id", "S-DK")
    assert first["audience_email_marketing"] == [(dora,)]
    consent = {(row[0], row[1]): row for row in first["consent"]}
    bea = query(
        database,
        "select customer_id from intermediate.int_records_stitched where record_key = 'S-BS'",
    )[0][0]
    assert consent[(bea, "email_marketing")][2:5] == ("denied", False, True)
    assert [(row[1], row[5]) for row in first["attention"]] == [("PR-GH", "no_matching_customer")]
    assert {row[2] for row in first["suppression"] if row[3] == "privacy_erasure"} == {
        "email_marketing",
        "sms_marketing",
        "personalization",
        "analytics",
        "third_party_sharing",
    }


def test_erase_raw_is_invisible_to_every_decision(built, monkeypatch):
    from cdp.erasure import erase_raw

    database, first = built
    monkeypatch.setenv("CDP_SECRET_SALT", TEST_SECRET_SALT)
    erase_raw(str(database))
    assert scan(database, NEEDLES, schemas_excluded=("truth",)) == {}
    result = run_dbt(database, "build")
    assert result.success, result.output
    assert decisions(database) == first


def test_erase_leaves_nothing_in_the_file_logs_or_compiled_sql(built, monkeypatch):
    """`cdp erase` runs the whole procedure: build, raw tables, the database file's
    freed pages, dbt's logs and compiled SQL."""
    from cdp.cli import main

    database, first = built
    logs = database.parent / "logs"
    target = database.parent / "target"
    # the dbt show of the raw rows, before any erasure, is in dbt's log
    assert any(b"ballachulish" in p.read_bytes().lower() for p in logs.rglob("*") if p.is_file())

    monkeypatch.setenv("CDP_SECRET_SALT", TEST_SECRET_SALT)
    code = main(
        [
            "erase",
            "--database",
            str(database),
            "--log-path",
            str(logs),
            "--target-path",
            str(target),
        ]
    )
    assert code == 0
    assert decisions(database) == first
    data = database.read_bytes().lower()
    assert [n for n in NEEDLES if n.encode() in data] == []
    assert b"dora.keller@example.ch" in data  # positive control: the file is readable
    leftovers = [
        str(path)
        for folder in (logs, target)
        for path in folder.rglob("*")
        if path.is_file() and any(n.encode() in path.read_bytes().lower() for n in NEEDLES)
    ]
    assert leftovers == []
