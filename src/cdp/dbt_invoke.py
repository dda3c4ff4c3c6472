"""Running dbt from the ``cdp`` commands, in this process, against one DuckDB file."""

from __future__ import annotations

import os
from pathlib import Path


def invoke(database: str, argv: list[str], project_dir: Path):
    """Run one dbt command (argv) with CDP_DUCKDB_PATH set to `database`, from the
    project's own folder and profile; returns dbt's result."""
    from dbt.cli.main import dbtRunner

    previous = os.environ.get("CDP_DUCKDB_PATH")
    os.environ["CDP_DUCKDB_PATH"] = database
    try:
        return dbtRunner().invoke(
            [*argv, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
        )
    finally:
        if previous is None:
            os.environ.pop("CDP_DUCKDB_PATH", None)
        else:
            os.environ["CDP_DUCKDB_PATH"] = previous
        release_duckdb()


def release_duckdb() -> None:
    """Close the database dbt-duckdb keeps open after a command run in this process, so
    that the file can be opened again read-only, or replaced."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:
        return
    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        if environment is not None:
            environment.close()
            DuckDBConnectionManager._ENV = None
