"""Generate a tiny data set with the CLI, build everything with dbt, check the result."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pytest

from cdp.cli import main
from conftest import query, run_dbt


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    database = tmp_path_factory.mktemp("e2e") / "cdp.duckdb"
    assert (
        main(
            [
                "generate",
                "--customers",
                "60",
                "--seed",
                "11",
                "--database",
                str(database),
                "--no-progress",
            ]
        )
        == 0
    )
    result = run_dbt(database, "build")
    assert result.success, result.output
    return database


def test_every_raw_table_reconciles(built):
    rows = query(
        built,
        "select raw_table, is_reconciled, raw_rows from data_quality.dq_source_reconciliation",
    )
    assert len(rows) == 16
    assert all(ok for _, ok, _ in rows)
    assert sum(n for *_, n in rows) > 1000


def test_generated_rows_land_after_their_events(built):
    """The generator's landing times come after the events the rows carry, so none of
    its rows trips the timestamp_after_landing rule."""
    assert (
        query(
            built,
            "select count(*) from data_quality.dq_quarantined_rows"
            " where reason_code = 'timestamp_after_landing'",
        )[0][0]
        == 0
    )


def test_normalized_identifiers_are_the_true_ones(built):
    """Every email and phone staging produced is a value the generator knows to be real."""
    checks = [
        ("stg_crm__contacts", "email"),
        ("stg_crm__contacts", "phone"),
        ("stg_shop__customers", "email"),
        ("stg_shop__customers", "phone"),
        ("stg_shop__orders", "email"),
        ("stg_shop__orders", "phone"),
        ("stg_loyalty__members", "phone"),
        ("stg_pos__transactions", "phone"),
    ]
    for model, column in checks:
        unknown = query(
            built,
            f"""
            select count(*) from staging.{model} as staged
            where staged.{column} is not null and not exists (
                select 1 from truth.identifiers as truth
                where truth.identifier_type = '{column}'
                    and truth.identifier_value = staged.{column})""",
        )[0][0]
        assert unknown == 0, f"{model}.{column}"


def test_truth_is_not_read_by_any_model(project_dir):
    for path in (project_dir / "models").rglob("*.sql"):
        assert "truth" not in path.read_text(), path


def _fingerprint(database, schema: str) -> dict[str, str]:
    tables = [
        r[0]
        for r in query(
            database,
            "select table_name from information_schema.tables where table_schema = ? order by 1",
            [schema],
        )
    ]
    return {
        t: hashlib.sha256(
            repr(query(database, f"select * from {schema}.{t} order by all")).encode()
        ).hexdigest()
        for t in tables
    }


def test_same_data_in_another_row_order_and_thread_count_gives_identical_models(built, tmp_path):
    """Raw rows shuffled, one thread instead of two: the same tables in every schema."""
    shuffled = tmp_path / "shuffled.duckdb"
    con = duckdb.connect(str(built))  # dbt may still hold it open in this process
    con.execute(f"attach '{shuffled}' as shuffled")
    con.execute("create schema shuffled.raw")
    tables = con.execute(
        "select table_name from information_schema.tables where "
        "table_catalog = 'cdp' and table_schema = 'raw'"
    ).fetchall()
    for (table,) in tables:
        con.execute(
            f"create table shuffled.raw.{table} as select * from raw.{table} "
            f"order by md5(cast(to_json(raw.{table}) as varchar)) desc"
        )
    con.execute("detach shuffled")
    con.close()
    result = run_dbt(shuffled, "build", threads=1)
    assert result.success, result.output
    for schema in ("staging", "data_quality", "intermediate", "marts"):
        assert _fingerprint(shuffled, schema) == _fingerprint(built, schema), schema


def test_every_built_column_is_documented(built):
    """Documentation coverage against what the build really produced: every column of
    every model, seed and source in dbt's catalog has a description."""
    target = built.parent / "docs-target"
    result = run_dbt(built, "docs", "generate", target_dir=target)
    assert result.success, result.output
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    documented = {**manifest["nodes"], **manifest["sources"]}
    missing = []
    for section in ("nodes", "sources"):
        for unique_id, entry in catalog[section].items():
            if not unique_id.split(".")[1] == "cdp":
                continue
            described = {
                name.lower()
                for name, column in documented[unique_id]["columns"].items()
                if column.get("description", "").strip()
            }
            missing += [f"{unique_id}.{c}" for c in entry["columns"] if c.lower() not in described]
    assert missing == []
