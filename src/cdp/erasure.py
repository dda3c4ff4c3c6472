"""Erasure beyond the tables a build writes: ``cdp erase`` (the whole procedure a privacy
officer runs) and ``cdp erase-raw`` (its raw-table step alone).

A ``dbt build`` already removes an erased person's email, phone, name and address from
everything the project builds (the on-run-end erasure pass). What a build cannot reach:

1. the raw tables, the EL tool's copy: ``erase_raw`` runs the dbt operation
   ``anonymize_raw_erasures``, which nulls the cells the last build listed in
   ``int_raw_cells_erased`` and replaces the person's own identifiers, and the identifier
   of each privacy request and consent event, by ``cdp-erased:`` and its keyed hash.
   Account ids and business columns stay; the erasure log keeps the person erased when the
   EL tool delivers their rows again, and the next build decides exactly as before.
2. the database file's free pages: DuckDB reuses freed blocks without zeroing them, so
   the bytes of rows the erasure overwrote stay in the file. ``compact_database`` copies
   the live data into a new file and puts it in place of the old one.
3. what dbt writes outside tables: its log file (``dbt show`` prints rows there), the
   compiled SQL and run results of earlier commands and its parsed state (an inline query
   naming an email is in all of them). ``scrub_dbt_artifacts`` deletes them; dbt writes
   them anew on its next run (``dbt docs generate`` for the docs site).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]
# what dbt writes under its target path, rewritten by its next run: the compiled SQL and
# run results of earlier commands, and the project's parsed state, which holds the text of
# an inline query (`dbt show --inline "... where email = '...'"`) too
TARGET_ARTIFACTS = (
    "compiled",
    "run",
    "run_results.json",
    "sources.json",
    "manifest.json",
    "semantic_manifest.json",
    "partial_parse.msgpack",
    "graph.gpickle",
    "graph_summary.json",
    "perf_info.json",
    "catalog.json",
    "index.html",
)


class ErasureError(ValueError):
    """A step of the erasure procedure failed: says which and why."""


def _dbt(database: str, args: list[str], project_dir: Path, log_path, target_path) -> None:
    from cdp.dbt_invoke import invoke

    argv = list(args)
    if log_path:
        argv += ["--log-path", str(log_path)]
    if target_path:
        argv += ["--target-path", str(target_path)]
    result = invoke(database, argv, project_dir)
    if not result.success:
        raise ErasureError(
            f"`dbt {args[0]}` failed: {result.exception or 'see the dbt output above'}"
        )


def erase_raw(
    database: str, project_dir: Path = PROJECT_DIR, log_path=None, target_path=None
) -> None:
    """Anonymize the erased people's cells in the raw tables (after a dbt build)."""
    try:
        _dbt(
            database,
            ["run-operation", "anonymize_raw_erasures"],
            project_dir,
            log_path,
            target_path,
        )
    except ErasureError as error:
        raise ValueError(f"erasing the raw rows failed: {error}") from error


def compact_database(database: str) -> tuple[int, int]:
    """Copy the live contents of `database` into a fresh file and put it in place of the
    old one, so no freed page keeps erased bytes. Returns the sizes before and after."""
    path = Path(database)
    before = path.stat().st_size
    fresh = path.with_name(path.name + ".compacting")
    fresh.unlink(missing_ok=True)
    from cdp.dbt_invoke import release_duckdb

    release_duckdb()  # dbt run earlier in this process keeps the file open
    con = duckdb.connect()
    try:
        try:
            con.execute("attach ? as cdp_erasure_source (read_only)", [str(path)])
        except duckdb.Error as error:
            raise ErasureError(
                f"cannot open {database} alone to compact it ({error}): close every other "
                "program using it (a dbt run, cdp explore, a notebook) and run again"
            ) from error
        con.execute("attach ? as cdp_erasure_copy", [str(fresh)])
        con.execute("copy from database cdp_erasure_source to cdp_erasure_copy")
        con.execute("detach cdp_erasure_copy")
        con.execute("detach cdp_erasure_source")
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    with open(fresh, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(fresh, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    return before, path.stat().st_size


@dataclass
class Scrubbed:
    removed: list[str] = field(default_factory=list)


def scrub_dbt_artifacts(log_path: Path, target_path: Path, spill_path: Path | None) -> Scrubbed:
    """Delete dbt's log files, the compiled SQL and run results under the target path,
    and DuckDB's spill files: copies of data or queries a build leaves outside tables."""
    scrubbed = Scrubbed()
    for log in sorted(log_path.glob("dbt.log*")) if log_path.is_dir() else []:
        log.unlink()
        scrubbed.removed.append(str(log))
    for name in TARGET_ARTIFACTS:
        artifact = target_path / name
        if artifact.is_dir():
            shutil.rmtree(artifact)
        elif artifact.is_file():
            artifact.unlink()
        else:
            continue
        scrubbed.removed.append(str(artifact))
    if spill_path and spill_path.is_dir():
        for spilled in sorted(spill_path.iterdir()):
            if spilled.is_file():
                spilled.unlink()
                scrubbed.removed.append(str(spilled))
    return scrubbed


def erase(
    database: str,
    project_dir: Path = PROJECT_DIR,
    log_path: Path | None = None,
    target_path: Path | None = None,
    build: bool = True,
    report=print,
) -> None:
    """The whole erasure procedure: build, raw tables, the file's free pages, dbt's
    logs and compiled SQL. Each step says what it did."""
    log_path = Path(log_path) if log_path else project_dir / "logs"
    target_path = Path(target_path) if target_path else project_dir / "target"
    if not Path(database).is_file():
        raise ErasureError(f"no database at {database}")
    if build:
        report("1/4 dbt build: every erasure request applied to what the project builds")
        _dbt(database, ["build", "--quiet"], project_dir, log_path, target_path)
    else:
        report("1/4 dbt build: skipped (--no-build): the last build's erasures are applied")
    report("2/4 raw tables: erased people's cells anonymized")
    erase_raw(database, project_dir, log_path, target_path)
    before, after = compact_database(database)
    report(
        f"3/4 database file rewritten with its live data only ({before:,} -> {after:,} bytes): "
        "no freed page keeps erased values"
    )
    spill = os.environ.get("CDP_DUCKDB_TEMP_DIRECTORY") or f"{database}.tmp"
    scrubbed = scrub_dbt_artifacts(log_path, target_path, Path(spill))
    report(
        f"4/4 dbt's logs, compiled SQL, run results and spill files removed "
        f"({len(scrubbed.removed)} files or folders under {log_path} and {target_path})"
    )
