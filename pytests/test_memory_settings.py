"""The build's memory and spill settings (profiles.yml, README "Big data sets on one
machine"): a model that runs out of memory is named with the variables to change, and
a mistyped setting stops the build before any model, naming its variable."""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest

from conftest import land_rows, run_dbt


@contextmanager
def environment(**variables: str):
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """5,000 web events, written here: enough to need more than 2 MB to deduplicate."""
    database = tmp_path_factory.mktemp("memory") / "cdp.duckdb"
    events = [
        {
            "event_id": f"ev-{number:06d}",
            "anonymous_id": f"anon-{number % 997}",
            "event_type": "page_view",
            "platform": "web",
            "page_url": f"https://shop.example/products/{number}",
            "occurred_at": "2025-03-01T10:00:00Z",
            "received_at": "2025-03-01T10:00:01Z",
        }
        for number in range(5_000)
    ]
    activities = [
        {
            "activity_id": f"ea-{number:06d}",
            "email": f"reader{number}@example.com",
            "activity_type": "open",
            "occurred_at": "2025-03-01T10:00:00Z",
        }
        for number in range(5_000)
    ]
    land_rows(database, {"web_events": events, "email_activity": activities})
    return database


def test_a_model_out_of_memory_is_named_with_the_settings_to_change(database):
    with environment(CDP_DUCKDB_MEMORY_LIMIT="2MB", CDP_DUCKDB_TEMP_DIRECTORY=""):
        result = run_dbt(database, "run", "--select", "base_web__events")
    assert not result.success
    advice = [line for line in result.output.splitlines() if line.startswith("Out of memory in")]
    assert len(advice) == 1, result.output
    (line,) = advice
    assert line.startswith("Out of memory in base_web__events: DuckDB may use 1.9 MiB")
    for variable in ("CDP_DUCKDB_MEMORY_LIMIT", "CDP_DUCKDB_THREADS", "CDP_THREADS"):
        assert variable in line
    assert "dbt build --select base_web__events+" in line


def test_models_out_of_memory_side_by_side_are_told_to_build_one_at_a_time(database):
    # at 5M customers two models that each fit alone failed together: DuckDB's limit is
    # one for the whole database, shared by the models dbt runs at once
    with environment(CDP_DUCKDB_MEMORY_LIMIT="2MB", CDP_DUCKDB_TEMP_DIRECTORY=""):
        result = run_dbt(
            database,
            "run",
            "--select",
            "base_web__events",
            "base_email__activities",
            "--threads",
            "2",
        )
    assert not result.success
    advice = [line for line in result.output.splitlines() if line.startswith("Out of memory in")]
    assert len(advice) == 1, result.output
    (line,) = advice
    assert line.startswith("Out of memory in base_email__activities, base_web__events:")
    assert "ran at the same time" in line and "CDP_THREADS=1" in line
    assert "dbt build --select base_email__activities+ base_web__events+ --threads 1" in line


def test_the_same_model_builds_within_the_default_limits(database):
    result = run_dbt(database, "run", "--select", "base_web__events")
    assert result.success, result.output
    assert "Out of memory" not in result.output


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "CDP_DUCKDB_MEMORY_LIMIT",
            "lots",
            "CDP_DUCKDB_MEMORY_LIMIT (profile setting memory_limit) is not a size DuckDB "
            "understands: 'lots'",
        ),
        (
            "CDP_DUCKDB_MAX_TEMP_SIZE",
            "big",
            "CDP_DUCKDB_MAX_TEMP_SIZE (profile setting max_temp_directory_size) is not a size",
        ),
        (
            "CDP_DUCKDB_THREADS",
            "two",
            "CDP_DUCKDB_THREADS must be a whole number of threads (1 or more), got: 'two'",
        ),
        ("CDP_DUCKDB_THREADS", "0", "CDP_DUCKDB_THREADS must be a whole number"),
    ],
)
def test_a_mistyped_setting_stops_the_build_naming_its_variable(
    database, variable, value, expected
):
    with environment(**{variable: value}):
        result = run_dbt(database, "run", "--select", "base_web__events")
    assert not result.success
    assert expected in result.output, result.output


def spilled_connection(path):
    """A DuckDB connection whose spill directory holds data: a group-by over more than
    its memory limit."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("set memory_limit = '100MB'")
    con.execute("set preserve_insertion_order = false")
    con.execute("create table t as select range as i, md5(range::varchar) as s from range(3000000)")
    con.execute("select s, count(*) from t group by s order by s limit 1").fetchall()
    return con


def test_the_spill_directory_is_not_set_again_once_it_holds_data(tmp_path):
    # found at 1M customers with an 8 GiB limit: dbt-duckdb ran `SET temp_directory` on
    # every cursor, and DuckDB refuses it (even with the same value) once it has spilled,
    # failing the next model of every build that spilled
    import duckdb

    from cdp.duckdb_resources import Plugin

    con = spilled_connection(tmp_path / "spill.duckdb")
    try:
        directory = str(tmp_path / "spill.duckdb.tmp")
        with pytest.raises(duckdb.Error, match="Cannot switch temporary directory"):
            con.cursor().execute(f"set temp_directory = '{directory}'")
        plugin = Plugin("cdp.duckdb_resources", {"temp_directory": directory})
        plugin.configure_connection(con)  # the same directory: nothing to set
        assert con.execute("select current_setting('temp_directory')").fetchone() == (directory,)
    finally:
        con.close()


def test_the_spill_directory_goes_where_the_variable_says(tmp_path):
    import duckdb

    from cdp.duckdb_resources import Plugin

    con = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    try:
        elsewhere = str(tmp_path / "big disk" / "spill")
        Plugin("cdp.duckdb_resources", {"temp_directory": elsewhere}).configure_connection(con)
        assert con.execute("select current_setting('temp_directory')").fetchone() == (elsewhere,)
    finally:
        con.close()


def test_the_profile_leaves_the_spill_directory_to_the_plugin():
    # a `settings:` entry is set again on every cursor dbt-duckdb opens (above)
    import yaml

    from conftest import PROJECT_DIR

    duckdb_output = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())["cdp"]["outputs"][
        "duckdb"
    ]
    assert "temp_directory" not in duckdb_output["settings"]
    (plugin,) = [p for p in duckdb_output["plugins"] if p["module"] == "cdp.duckdb_resources"]
    assert "CDP_DUCKDB_TEMP_DIRECTORY" in plugin["config"]["temp_directory"]


def test_the_plugin_leaves_no_transaction_open(tmp_path):
    # found by CI: a result left open on the database's own connection held a transaction
    # for the whole build, so a CHECKPOINT in the same process (a test copying the file
    # after a build) was refused with "there are other write transactions active"
    import duckdb

    from cdp.duckdb_resources import Plugin

    path = str(tmp_path / "build.duckdb")
    con = duckdb.connect(path)
    try:
        Plugin("cdp.duckdb_resources", {"temp_directory": path + ".tmp"}).configure_connection(con)
        model = con.cursor()  # dbt runs each model on a cursor of this connection
        model.execute("create table customers as select 1 as customer_id")
        model.close()
        other = duckdb.connect(path)  # the same database instance, as in one process
        try:
            other.execute("checkpoint")
        finally:
            other.close()
    finally:
        con.close()
