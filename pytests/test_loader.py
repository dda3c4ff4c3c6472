"""Landing a user's own files: clear errors, nothing half-loaded."""

from __future__ import annotations

import csv
import shutil
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
