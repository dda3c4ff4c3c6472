"""The raw landing contract (docs/contract.md §1) is declared once and enforced at run time."""

from __future__ import annotations

import yaml

from cdp.contract import LOADED_AT, RAW_TABLES
from conftest import land_rows, run_dbt


def test_sources_declare_exactly_the_contract(project_dir):
    declared = {}
    for path in (project_dir / "models" / "staging").rglob("_*__sources.yml"):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                declared[table["name"]] = tuple(c["name"] for c in table["columns"])
    assert declared == {t: (*cols, LOADED_AT) for t, cols in RAW_TABLES.items()}


def test_every_source_column_is_described(project_dir):
    for path in (project_dir / "models" / "staging").rglob("_*__sources.yml"):
        for source in yaml.safe_load(path.read_text())["sources"]:
            assert source.get("description"), source["name"]
            for table in source["tables"]:
                assert table.get("description"), table["name"]
                for column in table["columns"]:
                    assert column.get("description"), f"{table['name']}.{column['name']}"


def test_a_raw_schema_missing_tables_or_columns_fails_with_their_names(tmp_path):
    database = tmp_path / "cdp.duckdb"
    land_rows(database, {})
    import duckdb

    con = duckdb.connect(str(database))
    con.execute("alter table raw.shop_orders drop column currency")
    con.execute("drop table raw.social_profiles")
    con.close()
    result = run_dbt(database, "build")
    assert not result.success
    assert "raw.shop_orders is missing column(s) currency" in result.output
    assert "missing table raw.social_profiles" in result.output


def test_an_empty_but_complete_raw_schema_builds(tmp_path):
    database = tmp_path / "cdp.duckdb"
    land_rows(database, {})
    result = run_dbt(database, "build")
    assert result.success, result.output
