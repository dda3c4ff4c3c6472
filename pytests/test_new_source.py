"""A source system nobody here shipped, brought by a user with one declaration and its
two staging models (docs/sources.md): a helpdesk's users, with its own column names.

The project is copied, and the copy changed exactly as docs/sources.md tells a user:
the declaration added to var cdp_sources, the dbt source YAML, `base_helpdesk__users.sql`
and `stg_helpdesk__users.sql`. No identity, privacy, profile or data-quality model is
touched. Expected, written by hand before the build:

- Maya König has a shop account (maya.koenig@example.de, +49 160 5550199, Germany). The
  helpdesk knows her as ` Maya.Koenig+support@Example.de `, mobile `0160 5550199`,
  country `Deutschland`: the mailbox is hers and the national mobile reads with the
  helpdesk row's own country as hers: one customer.
- U-1 was delivered twice (an older login first): one kept, one duplicate. A row without
  a user id is quarantined. So the table reconciles: 5 raw rows = 3 kept + 1 duplicate +
  1 quarantined.
- Tomás Silva is only in the helpdesk: his golden first name and country come from it,
  with the helpdesk as their source.
- Inés Ortega is only in the helpdesk and asks to be erased: nothing outside raw holds
  her name or address after the build, and after `cdp erase-raw` the raw helpdesk row
  neither.
- Maya's access request lists her helpdesk record.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from conftest import PROJECT_DIR, TEST_SECRET_SALT, land_rows, query, run_dbt

DECLARATION = """\
    helpdesk_users:
      source: helpdesk
      system: helpdesk
      party: first
      trust_rank: 15
      entity: helpdesk user
      model: helpdesk__users
      record_key: user_id
      first_seen_at: signup_ts
      last_seen_at: coalesce(last_login_ts, signup_ts)
      deleted: is_archived
      country: org_country
      timestamps: {signup_ts: business, last_login_ts: version}
      identifiers: {email: requester_email, phone: mobile_no}
      attributes: {first_name: given_name, last_name: family_name, country: org_country}
      pii: {requester_email: email, mobile_no: phone, given_name: ~, family_name: ~}
"""
SOURCES_YAML = """\
version: 2

sources:
  - name: helpdesk
    description: "Deskly, the helpdesk: the people who opened tickets"
    schema: "{{ var('raw_schema') }}"
    tables:
      - name: helpdesk_users
        columns:
          - name: user_id
          - name: requester_email
          - name: mobile_no
          - name: given_name
          - name: family_name
          - name: org_country
          - name: signup_ts
          - name: last_login_ts
          - name: is_archived
          - name: _loaded_at
"""
BASE_MODEL = """\
{{ config(materialized='table') }}
{{ declared_base_model('helpdesk_users') }}
"""
STAGING_MODEL = """\
{{ select_kept_rows(ref('base_helpdesk__users')) }}
"""
HELPDESK_COLUMNS = (
    "user_id",
    "requester_email",
    "mobile_no",
    "given_name",
    "family_name",
    "org_country",
    "signup_ts",
    "last_login_ts",
    "is_archived",
)
HELPDESK_ROWS = [
    # U-1 delivered twice: an older version, then the current one
    (
        "U-1",
        "maya.koenig@example.de",
        "0160 5550199",
        "Maya",
        "König",
        "DE",
        "2023-02-01T09:00:00Z",
        "2024-01-01T09:00:00Z",
        "no",
        "2024-01-02 00:00:00",
    ),
    (
        "U-1",
        " Maya.Koenig+support@Example.de ",
        "0160 5550199",
        "MAYA",
        "KOENIG",
        "Deutschland",
        "2023-02-01T09:00:00Z",
        "2024-05-01T09:00:00Z",
        "no",
        "2024-05-02 00:00:00",
    ),
    (
        None,
        "nobody@example.org",
        None,
        "No",
        "Key",
        "DE",
        "2023-02-01T09:00:00Z",
        None,
        None,
        "2024-05-02 00:00:00",
    ),
    (
        "U-4",
        "ines.ortega@example.es",
        "+34 612 345 678",
        "Inés",
        "Ortega",
        "ES",
        "2023-03-01T09:00:00Z",
        None,
        None,
        "2024-05-02 00:00:00",
    ),
    (
        "U-5",
        "tomas.silva@example.pt",
        "+351 912 345 678",
        "Tomás",
        "Silva",
        "Portugal",
        "2023-04-01T09:00:00Z",
        None,
        "false",
        "2024-05-02 00:00:00",
    ),
]
RAW = {
    "shop_customers": [
        {
            "customer_id": "S-MK",
            "email": "maya.koenig@example.de",
            "phone": "+49 160 5550199",
            "first_name": "Maya",
            "last_name": "König",
            "country": "DE",
            "created_at": "2023-01-01T09:00:00Z",
        }
    ],
    "privacy_requests": [
        {
            "request_id": "PR-IO",
            "identifier_type": "email",
            "identifier_value": "ines.ortega@example.es",
            "request_type": "erasure",
            "received_at": "2024-06-01T09:00:00Z",
        }
    ],
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The project as a user changed it: a copy with the helpdesk added."""
    copy = tmp_path_factory.mktemp("new-source") / "project"
    shutil.copytree(
        PROJECT_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "target", "logs", "data", "pytests", "*.duckdb", "__pycache__"
        ),
    )
    config = copy / "dbt_project.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("\n  cdp_sources:\n") == 1
    config.write_text(
        text.replace("\n  cdp_sources:\n", "\n  cdp_sources:\n" + DECLARATION), encoding="utf-8"
    )
    staging = copy / "models" / "staging" / "helpdesk"
    staging.mkdir()
    (staging / "_helpdesk__sources.yml").write_text(SOURCES_YAML, encoding="utf-8")
    (staging / "base_helpdesk__users.sql").write_text(BASE_MODEL, encoding="utf-8")
    (staging / "stg_helpdesk__users.sql").write_text(STAGING_MODEL, encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def database(project):
    database = project.parent / "cdp.duckdb"
    land_rows(database, RAW)
    con = duckdb.connect(str(database))
    columns = ", ".join(f"{c} varchar" for c in HELPDESK_COLUMNS)
    con.execute(f"create table raw.helpdesk_users ({columns}, _loaded_at timestamp)")
    con.executemany(f"insert into raw.helpdesk_users values ({', '.join('?' * 10)})", HELPDESK_ROWS)
    con.close()
    result = run_dbt(database, "build", project_dir=project)
    assert result.success, result.output
    return database


def customer_of_record(database, source_table, record_key):
    rows = query(
        database,
        "select customer_id from intermediate.int_records_stitched "
        "where source_table = ? and record_key = ?",
        [source_table, record_key],
    )
    assert len(rows) == 1, rows
    return rows[0][0]


def test_no_project_model_was_changed_only_added(project):
    """The copy differs from the project only by the declaration and the new files."""
    added = sorted(
        str(p.relative_to(project))
        for p in project.rglob("*")
        if p.is_file() and not (PROJECT_DIR / p.relative_to(project)).exists()
    )
    assert added == [
        "models/staging/helpdesk/_helpdesk__sources.yml",
        "models/staging/helpdesk/base_helpdesk__users.sql",
        "models/staging/helpdesk/stg_helpdesk__users.sql",
    ]
    changed = sorted(
        str(p.relative_to(project))
        for p in project.rglob("*")
        if p.is_file()
        and (PROJECT_DIR / p.relative_to(project)).exists()
        and p.read_bytes() != (PROJECT_DIR / p.relative_to(project)).read_bytes()
    )
    assert changed == ["dbt_project.yml"]


def test_the_helpdesk_user_stitches_to_her_shop_account(database):
    maya = customer_of_record(database, "shop_customers", "S-MK")
    assert customer_of_record(database, "helpdesk_users", "U-1") == maya
    assert sorted(
        query(
            database,
            "select identifier_type, identifier_value, record_count "
            "from marts.customer_identities where customer_id = ? order by 1",
            [maya],
        )
    ) == [
        ("email", "maya.koenig@example.de", 2),
        ("phone", "+491605550199", 2),
        ("shop_customer_id", "S-MK", 1),
    ]


def test_attributes_come_with_their_source(database):
    tomas = customer_of_record(database, "helpdesk_users", "U-5")
    assert query(
        database,
        "select first_name, first_name_source, country, country_source, primary_email, "
        "primary_email_source from marts.customer_profiles where customer_id = ?",
        [tomas],
    ) == [("Tomás", "helpdesk", "PT", "helpdesk", "tomas.silva@example.pt", "helpdesk")]
    assert query(
        database,
        "select party, trust_rank from reference.source_systems where source_system = 'helpdesk'",
    ) == [("first", 15)]


def test_every_raw_row_is_accounted_for(database):
    assert query(
        database,
        "select raw_rows, kept_rows, duplicate_rows, quarantined_rows, is_reconciled "
        "from data_quality.dq_source_reconciliation where raw_table = 'helpdesk_users'",
    ) == [(5, 3, 1, 1, True)]
    assert query(
        database,
        "select reason_code from data_quality.dq_quarantined_rows "
        "where raw_table = 'helpdesk_users'",
    ) == [("missing_key",)]


def test_the_access_request_finds_the_helpdesk_record(database, project):
    from cdp.access_request import answer

    result = answer(str(database), "email", "MAYA.KOENIG@example.de", project_dir=project)
    assert result["status"] == "found"
    assert sorted((r["source_table"], r["record_key"]) for r in result["records"]) == [
        ("helpdesk_users", "U-1"),
        ("shop_customers", "S-MK"),
    ]


def test_the_helpdesk_user_is_erased_everywhere(database, project, monkeypatch):
    from cdp.erasure import erase_raw

    con = duckdb.connect(str(database))
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_schema not in ('raw')"
        ).fetchall()
        found = [
            f"{schema}.{table}.{column}"
            for schema, table, column in columns
            if con.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}" ilike ? '
                f'or "{column}" ilike ?',
                ["%ortega%", "%612 345 678%"],
            ).fetchone()[0]
        ]
    finally:
        con.close()
    assert found == []
    assert query(
        database, "select count(*) from raw.helpdesk_users where family_name = 'Ortega'"
    ) == [(1,)]
    monkeypatch.setenv("CDP_SECRET_SALT", TEST_SECRET_SALT)
    erase_raw(str(database), project_dir=project)
    assert query(
        database,
        "select given_name, family_name, requester_email like 'cdp-erased:%', "
        "mobile_no like 'cdp-erased:%' from raw.helpdesk_users where user_id = 'U-4'",
    ) == [(None, None, True, True)]
    # the others' rows are untouched
    assert query(
        database, "select count(*) from raw.helpdesk_users where given_name = 'Tomás'"
    ) == [(1,)]
