"""Land a folder of CSV or Parquet files into the raw schema of a DuckDB file.

For each contract table the folder holds ``<table>.csv``, ``<table>.parquet`` or a
sub-folder ``<table>/`` of ``*.csv`` / ``*.parquet`` parts. Every contract column
lands as VARCHAR (as EL tools deliver it). ``_loaded_at`` is taken from the files
when they carry it, otherwise it is the time of this load; either way it is stored
as a UTC TIMESTAMP (an offset, in a file or in ``loaded_at``, is applied, not dropped).

CSV files are UTF-8 (a byte-order mark is fine), with a header row; the delimiter
(comma, semicolon, tab or pipe) is the one that splits the header into the contract's
columns. Every problem a user must fix is a ``LoadError`` with a one-line message
naming the table and file (and line) and what to do: a database another process
holds open, a file that is not UTF-8, an empty file, a row with more or fewer fields
than its header, two columns whose names differ only in case, a missing column.

The load is all or nothing: every file is checked before anything is written, and
the writes run in one transaction, so an error leaves the database as it was.
"""

from __future__ import annotations

import csv
import re
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
        named = [_with_near_misses(folder, table) for table in missing]
        raise LoadError(
            f"missing table(s) in {folder}: {', '.join(named)} "
            f"(expected <table>.csv, <table>.parquet or a folder <table>/, in lower case, "
            f"uncompressed)"
        )
    return found


def _with_near_misses(folder: Path, table: str) -> str:
    """The table's name, with the files that were probably meant for it (other case,
    other extension, compressed), so the user sees why they were not read."""
    near = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.lower() == table or entry.name.lower().startswith(f"{table}.")
    )
    return f"{table} (found {', '.join(near)})" if near else table


DELIMITERS = (",", ";", "\t", "|")
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _reader_sql(files: TableFiles, columns: tuple[str, ...]) -> str:
    paths = "[" + ", ".join(_quote(str(p)) for p in files.paths) + "]"
    if files.kind == "parquet":
        return f"read_parquet({paths}, union_by_name = true)"
    delimiter, names = _csv_header(files, columns)
    if names is None:  # parts disagree on their columns: let DuckDB match them by name
        return (
            f"read_csv({paths}, header = true, all_varchar = true, union_by_name = true, "
            f"delim = {_quote(delimiter)}, quote = '\"', escape = '\"', encoding = 'utf-8')"
        )
    typed = "{" + ", ".join(f"{_quote(n)}: 'VARCHAR'" for n in names) + "}"
    return (
        f"read_csv({paths}, header = true, auto_detect = false, delim = {_quote(delimiter)}, "
        f"quote = '\"', escape = '\"', columns = {typed}, encoding = 'utf-8')"
    )


def _csv_header(files: TableFiles, columns: tuple[str, ...]) -> tuple[str, list[str] | None]:
    """The delimiter and the column names of every part's header row (read in Python:
    sniffing a large file is slow, and DuckDB's sniffer guesses wrong on ragged rows).
    The names are None when the parts do not all share one header."""
    lines = [_header_line(files, path) for path in files.paths]
    delimiter = _delimiter(lines[0], columns)
    headers = []
    for path, line in zip(files.paths, lines, strict=True):
        names = next(csv.reader([line], delimiter=delimiter))
        # an unnamed column (a trailing delimiter, as spreadsheets write) is an extra column
        names = [
            name if name.strip() else f"unnamed_column_{i + 1}" for i, name in enumerate(names)
        ]
        _check_distinct(files, path, names)
        headers.append(names)
    return delimiter, headers[0] if all(h == headers[0] for h in headers) else None


def _header_line(files: TableFiles, path: Path) -> str:
    with path.open("rb") as handle:
        raw = handle.readline()
    if raw.startswith(UTF16_BOMS):
        raise LoadError(
            _not_utf8(files, path, "it is UTF-16, as Excel's 'Unicode text' is", "utf-16")
        )
    if not raw.strip():
        with path.open("rb") as handle:
            blank = not handle.read(1 << 16).strip()
        raise LoadError(
            f"table {files.table}: {path} is empty: a file needs at least its header row "
            f"(a table without rows is a header line alone)"
            if blank
            else f"table {files.table}: {path} starts with a blank line: the first line must "
            f"be the header row"
        )
    try:
        text = raw.removeprefix(UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError:
        raise LoadError(_not_utf8(files, path, "first bad byte on line 1")) from None
    return text.rstrip("\r\n")


def _delimiter(line: str, columns: tuple[str, ...]) -> str:
    """The candidate that splits the header into the most contract columns (then the
    most fields); a comma when none does (the missing-column error then explains)."""
    wanted = {c.lower() for c in (*columns, LOADED_AT)}

    def score(delimiter: str) -> tuple[int, int]:
        names = next(csv.reader([line], delimiter=delimiter))
        return sum(n.strip().lower() in wanted for n in names), len(names)

    return max(DELIMITERS, key=score)


def _check_distinct(files: TableFiles, path: Path, names: list[str]) -> None:
    """Column names are matched ignoring case and surrounding spaces: two that differ only
    in those would be one column."""
    seen: dict[str, str] = {}
    for name in names:
        key = name.strip().lower()
        if key in seen:
            raise LoadError(
                f"table {files.table}: {path} has the columns {seen[key]!r} and {name!r}, which "
                f"are the same column (names are matched ignoring case and spaces): keep one"
            )
        seen[key] = name


def _not_utf8(files: TableFiles, path: Path | str, where: str, encoding: str = "") -> str:
    name = Path(path).name
    source = encoding or "latin1"
    windows = "" if encoding else " (`-f cp1252` for Windows exports with €)"
    return (
        f"table {files.table}: {path} is not UTF-8 encoded ({where}): re-export it as "
        f"UTF-8, or convert it, e.g. `iconv -f {source} -t utf-8 {name} > utf8/{name}`"
        f"{windows}"
    )


def _explain(error: duckdb.Error, files: TableFiles, action: str) -> LoadError:
    """One line a user can act on, from a DuckDB error about reading the files."""
    text = str(error)
    file_match = re.search(r"^\s*file = (.+)$", text, re.MULTILINE)
    path = file_match.group(1).strip() if file_match else files.describe()
    line_match = re.search(r"CSV Error on Line: (\d+)", text)
    if line_match is None:
        return LoadError(
            f"table {files.table}: cannot {action} {path}, nothing was written: "
            f"{_first_line(error)}"
        )
    line = line_match.group(1)
    if "not utf-8 encoded" in text.lower() or "invalid unicode" in text.lower():
        return LoadError(_not_utf8(files, path, f"first bad byte on line {line}"))
    fields = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if fields:
        expected, found = fields.groups()
        problem = f"line {line} has {found} fields where the header has {expected}"
    else:  # the reason is the first line after the echo of the row
        details = [
            d.strip() for d in text.splitlines()[1:] if d.strip() and not d.startswith("Original")
        ]
        reason = details[0].rstrip(".").lower() if details else "cannot be read"
        problem = f"line {line}: {reason}"
    return LoadError(
        f"table {files.table}: {path} {problem}: fix that row (a value containing "
        f"the delimiter, a quote or a line break must be in double quotes, its quotes "
        f"doubled); nothing was written"
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select_sql(
    con: duckdb.DuckDBPyConnection, files: TableFiles, columns: tuple[str, ...], loaded_at: datetime
) -> str:
    """The SELECT that lands one table, after checking its columns."""
    reader = _reader_sql(files, columns)
    try:
        described = con.execute(f"describe select * from {reader}").fetchall()
    except duckdb.Error as error:
        raise _explain(error, files, "read") from error
    names = [name for name, *_ in described]
    if files.kind == "parquet":
        _check_distinct(files, Path(files.describe()), names)
    present = {name.strip().lower(): name for name in names}
    missing = [c for c in columns if c not in present]
    if missing:
        raise LoadError(
            f"table {files.table} ({files.describe()}): missing column(s) {', '.join(missing)}"
        )
    selected = [f"cast({_ident(present[c])} as varchar) as {c}" for c in columns]
    if LOADED_AT in present:
        # through TIMESTAMPTZ (session time zone UTC): an offset is applied, not dropped
        selected.append(
            f"cast(cast({_ident(present[LOADED_AT])} as timestamptz) as timestamp) as {LOADED_AT}"
        )
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
    """Land every table of ``tables`` from ``folder``; return the rows landed per table.

    ``loaded_at`` (default: now) stamps rows of files without ``_loaded_at``; an aware
    datetime is converted to UTC, a naive one is taken as UTC."""
    if mode not in ("replace", "append"):
        raise LoadError(f"mode must be replace or append, not {mode}")
    loaded_at = _utc(loaded_at or datetime.now(UTC))
    table_files = find_table_files(Path(folder), tables)
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    con = _connect(Path(database))
    try:
        con.execute("set TimeZone = 'UTC'")
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


def _utc(moment: datetime) -> datetime:
    """A naive UTC datetime: aware ones are converted, naive ones are taken as UTC."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def parse_loaded_at(text: str) -> datetime:
    """``--loaded-at``: ISO-8601, with or without a UTC offset (none means UTC)."""
    try:
        return _utc(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise LoadError(
            f"--loaded-at {text!r} is not an ISO-8601 date-time: give e.g. "
            f"2025-05-01T12:00:00Z or 2025-05-01T14:00:00+02:00"
        ) from None


def _connect(database: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(database))
    except duckdb.IOException as error:
        text = str(error)
        if "lock" not in text.lower():
            raise LoadError(f"cannot open database {database}: {_first_line(error)}") from error
        holder = re.search(r"held in (.+?) \(PID (\d+)\)", text)
        by = f" ({holder.group(1)}, PID {holder.group(2)})" if holder else ""
        raise LoadError(
            f"database {database} is in use by another process{by}: close it (a dbt run, "
            f"`dbt docs serve`, a DuckDB shell or notebook) and load again; nothing was written"
        ) from error


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
    loaded_at = _utc(loaded_at or datetime.now(UTC))
    table_files = find_table_files(Path(folder), tables)
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
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
        raise _explain(error, files, "load") from error


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return (
        con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
        > 0
    )
