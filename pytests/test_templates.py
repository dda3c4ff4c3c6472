"""`cdp templates <folder>`: one header-only CSV per raw contract table, which `cdp load`
accepts as it is and once filled; existing files are never overwritten without --force."""

from __future__ import annotations

import duckdb
import pytest

from cdp.cli import main
from cdp.contract import RAW_TABLES

# docs/contract.md §1, copied by hand: the 16 tables a user must deliver
CONTRACT_TABLES = {
    "crm_contacts", "shop_customers", "shop_orders", "shop_order_lines", "pos_transactions",
    "loyalty_members", "web_events", "email_activity", "support_tickets", "returns",
    "consent_events", "privacy_requests", "enrichment_demographics", "products",
    "survey_responses", "social_profiles",
}  # fmt: skip


def test_one_header_only_csv_per_contract_table(tmp_path, capsys):
    folder = tmp_path / "my-data"
    assert main(["templates", str(folder)]) == 0
    assert {p.name for p in folder.iterdir()} == {f"{t}.csv" for t in CONTRACT_TABLES}
    # the header rows, as docs/contract.md §1 lists the columns
    assert (folder / "crm_contacts.csv").read_bytes() == (
        b"contact_id,brand,first_name,last_name,email,phone,birth_date,city,postal_code,"
        b"country,created_at,updated_at,is_deleted\n"
    )
    assert (folder / "returns.csv").read_text(encoding="utf-8") == (
        "return_id,order_id,pos_transaction_id,sku,quantity,refund_amount,currency,"
        "returned_at,reason\n"
    )
    for table, columns in RAW_TABLES.items():
        assert (folder / f"{table}.csv").read_text(encoding="utf-8") == ",".join(columns) + "\n"
    assert f"cdp load {folder}" in capsys.readouterr().out


def test_cdp_load_accepts_the_templates_empty_and_filled(tmp_path):
    folder = tmp_path / "my-data"
    database = tmp_path / "cdp.duckdb"
    assert main(["templates", str(folder)]) == 0
    assert main(["load", str(folder), "--database", str(database)]) == 0
    con = duckdb.connect(str(database), read_only=True)
    try:
        for table in CONTRACT_TABLES:
            assert con.execute(f"select count(*) from raw.{table}").fetchone() == (0,), table
    finally:
        con.close()
    # a user fills in one contact under the header row
    with (folder / "crm_contacts.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "C-1,oak,Jane,Doe,jane@example.com,+49 30 1234567,1985-04-12,Berlin,10115,DE,"
            "2024-01-01T10:00:00Z,,\n"
        )
    assert main(["load", str(folder), "--database", str(database)]) == 0
    con = duckdb.connect(str(database), read_only=True)
    try:
        rows = con.execute("select contact_id, city, postal_code from raw.crm_contacts").fetchall()
    finally:
        con.close()
    assert rows == [("C-1", "Berlin", "10115")]


def test_existing_files_are_kept_unless_forced(tmp_path, capsys):
    folder = tmp_path / "my-data"
    folder.mkdir()
    mine = folder / "shop_orders.csv"
    mine.write_text("order_id,brand\nO-1,oak\n", encoding="utf-8")
    assert main(["templates", str(folder)]) == 2
    error = capsys.readouterr().err
    assert "not overwriting 1 existing file(s)" in error and str(mine) in error
    assert "--force" in error
    assert mine.read_text(encoding="utf-8") == "order_id,brand\nO-1,oak\n"
    assert sorted(p.name for p in folder.iterdir()) == ["shop_orders.csv"]  # all or nothing
    assert main(["templates", str(folder), "--force"]) == 0
    assert mine.read_text(encoding="utf-8") == ",".join(RAW_TABLES["shop_orders"]) + "\n"


@pytest.mark.parametrize("other", ["web_events.parquet", "web_events"])
def test_a_table_with_another_input_is_refused(tmp_path, capsys, other):
    folder = tmp_path / "my-data"
    folder.mkdir()
    if other.endswith(".parquet"):
        (folder / other).write_bytes(b"PAR1")
    else:
        (folder / other).mkdir()
    assert main(["templates", str(folder), "--force"]) == 2
    error = capsys.readouterr().err
    assert str(folder / other) in error and "two inputs" in error
    assert sorted(p.name for p in folder.iterdir()) == [other]


def test_a_file_in_place_of_the_folder_is_named(tmp_path, capsys):
    path = tmp_path / "my-data"
    path.write_text("x", encoding="utf-8")
    assert main(["templates", str(path)]) == 2
    assert f"{path} is a file, not a folder" in capsys.readouterr().err
