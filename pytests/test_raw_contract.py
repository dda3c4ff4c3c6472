"""The raw landing contract (docs/contract.md §1) is declared once and enforced at run time."""

from __future__ import annotations

import yaml

from cdp.contract import LOADED_AT, RAW_TABLES
from conftest import land_rows, run_dbt


def test_the_declared_tables_are_the_documented_contract(project_dir):
    """The declarations (var cdp_sources, with each dbt source's columns) are exactly
    the tables and columns docs/contract.md §1 promises, in its order."""
    documented = {}
    text = (project_dir / "docs" / "contract.md").read_text()
    section = text[text.index("## §1") : text.index("## §2")]
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0].endswith("`"):
            documented[cells[0].strip("`")] = tuple(c.strip() for c in cells[1].split(","))
    assert len(documented) == 16
    assert list(RAW_TABLES) == list(documented)
    assert RAW_TABLES == documented


def test_every_declared_table_is_a_dbt_source_with_loaded_at(project_dir):
    declared = {}
    for path in (project_dir / "models" / "staging").rglob("_*__sources.yml"):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                declared[table["name"]] = tuple(c["name"] for c in table["columns"])
    assert declared == {t: (*cols, LOADED_AT) for t, cols in RAW_TABLES.items()}


def test_source_freshness_warns_and_errors_on_old_deliveries(tmp_path):
    """`dbt source freshness` reads _loaded_at: deliveries within a day pass, a table
    three days old warns, ten days old errors; the catalogue, refreshed monthly, warns
    only after 35 days."""
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC).replace(tzinfo=None)
    landed = {table: now - timedelta(hours=1) for table in RAW_TABLES}
    landed |= {
        "shop_orders": now - timedelta(days=3),
        "web_events": now - timedelta(days=10),
        "products": now - timedelta(days=40),
        "enrichment_demographics": now - timedelta(days=20),
    }
    database = tmp_path / "cdp.duckdb"
    land_rows(
        database,
        {table: [{LOADED_AT: at.isoformat(sep=" ")}] for table, at in landed.items()},
    )
    result = run_dbt(database, "source", "freshness")
    statuses = {
        r.node.name: str(r.status)
        for r in result.result.result.results
        if r.node.resource_type == "source"
    }
    assert statuses == {
        table: {
            "shop_orders": "warn",
            "web_events": "error",
            "products": "warn",
        }.get(table, "pass")
        for table in RAW_TABLES
    }


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
