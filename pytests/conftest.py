"""Shared helpers: land hand-made raw rows into a fresh DuckDB and run dbt in-process."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from cdp.contract import LOADED_AT, RAW_SCHEMA, RAW_TABLES
from cdp.dbt_invoke import release_duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
# the earliest default landing time: rows carrying only older times land at it
DEFAULT_LOADED_AT = "2025-01-01 00:00:00"
# hand-made data is not the demo data: the build needs a secret salt of its own, and
# whatever reads the built database (cdp explore, cdp erase-raw) the same one
TEST_SECRET_SALT = "pytest-secret-salt-0123456789"
os.environ.setdefault("CDP_SECRET_SALT", TEST_SECRET_SALT)


def default_loaded_at(row: dict) -> str:
    """When a hand-made row lands if it does not say: as real rows do, after the events
    it carries: DEFAULT_LOADED_AT, or an hour after the latest ISO date-time among its
    `*_at` columns when that is later. Rows testing timestamps after their landing
    (a 2099 event) must give their _loaded_at explicitly."""
    landed = datetime.fromisoformat(DEFAULT_LOADED_AT)
    for column, value in row.items():
        if not column.endswith("_at") or column == LOADED_AT or not isinstance(value, str):
            continue
        try:
            instant = datetime.fromisoformat(value.strip())
        except ValueError:
            continue  # unparseable on purpose: staging quarantines it
        if instant.tzinfo is not None:
            instant = instant.astimezone(UTC).replace(tzinfo=None)
        landed = max(landed, instant + timedelta(hours=1))
    return landed.isoformat(sep=" ")


def land_rows(database: Path, tables: dict[str, Iterable[dict]], append: bool = False) -> None:
    """Create every raw contract table (VARCHAR columns, typed _loaded_at) and insert rows;
    with `append`, add the rows to the raw tables already there (another delivery).

    Tables not named are created empty; a row's missing columns are null; a row
    without _loaded_at lands at default_loaded_at(row). This is what any EL tool could
    land.
    """
    unknown = set(tables) - set(RAW_TABLES)
    assert not unknown, f"not contract tables: {unknown}"
    con = duckdb.connect(str(database))
    try:
        con.execute(f"create schema if not exists {RAW_SCHEMA}")
        for table, columns in RAW_TABLES.items():
            ddl = ", ".join(f"{c} varchar" for c in columns)
            create = "create table if not exists" if append else "create or replace table"
            con.execute(f"{create} {RAW_SCHEMA}.{table} ({ddl}, {LOADED_AT} timestamp)")
            for row in tables.get(table, ()):
                extra = set(row) - set(columns) - {LOADED_AT}
                assert not extra, f"{table}: unknown columns {extra}"
                values = [row.get(c) for c in columns] + [
                    row[LOADED_AT] if LOADED_AT in row else default_loaded_at(row)
                ]
                marks = ", ".join("?" for _ in values)
                con.execute(f"insert into {RAW_SCHEMA}.{table} values ({marks})", values)
    finally:
        con.close()


class DbtResult:
    def __init__(self, success: bool, output: str, result) -> None:
        self.success = success
        self.output = output
        self.result = result


# dbt's parse of the project, reused across the scenarios of one test process: dbt
# parses the whole project (15-20 s) unless the target folder holds a parse it can
# reuse (partial parsing); dbt checks the saved parse against the project's files, vars
# and profile itself, and parses again when anything differs. The profile names the
# database by a relative path (the scenario's folder is the working directory during
# the run), so it reads the same for every scenario's cdp.duckdb.
_SAVED_PARSES: dict[tuple[str, str], Path] = {}
PARTIAL_PARSE = "partial_parse.msgpack"


def _reuse_parse(target: Path, key: tuple[str, str]) -> None:
    saved = _SAVED_PARSES.get(key)
    if saved and saved.is_file() and not (target / PARTIAL_PARSE).exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, target / PARTIAL_PARSE)


def _save_parse(target: Path, key: tuple[str, str]) -> None:
    parsed = target / PARTIAL_PARSE
    if parsed.is_file():
        saved = Path(tempfile.gettempdir()) / f"cdp-parse-{os.getpid()}-{abs(hash(key))}"
        shutil.copyfile(parsed, saved)
        _SAVED_PARSES[key] = saved


def run_dbt(
    database: Path,
    *args: str,
    target_dir: Path | None = None,
    threads: int | None = None,
    secret_salt: str | None = TEST_SECRET_SALT,
    project_dir: Path = PROJECT_DIR,
) -> DbtResult:
    """Run one dbt command in-process against `database` (with `secret_salt` as
    CDP_SECRET_SALT; None: unset) in `project_dir` (the project; or a copy a test
    changed); capture its log output. A `--target` other than the default gets a target
    folder of its own, so the parses of both engines stay reusable."""
    previous = {name: os.environ.get(name) for name in ("CDP_DUCKDB_PATH", "CDP_SECRET_SALT")}
    previous_dir = Path.cwd()
    engine = args[args.index("--target") + 1] if "--target" in args else "duckdb"
    os.environ["CDP_DUCKDB_PATH"] = database.name
    if secret_salt is None:
        os.environ.pop("CDP_SECRET_SALT", None)
    else:
        os.environ["CDP_SECRET_SALT"] = secret_salt
    target = target_dir or database.parent / (
        "target" if engine == "duckdb" else f"target-{engine}"
    )
    key = (str(project_dir), engine)
    _reuse_parse(target, key)
    messages: list[str] = []

    def collect(event) -> None:
        messages.append(event.info.msg)

    argv = [
        *args,
        "--quiet",
        "--no-use-colors",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(target),
        "--log-path",
        str(database.parent / "logs"),
    ]
    if threads:
        argv += ["--threads", str(threads)]
    database.parent.mkdir(parents=True, exist_ok=True)
    os.chdir(database.parent)
    try:
        result = dbtRunner(callbacks=[collect]).invoke(argv)
    finally:
        # dbt-duckdb keeps the database open for the next command of the process when
        # the profile reads the same, as it does for every scenario's relative path:
        # closed, so that the next command opens its own scenario's file
        release_duckdb()
        os.chdir(previous_dir)
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    _save_parse(target, key)
    output = "\n".join(str(m) for m in messages)
    if result.exception is not None:
        output += f"\n{result.exception}"
    return DbtResult(result.success, output, result)


def build_scenario(folder: Path, tables: dict[str, Iterable[dict]], *dbt_args: str) -> Path:
    """Land hand-made raw rows into a fresh DuckDB in `folder` and `dbt build` it;
    returns the database path (the build must succeed). The unit tests, whose fixtures
    are their own and not the scenario's, run in the test command's build of generated
    data, not in every scenario's."""
    database = folder / "cdp.duckdb"
    land_rows(database, tables)
    result = run_dbt(database, "build", "--exclude", "test_type:unit", *dbt_args)
    assert result.success, result.output
    return database


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(database))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def query_dicts(database: Path, sql: str, params: list | None = None) -> list[dict]:
    """Rows of a query as {column: value} dicts."""
    con = duckdb.connect(str(database))
    try:
        cursor = con.execute(sql, params or [])
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="session")
def project_dir() -> Path:
    return PROJECT_DIR


def require_spark() -> None:
    """Skip the calling test module when Spark cannot run here (no pyspark, no Java),
    saying why; in CI (env CI set), where scripts/test.sh sets Spark up, fail instead."""
    missing = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing = "pyspark is not installed (./scripts/setup.sh --spark)"
    else:
        if shutil.which("java") is None:
            missing = "no java on PATH (Spark 4 needs Java 17+)"
    if missing:
        if os.environ.get("CI"):
            raise RuntimeError(missing)
        pytest.skip(missing, allow_module_level=True)
