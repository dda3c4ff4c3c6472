"""``cdp access-request``: answer a subject access request (GDPR Art. 15) into a file.

The project's analysis ``analyses/subject_access_request.sql`` is compiled by dbt with the
identifier as variables bound at run time (macro ``query_parameter``), so neither the value
asked for nor the answer reaches compiled SQL, dbt's logs or the terminal: the answer
goes only to the file the privacy officer names. The identifier is read as everywhere in
the project (its own macros: emails as their mailbox, phones in E.164, a phone in
national format by the one known reading of its digits). An identifier that names no
one person (shared, a placeholder), that several countries' customers hold, or that
cannot be read is answered with the reason and nobody's records.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb

from cdp.duckdb_secrets import secret_salt

PROJECT_DIR = Path(__file__).resolve().parents[2]
ANALYSIS = "subject_access_request"
SECTIONS = {
    "record": "records",
    "consent_signal": "consent_signals",
    "privacy_request": "privacy_requests",
    "enrichment": "enrichment",
}
FOUND_REASON = (
    "The identifier belongs to one customer: every record held about them, their consent "
    "signals, privacy requests and third-party enrichment are listed."
)


class AccessRequestError(ValueError):
    """The request cannot be answered as asked: says why."""


@cache
def compiled_sql(
    database: str,
    project_dir: Path,
    target_path: Path | None,
    target: str | None = None,
    analysis: str = ANALYSIS,
) -> str:
    """The analysis (by default the access request's) compiled by dbt against `database`
    (or the profile's `target`: on Spark it reads session variables); no value in it, its
    inputs are bound at run time (macro query_parameter). Compiled once per process,
    database, target and analysis."""
    from cdp.dbt_invoke import invoke

    with tempfile.TemporaryDirectory(prefix="cdp-access-") as scratch:
        argv = [
            "compile",
            "--select",
            analysis,
            # not --quiet, which still prints the compiled SQL: an error is in the result
            "--log-level",
            "none",
            "--target-path",
            str(target_path or Path(scratch) / "target"),
            "--log-path",
            str(Path(scratch) / "logs"),
        ]
        if target:
            argv += ["--target", target]
        result = invoke(database, argv, project_dir)
    if not result.success or not result.result:
        reasons = [str(result.exception)] if result.exception else []
        reasons += [r.message for r in getattr(result.result, "results", []) if r.message]
        raise AccessRequestError(
            f"cannot compile analyses/{analysis}.sql for {database}: "
            f"{'; '.join(reasons) or 'dbt gave no reason'}"
        )
    return result.result.results[0].node.compiled_code


def dbt_target_path(project_dir: Path) -> Path:
    """dbt's target folder for the project (env DBT_TARGET_PATH, else target/), where the
    build left its parse of the project: compiling there reuses it instead of parsing
    the whole project again (the compiled SQL holds no value)."""
    configured = os.environ.get("DBT_TARGET_PATH")
    return Path(configured) if configured else project_dir / "target"


def _connect(database: str) -> duckdb.DuckDBPyConnection:
    """Read-only, so that a running `cdp explore` does not stand in the way."""
    from cdp.dbt_invoke import release_duckdb

    release_duckdb()  # dbt run earlier in this process keeps the file open
    try:
        return duckdb.connect(database, read_only=True)
    except duckdb.Error as error:
        raise AccessRequestError(f"cannot open {database}: {error}") from error


def _reference(con, table: str) -> list[tuple]:
    try:
        return con.execute(f"select * from reference.{table}").fetchall()
    except duckdb.CatalogException as error:
        raise AccessRequestError(
            f"the database has no reference.{table}: run `dbt build` on it first"
        ) from error


def answer(
    database: str,
    identifier_type: str,
    value: str,
    project_dir: Path = PROJECT_DIR,
    target_path: Path | None = None,
) -> dict:
    """The answer to an access request for one identifier, as a JSON-ready dict."""
    if not Path(database).is_file():
        raise AccessRequestError(f"no database at {database}")
    with _connect(database) as con:
        known_types = sorted(row[0] for row in _reference(con, "identifier_types"))
        if identifier_type not in known_types:
            raise AccessRequestError(
                f"unknown identifier type {identifier_type!r}: one of {', '.join(known_types)}"
            )
        reasons = dict(
            con.execute(
                "select reason_code, what_to_do from reference.request_attention_reasons"
            ).fetchall()
        )
    # the database as the build named it: compiled in the build's target folder
    # (target_path, as the command does), dbt reuses the build's parse of the project
    sql = compiled_sql(database, project_dir, target_path)
    with _connect(database) as con:
        con.execute("set variable cdp_secret_salt = ?", [secret_salt()])
        for name, bound in (("identifier_type", identifier_type), ("identifier_value", value)):
            con.execute(f"set variable cdp_request_{name} = ?", [bound])
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    head = rows[0]
    result: dict = {
        "identifier": {
            "type": identifier_type,
            "as_given": value,
            "read_as": head["read_as"],
        },
        "status": head["status"],
        "reason_code": head["reason_code"],
        "reason": FOUND_REASON if head["status"] == "found" else reasons[head["reason_code"]],
        "customer_id": head["customer_id"],
        **{section: [] for section in SECTIONS.values()},
        "database": str(database),
        "answered_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for row in rows[1:]:
        result[SECTIONS[row["section"]]].append(
            {
                "source_system": row["source_system"],
                "source_table": row["source_table"],
                "record_key": row["record_key"],
                "data": json.loads(row["record_data"]),
            }
        )
    return result


def write_answer(result: dict, output: Path, force: bool = False) -> None:
    """Write the answer to `output`, never over an existing file unless `force`."""
    if output.exists() and not force:
        raise AccessRequestError(f"{output} exists: name a new file, or give --force")
    output.parent.mkdir(parents=True, exist_ok=True)
    scratch = output.with_name(output.name + ".part")
    scratch.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    os.chmod(scratch, 0o600)
    scratch.replace(output)


def summary(result: dict, output: Path) -> str:
    """One line for the terminal: what was found, never the identifier or the data."""
    counts = ", ".join(
        f"{len(result[section])} {section.replace('_', ' ')}" for section in SECTIONS.values()
    )
    return (
        f"access request ({result['identifier']['type']}): {result['status']}"
        + (f" ({result['reason_code']})" if result["reason_code"] else "")
        + f"; {counts}; answer written to {output}"
    )
