"""Landing a user's own files: clear errors, nothing half-loaded."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from cdp.cli import main
from cdp.contract import RAW_TABLES
from cdp.load import LoadError, land


def _write_folder(folder: Path, rows_per_table: int = 1, skip: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table, columns in RAW_TABLES.items():
        if table == skip:
            continue
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for number in range(rows_per_table):
                writer.writerow([f"{column}-{number}" for column in columns])
    return folder


def _tables(database: Path) -> dict[str, int]:
    con = duckdb.connect(str(database))
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        ]
        return {n: con.execute(f"select count(*) from raw.{n}").fetchone()[0] for n in names}
    finally:
        con.close()


def test_loads_every_table_as_varchar_with_a_landing_time(tmp_path):
    folder = _write_folder(tmp_path / "in", rows_per_table=2)
    stamp = datetime(2025, 5, 1, 12, 0, 0)
    counts = land(tmp_path / "db.duckdb", folder, loaded_at=stamp)
    assert counts == {t: 2 for t in RAW_TABLES}
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    types = set(
        con.execute(
            "select data_type from information_schema.columns where "
            "table_schema = 'raw' and column_name <> '_loaded_at'"
        ).fetchall()
    )
    assert types == {("VARCHAR",)}
    assert con.execute("select distinct _loaded_at from raw.products").fetchall() == [(stamp,)]


def test_numbers_and_leading_zeros_stay_text(tmp_path):
    folder = _write_folder(tmp_path / "in")
    (folder / "loyalty_members.csv").write_text(
        ",".join(RAW_TABLES["loyalty_members"]) + "\n00123,b,e,0049301234,f,l,t,2024-01-01,\n"
    )
    land(tmp_path / "db.duckdb", folder)
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    assert con.execute("select loyalty_id, phone from raw.loyalty_members").fetchall() == [
        ("00123", "0049301234")
    ]


def test_missing_table_is_named_and_nothing_is_written(tmp_path):
    folder = _write_folder(tmp_path / "in", skip="returns")
    with pytest.raises(LoadError, match=r"missing table\(s\).*returns"):
        land(tmp_path / "db.duckdb", folder)
    assert not (tmp_path / "db.duckdb").exists() or _tables(tmp_path / "db.duckdb") == {}


def test_a_missing_table_names_the_files_probably_meant_for_it(tmp_path):
    folder = _write_folder(tmp_path / "in")
    (folder / "products.csv").rename(folder / "Products.CSV")
    (folder / "returns.csv").rename(folder / "returns.csv.gz")
    with pytest.raises(LoadError) as caught:
        land(tmp_path / "db.duckdb", folder)
    message = str(caught.value)
    assert "returns (found returns.csv.gz)" in message
    assert "products (found Products.CSV)" in message
    assert "in lower case, uncompressed" in message


def test_missing_column_is_named_and_nothing_is_written(tmp_path):
    folder = _write_folder(tmp_path / "in")
    columns = [c for c in RAW_TABLES["shop_orders"] if c != "currency"]
    (folder / "shop_orders.csv").write_text(",".join(columns) + "\n" + ",".join(columns) + "\n")
    with pytest.raises(LoadError, match=r"shop_orders.*missing column\(s\) currency"):
        land(tmp_path / "db.duckdb", folder)
    assert _tables(tmp_path / "db.duckdb") == {}


def test_unreadable_file_is_named(tmp_path):
    folder = _write_folder(tmp_path / "in")
    (folder / "products.csv").unlink()
    (folder / "products.parquet").write_bytes(b"this is not parquet at all")
    with pytest.raises(LoadError, match=r"products.*cannot read"):
        land(tmp_path / "db.duckdb", folder)


def test_a_failed_load_leaves_the_previous_data_untouched(tmp_path):
    database = tmp_path / "db.duckdb"
    land(database, _write_folder(tmp_path / "first", rows_per_table=3))
    broken = _write_folder(tmp_path / "second", rows_per_table=1)
    (broken / "web_events.csv").write_text(
        ",".join(RAW_TABLES["web_events"]) + ",_loaded_at\n" + "x," * 10 + "not-a-time\n"
    )
    with pytest.raises(LoadError, match="web_events"):
        land(database, broken)
    assert _tables(database) == {t: 3 for t in RAW_TABLES}


def test_parquet_and_folders_of_parts_and_append(tmp_path):
    folder = _write_folder(tmp_path / "in")
    con = duckdb.connect()
    con.execute(
        f"copy (select * from read_csv('{folder}/products.csv', all_varchar = true)) "
        f"to '{folder}/products.parquet'"
    )
    (folder / "products.csv").unlink()
    parts = folder / "web_events"
    parts.mkdir()
    shutil.move(folder / "web_events.csv", parts / "part-1.csv")
    shutil.copy(parts / "part-1.csv", parts / "part-2.csv")
    database = tmp_path / "db.duckdb"
    assert land(database, folder)["web_events"] == 2
    land(database, folder, mode="append")
    assert _tables(database)["web_events"] == 4
    assert _tables(database)["products"] == 2


def test_ambiguous_input_is_refused(tmp_path):
    folder = _write_folder(tmp_path / "in")
    shutil.copy(folder / "returns.csv", folder / "returns.parquet")
    with pytest.raises(LoadError, match="more than one input"):
        land(tmp_path / "db.duckdb", folder)


def test_cli_prints_a_clear_error_and_exits_2(tmp_path, capsys):
    folder = _write_folder(tmp_path / "in", skip="products")
    code = main(["load", str(folder), "--database", str(tmp_path / "db.duckdb")])
    assert code == 2
    assert "error: missing table(s)" in capsys.readouterr().err


def test_quoted_fields_semicolons_and_parts_with_other_column_orders(tmp_path):
    folder = _write_folder(tmp_path / "in")
    columns = RAW_TABLES["support_tickets"]
    with (folder / "support_tickets.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(columns)
        writer.writerow(["k1", "a@x.com", "", "email", "c", "5", 'Hi; "quoted", text', "2024"])
    parts = folder / "returns"
    parts.mkdir()
    shutil.move(folder / "returns.csv", parts / "part-1.csv")
    reordered = list(reversed(RAW_TABLES["returns"]))
    (parts / "part-2.csv").write_text(
        ",".join(reordered) + "\n" + ",".join(f"{c}-9" for c in reordered) + "\n"
    )
    database = tmp_path / "db.duckdb"
    land(database, folder)
    con = duckdb.connect(str(database))
    assert con.execute("select body from raw.support_tickets").fetchall() == [
        ('Hi; "quoted", text',)
    ]
    assert sorted(con.execute("select return_id, reason from raw.returns").fetchall()) == [
        ("return_id-0", "reason-0"),
        ("return_id-9", "reason-9"),
    ]


# --- messy exports: each problem gets one line naming the table, the file and the fix ---


def _products(folder: Path, body: bytes) -> Path:
    """Replace products.csv with raw bytes (header and rows as the test needs them)."""
    (folder / "products.csv").write_bytes(body)
    return folder / "products.csv"


def _load_error(tmp_path: Path, folder: Path) -> str:
    with pytest.raises(LoadError) as caught:
        land(tmp_path / "db.duckdb", folder)
    message = str(caught.value)
    assert "\n" not in message, message
    return message


HEADER = b"sku,brand,name,category,unit_cost,currency\n"


def test_a_latin1_file_is_named_with_how_to_convert_it(tmp_path):
    folder = _write_folder(tmp_path / "in")
    path = _products(folder, HEADER + "K1,b,Café crème,c,4,EUR\n".encode("latin-1"))
    message = _load_error(tmp_path, folder)
    assert f"table products: {path} is not UTF-8 encoded" in message
    assert "line 2" in message
    assert "iconv -f latin1 -t utf-8" in message
    assert _tables(tmp_path / "db.duckdb") == {}


def test_a_utf16_file_says_so(tmp_path):
    folder = _write_folder(tmp_path / "in")
    _products(folder, (HEADER + b"K1,b,n,c,4,EUR\n").decode().encode("utf-16"))
    message = _load_error(tmp_path, folder)
    assert "not UTF-8 encoded (it is UTF-16" in message
    assert "iconv -f utf-16 -t utf-8" in message


def test_a_utf8_byte_order_mark_is_fine(tmp_path):
    folder = _write_folder(tmp_path / "in")
    _products(folder, b"\xef\xbb\xbf" + HEADER + "K1,b,Café,c,4,EUR\n".encode())
    land(tmp_path / "db.duckdb", folder)
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    assert con.execute("select sku, name from raw.products").fetchall() == [("K1", "Café")]


def test_a_row_with_more_fields_than_the_header_is_named(tmp_path):
    folder = _write_folder(tmp_path / "in")
    path = _products(folder, HEADER + b"K1,b,n,c,4,EUR\nK2,b,n,c,4,EUR,extra\n")
    message = _load_error(tmp_path, folder)
    assert f"table products: {path} line 3 has 7 fields where the header has 6" in message
    assert "missing column" not in message


def test_a_row_with_fewer_fields_than_the_header_is_named(tmp_path):
    folder = _write_folder(tmp_path / "in")
    path = _products(folder, HEADER + b"K1,b,n\nK2,b,n,c,4,EUR\n")
    assert f"{path} line 2 has 3 fields where the header has 6" in _load_error(tmp_path, folder)


def test_a_ragged_row_leaves_the_previous_data_untouched(tmp_path):
    """The row is found while writing (DuckDB reads the whole file then): still all or
    nothing."""
    database = tmp_path / "db.duckdb"
    land(database, _write_folder(tmp_path / "first", rows_per_table=2))
    broken = _write_folder(tmp_path / "second", rows_per_table=5)
    _products(broken, HEADER + b"K1,b,n,c,4,EUR\n" * 1000 + b"K2,b,n,c,4,EUR,extra\n")
    with pytest.raises(LoadError, match="line 1002 has 7 fields"):
        land(database, broken, mode="append")
    assert _tables(database) == {t: 2 for t in RAW_TABLES}


def test_an_unterminated_quote_is_named_with_its_line(tmp_path):
    folder = _write_folder(tmp_path / "in")
    path = _products(folder, HEADER + b'K1,b,"n,c,4,EUR\n')
    message = _load_error(tmp_path, folder)
    assert f"table products: {path} line 2: value with unterminated quote found" in message


def test_an_empty_file_is_named(tmp_path):
    folder = _write_folder(tmp_path / "in")
    path = _products(folder, b"")
    message = _load_error(tmp_path, folder)
    assert f"table products: {path} is empty" in message
    assert "header" in message


def test_a_blank_first_line_is_named(tmp_path):
    folder = _write_folder(tmp_path / "in")
    path = _products(folder, b"\n" + HEADER + b"K1,b,n,c,4,EUR\n")
    assert f"{path} starts with a blank line" in _load_error(tmp_path, folder)


def test_a_header_alone_is_an_empty_table(tmp_path):
    folder = _write_folder(tmp_path / "in")
    _products(folder, HEADER)
    assert land(tmp_path / "db.duckdb", folder)["products"] == 0


def test_columns_differing_only_in_case_are_refused(tmp_path):
    folder = _write_folder(tmp_path / "in")
    path = _products(folder, b"sku,brand,name,category,unit_cost,currency,SKU\nK1,b,n,c,4,EUR,k\n")
    message = _load_error(tmp_path, folder)
    assert f"table products: {path} has the columns 'sku' and 'SKU'" in message
    assert "keep one" in message


def test_a_trailing_delimiter_in_the_header_is_an_ignored_extra_column(tmp_path):
    folder = _write_folder(tmp_path / "in")
    _products(folder, HEADER.rstrip(b"\n") + b",\nK1,b,n,c,4,EUR,\n")
    land(tmp_path / "db.duckdb", folder)
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    assert con.execute("select sku, currency from raw.products").fetchall() == [("K1", "EUR")]


def test_a_ragged_file_is_not_mistaken_for_another_delimiter(tmp_path):
    """A semicolon file loads with its own delimiter, whatever its rows look like."""
    folder = _write_folder(tmp_path / "in")
    _products(folder, HEADER.replace(b",", b";") + b"K1;b;n, with comma;c;4;EUR\n")
    land(tmp_path / "db.duckdb", folder)
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    assert con.execute("select name from raw.products").fetchall() == [("n, with comma",)]


def test_a_database_held_by_another_process_is_named(tmp_path):
    database = tmp_path / "db.duckdb"
    duckdb.connect(str(database)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(60)",
            str(database),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(LoadError) as caught:
            land(database, _write_folder(tmp_path / "in"))
    finally:
        holder.kill()
        holder.wait()
    message = str(caught.value)
    assert "\n" not in message
    assert f"database {database} is in use by another process" in message
    assert f"PID {holder.pid}" in message
    assert "close it" in message


def test_loaded_at_with_an_offset_keeps_the_instant_in_utc(tmp_path, capsys):
    database = tmp_path / "db.duckdb"
    folder = _write_folder(tmp_path / "in")
    argv = ["load", str(folder), "--database", str(database)]
    assert main([*argv, "--loaded-at", "2025-05-01T14:00:00+02:00"]) == 0
    con = duckdb.connect(str(database))
    assert con.execute("select distinct _loaded_at from raw.products").fetchall() == [
        (datetime(2025, 5, 1, 12, 0),)
    ]
    con.close()
    assert main([*argv, "--loaded-at", "2025-05-01T12:00:00Z"]) == 0
    assert main([*argv, "--loaded-at", "2025-05-01 12:00"]) == 0  # no offset: UTC
    con = duckdb.connect(str(database))
    assert con.execute("select distinct _loaded_at from raw.products").fetchall() == [
        (datetime(2025, 5, 1, 12, 0),)
    ]
    con.close()
    assert main([*argv, "--loaded-at", "yesterday"]) == 2
    assert "--loaded-at 'yesterday' is not an ISO-8601 date-time" in capsys.readouterr().err


def test_loaded_at_in_the_file_with_an_offset_is_stored_in_utc(tmp_path):
    folder = _write_folder(tmp_path / "in")
    (folder / "products.csv").write_text(
        HEADER.decode().rstrip("\n") + ",_loaded_at\n"
        "K1,b,n,c,4,EUR,2025-05-01T14:00:00+02:00\n"
        "K2,b,n,c,4,EUR,2025-05-01 12:00:00\n"
    )
    land(tmp_path / "db.duckdb", folder)
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    assert con.execute("select distinct _loaded_at from raw.products").fetchall() == [
        (datetime(2025, 5, 1, 12, 0),)
    ]
