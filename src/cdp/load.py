"""Land a folder of CSV or Parquet files into the raw schema of a DuckDB file.

For each contract table the folder holds ``<table>.csv``, ``<table>.parquet`` or a
sub-folder ``<table>/`` of ``*.csv`` / ``*.parquet`` parts. Every contract column
lands as VARCHAR (as EL tools deliver it). ``_loaded_at`` is taken from the files
when they carry it, otherwise it is the time of this load.

The load is all or nothing: every file is checked before anything is written, and
the writes run in one transaction, so an error leaves the database as it was.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from cdp.contract import LOADED_AT, RAW_SCHEMA, RAW_TABLES


class LoadError(Exception):
    """A problem with the input that the user must fix; the message names it."""


@dataclass(frozen=True)
class TableFiles:
    table: str
    paths: tuple[Path, ...]
    kind: str  # "csv" or "parquet"

    def describe(self) -> str:
        return str(self.paths[0]) if len(self.paths) == 1 else f"{self.paths[0].parent}/"


def find_table_files(
    folder: Path, tables: dict[str, tuple[str, ...]] = RAW_TABLES
) -> dict[str, TableFiles]:
    folder = Path(folder)
    if not folder.is_dir():
        raise LoadError(f"input folder not found: {folder}")
    found: dict[str, TableFiles] = {}
    missing = []
    for table in tables:
        candidates = [
            (kind, [folder / f"{table}.{kind}"])
            for kind in ("csv", "parquet")
            if (folder / f"{table}.{kind}").is_file()
        ]
        if (folder / table).is_dir():
            for kind in ("csv", "parquet"):
                parts = sorted((folder / table).glob(f"*.{kind}"))
                if parts:
                    candidates.append((kind, parts))
        if not candidates:
            missing.append(table)
        elif len(candidates) > 1:
            names = ", ".join(str(paths[0]) for _, paths in candidates)
            raise LoadError(f"table {table}: more than one input found ({names}); keep one")
        else:
            kind, paths = candidates[0]
            found[table] = TableFiles(table, tuple(paths), kind)
    if missing:
        raise LoadError(
            f"missing table(s) in {folder}: {', '.join(missing)} "
            f"(expected <table>.csv, <table>.parquet or a folder <table>/)"
        )
    return found


def _reader_sql(con: duckdb.DuckDBPyConnection, files: TableFiles) -> str:
    paths = "[" + ", ".join(_quote(str(p)) for p in files.paths) + "]"
    if files.kind == "parquet":
        return f"read_parquet({paths}, union_by_name = true)"
    header = _csv_header(con, files)
    if header is None:  # parts disagree on their columns: let DuckDB match them by name
        return (
            f"read_csv({paths}, header = true, all_varchar = true, union_by_name = true, "
            f"encoding = 'utf-8')"
        )
    delimiter, names = header
    columns = "{" + ", ".join(f"{_quote(n)}: 'VARCHAR'" for n in names) + "}"
    return (
        f"read_csv({paths}, header = true, auto_detect = false, delim = {_quote(delimiter)}, "
        f"quote = '\"', escape = '\"', columns = {columns}, encoding = 'utf-8')"
    )


def _csv_header(con: duckdb.DuckDBPyConnection, files: TableFiles) -> tuple[str, list[str]] | None:
    """Delimiter and column names, sniffed once on the first file (sniffing every part of a
    large delivery is slow); None when the parts do not all share that header."""
    delimiter = con.execute("select Delimiter from sniff_csv(?)", [str(files.paths[0])]).fetchone()[
        0
    ]
    headers = []
    for path in files.paths:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            headers.append(next(csv.reader(handle, delimiter=delimiter), []))
    if any(h != headers[0] for h in headers) or not headers[0]:
        return None
    return delimiter, headers[0]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select_sql(
    con: duckdb.DuckDBPyConnection, files: TableFiles, columns: tuple[str, ...], loaded_at: datetime
) -> str:
    """The SELECT that lands one table, after checking its columns."""
    try:
        reader = _reader_sql(con, files)
        described = con.execute(f"describe select * from {reader}").fetchall()
    except duckdb.Error as error:
        raise LoadError(
            f"table {files.table}: cannot read {files.describe()}: {_first_line(error)}"
        ) from error
    present = {name.strip().lower(): name for name, *_ in described}
    missing = [c for c in columns if c not in present]
    if missing:
        raise LoadError(
            f"table {files.table} ({files.describe()}): missing column(s) {', '.join(missing)}"
        )
    selected = [f"cast({_ident(present[c])} as varchar) as {c}" for c in columns]
    if LOADED_AT in present:
        selected.append(f"cast({_ident(present[LOADED_AT])} as timestamp) as {LOADED_AT}")
    else:
        stamp = loaded_at.strftime("%Y-%m-%d %H:%M:%S.%f")
        selected.append(f"timestamp '{stamp}' as {LOADED_AT}")
    return f"select {', '.join(selected)} from {reader}"


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


def land(
    database: Path | str,
    folder: Path | str,
    mode: str = "replace",
    loaded_at: datetime | None = None,
    schema: str = RAW_SCHEMA,
    tables: dict[str, tuple[str, ...]] = RAW_TABLES,
) -> dict[str, int]:
    """Land every table of ``tables`` from ``folder``; return the rows landed per table."""
    if mode not in ("replace", "append"):
        raise LoadError(f"mode must be replace or append, not {mode}")
    loaded_at = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    table_files = find_table_files(Path(folder), tables)
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database))
    try:
        selects = _checked_selects(con, table_files, tables, loaded_at)
        counts: dict[str, int] = {}
        con.execute("begin transaction")
        try:
            con.execute(f"create schema if not exists {schema}")
            for table, select in selects.items():
                counts[table] = _write_table(con, schema, table, select, mode, table_files[table])
            con.execute("commit")
        except (duckdb.Error, LoadError):
            con.execute("rollback")
            raise
        return counts
    finally:
        con.close()


def stage_parquet(
    folder: Path | str,
    out_dir: Path,
    tables: dict[str, tuple[str, ...]] = RAW_TABLES,
    loaded_at: datetime | None = None,
) -> dict[str, tuple[Path, int]]:
    """Check and read every table of ``tables`` from ``folder`` as :func:`land` does, and write
    each to ``out_dir``/<table>.parquet (contract columns VARCHAR, ``_loaded_at`` TIMESTAMP):
    what another engine lands. Returns the file and row count per table; raises
    :class:`LoadError` before writing anything another engine would read."""
    loaded_at = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    table_files = find_table_files(Path(folder), tables)
    con = duckdb.connect()
    try:
        selects = _checked_selects(con, table_files, tables, loaded_at)
        staged = {}
        for table, select in selects.items():
            path = Path(out_dir) / f"{table}.parquet"
            try:
                rows = con.execute(
                    f"copy ({select}) to {_quote(str(path))} (format parquet)"
                ).fetchone()[0]
            except duckdb.Error as error:
                raise LoadError(
                    f"table {table}: cannot load {table_files[table].describe()}, nothing was "
                    f"written: {_first_line(error)}"
                ) from error
            staged[table] = (path, rows)
        return staged
    finally:
        con.close()


def _checked_selects(
    con: duckdb.DuckDBPyConnection,
    table_files: dict[str, TableFiles],
    tables: dict[str, tuple[str, ...]],
    loaded_at: datetime,
) -> dict[str, str]:
    """The SELECT that lands each table; raises LoadError naming the first problem."""
    return {t: _select_sql(con, table_files[t], cols, loaded_at) for t, cols in tables.items()}


def _write_table(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    select: str,
    mode: str,
    files: TableFiles,
) -> int:
    target = f"{schema}.{table}"
    try:
        if mode == "append" and _exists(con, schema, table):
            return con.execute(f"insert into {target} by name {select}").fetchone()[0]
        return con.execute(f"create or replace table {target} as {select}").fetchone()[0]
    except duckdb.Error as error:
        raise LoadError(
            f"table {table}: cannot load {files.describe()}, nothing was written: "
            f"{_first_line(error)}"
        ) from error


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return (
        con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
        > 0
    )
