"""The secret salt (issue: ids recomputable from an email, salt in compiled SQL).

Customer ids and the hashes kept after an erasure are keyed by CDP_SECRET_SALT. The
build refuses to run on anything but the demo data without one, and the value is
never written into compiled SQL, dbt's artifacts or logs, or any table.
"""

from __future__ import annotations

import duckdb

from conftest import land_rows, query, run_dbt

ROWS = {
    "shop_customers": [
        {
            "customer_id": "S-1",
            "email": "erin@mail-example.com",
            "country": "DE",
            "created_at": "2024-01-01",
        }
    ]
}
SALT = "zq-very-secret-salt-4711-do-not-log"


def test_hand_made_data_without_a_secret_is_refused_with_how_to_set_it(tmp_path):
    database = tmp_path / "cdp.duckdb"
    land_rows(database, ROWS)
    result = run_dbt(database, "build", secret_salt=None)
    assert not result.success
    assert "CDP_SECRET_SALT is not set" in result.output
    assert "export CDP_SECRET_SALT=" in result.output


def test_a_short_secret_is_refused(tmp_path):
    database = tmp_path / "cdp.duckdb"
    land_rows(database, ROWS)
    result = run_dbt(database, "build", secret_salt="cdp")
    assert not result.success
    assert "CDP_SECRET_SALT is too short (3 characters)" in result.output


def test_the_secret_keys_ids_and_is_written_nowhere(tmp_path):
    first = tmp_path / "a" / "cdp.duckdb"
    second = tmp_path / "b" / "cdp.duckdb"
    ids = []
    for database, salt in ((first, SALT), (second, SALT + "-other")):
        database.parent.mkdir()
        land_rows(database, ROWS)
        result = run_dbt(database, "build", secret_salt=salt)
        assert result.success, result.output
        ids.append(query(database, "select customer_id from marts.customer_profiles"))
    # the same data under two secrets: unrelated ids (not recomputable without it)
    assert len(ids[0]) == 1 and ids[0] != ids[1]
    # not in compiled SQL, run SQL, manifest, run results or logs
    for path in (tmp_path / "a").rglob("*"):
        if path.is_file() and path.suffix in {".sql", ".json", ".log", ".txt", ".yml"}:
            assert SALT not in path.read_text(errors="ignore"), path
    # not in any text column of any table
    con = duckdb.connect(str(first), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            hits = con.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}" like ?',
                [f"%{SALT}%"],
            ).fetchone()[0]
            assert hits == 0, (schema, table, column)
    finally:
        con.close()


def test_demo_data_builds_without_a_secret(tmp_path):
    database = tmp_path / "cdp.duckdb"
    land_rows(database, ROWS)
    con = duckdb.connect(str(database))
    con.execute("create schema truth")
    con.execute("create table truth.persons (person_id varchar)")
    con.close()
    result = run_dbt(database, "build", secret_salt=None)
    assert result.success, result.output
