"""Write, audit, publish (docs/builds.md): the marts users read (schema marts) always come
from one complete build that passed its tests.

A copy of the project gets one check of its own, as a user would add one
(`tests/assert_no_profile_named_mallory.sql`: a data test on customer_profiles). Written
by hand before the builds ran:

1. Delivery 1 (Quinn) builds and passes: marts holds exactly what marts_audit holds.
2. Delivery 2 adds Mallory: the build writes her into marts_audit, the check fails, and
   marts is exactly as after step 1 (Quinn only, not Mallory).
3. Mallory's rows are withdrawn and delivery 3 adds Nina; a `dbt build` is killed while
   it rebuilds the marts: marts is still exactly as after step 1.
4. The next build passes: marts holds Quinn and Nina, as marts_audit does.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import PROJECT_DIR, TEST_SECRET_SALT, land_rows, query, run_dbt

CHECK = """\
-- a user's own audit: nobody called Mallory may reach the marts
select customer_id from {{ ref('customer_profiles') }}
where first_name = 'Mallory'
"""


def customer(customer_id: str, first_name: str, email: str) -> dict:
    return {
        "customer_id": customer_id,
        "first_name": first_name,
        "last_name": "Example",
        "email": email,
        "country": "DE",
        "created_at": "2024-01-01T10:00:00Z",
    }


QUINN = customer("S-Q", "Quinn", "quinn@example.de")
MALLORY = customer("S-M", "Mallory", "mallory@example.de")
NINA = customer("S-N", "Nina", "nina@example.de")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    copy = tmp_path_factory.mktemp("publish") / "project"
    shutil.copytree(
        PROJECT_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "target", "logs", "data", "pytests", "*.duckdb", "__pycache__"
        ),
    )
    (copy / "tests" / "assert_no_profile_named_mallory.sql").write_text(CHECK)
    return copy


def marts(database) -> dict[str, list[tuple]]:
    """Every relation of schema marts the project publishes, rows sorted."""
    names = [
        name
        for (name,) in query(
            database,
            "select table_name from duckdb_tables() where schema_name = 'marts_audit' order by 1",
        )
    ]
    assert len(names) >= 15
    return {
        name: sorted(query(database, f"select * from marts.{name}"), key=repr) for name in names
    }


def audit(database) -> dict[str, list[tuple]]:
    names = [
        name
        for (name,) in query(
            database,
            "select table_name from duckdb_tables() where schema_name = 'marts_audit' order by 1",
        )
    ]
    return {
        name: sorted(query(database, f"select * from marts_audit.{name}"), key=repr)
        for name in names
    }


def first_names(database, schema: str) -> list[str]:
    return [
        row[0]
        for row in query(database, f"select first_name from {schema}.customer_profiles order by 1")
    ]


def test_only_complete_builds_are_published(project, tmp_path):
    database = tmp_path / "cdp.duckdb"

    # 1. a build that passes publishes everything it built
    land_rows(database, {"shop_customers": [QUINN]})
    first = run_dbt(database, "build", "--exclude", "test_type:unit", project_dir=project)
    assert first.success, first.output
    published = marts(database)
    assert published == audit(database)
    assert first_names(database, "marts") == ["Quinn"]

    # 2. a build whose check fails publishes nothing
    land_rows(database, {"shop_customers": [MALLORY]}, append=True)
    failed = run_dbt(database, "build", "--exclude", "test_type:unit", project_dir=project)
    assert not failed.success
    assert "assert_no_profile_named_mallory" in failed.output
    assert first_names(database, "marts_audit") == ["Mallory", "Quinn"]
    assert marts(database) == published

    # 3. a build killed while it rebuilds the marts publishes nothing
    con = duckdb.connect(str(database))
    con.execute("delete from raw.shop_customers where customer_id = 'S-M'")
    con.close()
    land_rows(database, {"shop_customers": [NINA]}, append=True)
    killed = _build_killed_while_building_marts(database, project, tmp_path / "killed")
    assert killed, "the build was killed while it built the marts"
    assert marts(database) == published

    # 4. the next complete build publishes again
    last = run_dbt(database, "build", "--exclude", "test_type:unit", project_dir=project)
    assert last.success, last.output
    assert first_names(database, "marts") == ["Nina", "Quinn"]
    assert marts(database) == audit(database)


def text_cells(database, schema: str) -> list[str]:
    """Every text value of every table of the schema."""
    cells = []
    for table, column in query(
        database,
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = ? and data_type = 'VARCHAR'",
        [schema],
    ):
        cells += [v for (v,) in query(database, f'select "{column}" from {schema}."{table}"') if v]
    return cells


def test_an_erasure_reaches_the_published_marts_when_the_build_fails(project, tmp_path):
    """Quinn asks to be erased in the delivery whose build fails (Mallory): nothing is
    published, yet the marts users read no longer hold her name or email."""
    database = tmp_path / "cdp.duckdb"
    land_rows(database, {"shop_customers": [QUINN]})
    first = run_dbt(database, "build", "--exclude", "test_type:unit", project_dir=project)
    assert first.success, first.output
    assert "quinn@example.de" in text_cells(database, "marts")

    erasure = {
        "request_id": "PR-Q",
        "identifier_type": "email",
        "identifier_value": "Quinn@Example.de",
        "request_type": "erasure",
        "received_at": "2024-03-01T10:00:00Z",
    }
    land_rows(database, {"shop_customers": [MALLORY], "privacy_requests": [erasure]}, append=True)
    failed = run_dbt(database, "build", "--exclude", "test_type:unit", project_dir=project)
    assert not failed.success
    assert "marts not published" in failed.output
    # not published: Mallory is in no published mart, Quinn's row is still the only one
    assert query(database, "select count(*), count(first_name) from marts.customer_profiles") == [
        (1, 0)
    ]
    for schema in ("marts", "marts_audit"):
        cells = " ".join(text_cells(database, schema)).lower()
        assert "quinn" not in cells, schema


def _build_killed_while_building_marts(database, project, folder) -> bool:
    """Start `dbt build` in its own process; kill it (SIGKILL) as soon as its log says it
    builds a mart. Whether it was killed before it ended."""
    folder.mkdir()
    env = {
        **os.environ,
        "CDP_DUCKDB_PATH": str(database),
        "CDP_SECRET_SALT": TEST_SECRET_SALT,
    }
    dbt = shutil.which("dbt", path=os.path.dirname(sys.executable)) or "dbt"
    process = subprocess.Popen(
        [
            dbt,
            "build",
            "--exclude",
            "test_type:unit",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(folder / "target"),
            "--log-path",
            str(folder / "logs"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    log = folder / "logs" / "dbt.log"
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if log.is_file() and "marts_audit.customer_" in log.read_text(errors="replace"):
                process.send_signal(signal.SIGKILL)
                process.wait()
                return True
            time.sleep(0.2)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
