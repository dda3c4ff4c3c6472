"""The Spark target (dbt --target spark, session method) on hand-made data, against DuckDB and
against the files themselves: landing with `cdp load --target spark` (and its refusals),
the raw-contract guard, every seed, the two ported staging models with their data tests,
and the CLV Python models. One SparkSession and one Derby metastore serve the module.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import duckdb
import numpy as np
import pytest

from cdp.cli import main
from cdp.clv import (
    expected_average_value,
    expected_purchases,
    fit_bg_nbd,
    fit_gamma_gamma,
    probability_alive,
)
from cdp.contract import LOADED_AT, RAW_TABLES
from cdp.load import land
from conftest import PROJECT_DIR, require_spark, run_dbt

require_spark()

SMOKE_MODELS = ("base_catalog__products", "stg_catalog__products")
SMOKE_SELECT = ("--select", "resource_type:seed", *SMOKE_MODELS)
CLV_MODELS = ("int_clv_parameters_fitted", "int_customer_clv_predicted")

# products as delivered, with the outcome each row must get (written by hand from the
# contract: trimmed keys, decimal comma, the latest landing wins, quarantine reasons)
PRODUCT_COLUMNS = (*RAW_TABLES["products"], LOADED_AT)
PRODUCTS = [
    # sku, brand, name, category, unit_cost, currency, _loaded_at, outcome, reason
    ("SKU-1", " Alder ", "Trail shoe", "Shoes", "12.50", "eur", "2025-01-01 10:00:00",
     "duplicate", "redelivery"),
    ("SKU-1", " Alder ", "Trail shoe", "Shoes", "12.50", "eur", "2025-01-02 10:00:00",
     "kept", None),
    ("SKU-2", "birch", "O'Brien's \"classic\" tee", "tops", "7,25", "GBP", "2025-01-01 09:00:00",
     "kept", None),
    ("SKU-2", "birch", "O'Brien's tee", "tops", "7.00", "GBP", "2024-12-01 09:00:00",
     "duplicate", "superseded"),
    ("\tSKU-3 \n", "alder", "Sock", "socks", "-1", "EUR", "2025-01-01 09:00:00",
     "quarantined", "negative_amount"),
    ("SKU-4", "alder", "Cap", "hats", "abc", "EUR", "2025-01-01 09:00:00",
     "quarantined", "unparseable_number"),
    ("  ", "alder", "Nameless", "hats", "1", "EUR", "2025-01-01 09:00:00",
     "quarantined", "missing_key"),
    ("SKU-5", "alder", "Scarf", "hats", "2", "XXX", "2025-01-01 09:00:00",
     "quarantined", "unknown_currency"),
    ("SKU-6", "CEDAR", "Path C:\\temp bag", "bags", "3", "usd", "2025-01-01 09:00:00",
     "kept", None),
]  # fmt: skip
# what stg_catalog__products must hold: one row per sku, the kept version, standardized
STAGED_PRODUCTS = {
    ("SKU-1", "alder", "Trail shoe", "shoes", "EUR", Decimal("12.5000"), "2025-01-02 10:00:00"),
    ("SKU-2", "birch", 'O\'Brien\'s "classic" tee', "tops", "GBP", Decimal("7.2500"),
     "2025-01-01 09:00:00"),
    ("SKU-6", "cedar", "Path C:\\temp bag", "bags", "USD", Decimal("3.0000"),
     "2025-01-01 09:00:00"),
}  # fmt: skip

# CLV model input (int_customer_purchase_summaries): customer, frequency, recency, age,
# monetary value (null for one-time buyers)
SUMMARIES = [
    ("c01", 0, 0.0, 30.0, None),
    ("c02", 1, 5.0, 40.0, 20.0),
    ("c03", 2, 10.0, 50.0, 35.5),
    ("c04", 0, 0.0, 10.0, None),
    ("c05", 3, 20.0, 25.0, 12.0),
    ("c06", 5, 40.0, 45.0, 50.0),
    ("c07", 1, 2.0, 60.0, 8.0),
    ("c08", 0, 0.0, 52.0, None),
    ("c09", 4, 30.0, 31.0, 22.0),
    ("c10", 2, 15.0, 48.0, 30.0),
    ("c11", 7, 50.0, 52.0, 18.5),
    ("c12", 1, 1.0, 5.0, 100.0),
    ("c13", 0, 0.0, 20.0, None),
    ("c14", 3, 12.0, 40.0, 25.0),
    ("c15", 2, 8.0, 33.0, 15.0),
]
ROW_HASH_SQL = """
with two_rows as (
    select * from (values
        ('a', cast(null as string), cast('2025-01-01' as timestamp)),
        (cast(null as string), 'a', cast('2025-01-01' as timestamp))
    ) as t (x, y, _loaded_at)
),
hashed as (
    select {{ row_hash() }} as row_hash from two_rows
)
select count(*) as row_count, count(distinct row_hash) as hashes from hashed
"""
SUMMARIES_DDL = (
    "customer_id string, frequency bigint, recency double, age double, "
    "monetary_value double, first_purchase_date date"
)


def _write_raw_folder(folder: Path, drop_column: tuple[str, str] | None = None) -> Path:
    """Every contract table as a CSV file: products as above, the others empty."""
    folder.mkdir(parents=True)
    for table, columns in RAW_TABLES.items():
        header = [*columns, LOADED_AT]
        rows = [list(p[: len(PRODUCT_COLUMNS)]) for p in PRODUCTS] if table == "products" else []
        if drop_column and drop_column[0] == table:
            index = header.index(drop_column[1])
            header.pop(index)
            rows = [r[:index] + r[index + 1 :] for r in rows]
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    return folder


def _cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(argv))
    return code, out.getvalue()


def _dbt(folder: Path, *args: str):
    return run_dbt(folder / "unused.duckdb", *args, "--target", "spark")


def _summaries_rows() -> list[tuple]:
    return [(*row, date(2024, 1, 1)) for row in SUMMARIES]


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory):
    """Everything on Spark once, in order; the tests below assert on what it recorded."""
    root = tmp_path_factory.mktemp("spark")
    saved = {k: os.environ.get(k) for k in ("CDP_SPARK_DIR", "CDP_SPARK_DRIVER_MEMORY")}
    os.environ["CDP_SPARK_DIR"] = str(root / "spark")
    os.environ["CDP_SPARK_DRIVER_MEMORY"] = "1g"
    run = SimpleNamespace(root=root)
    try:
        good = _write_raw_folder(root / "raw_files")
        # the CLI opens its own session from the profile and stops it at the end
        run.load = _cli("load", str(good), "--target", "spark", "--profiles-dir", str(PROJECT_DIR))
        from pyspark.sql import SparkSession

        run.active_after_load = SparkSession.getActiveSession()
        # bad deliveries are refused before Spark starts, and leave raw as it was
        run.missing_column = _cli(
            "load",
            str(_write_raw_folder(root / "no_currency", ("products", "currency"))),
            "--target",
            "spark",
            "--profiles-dir",
            str(PROJECT_DIR),
        )
        unreadable = _write_raw_folder(root / "unreadable")
        (unreadable / "returns.csv").unlink()
        (unreadable / "returns.parquet").write_bytes(b"not parquet at all")
        run.unreadable = _cli(
            "load", str(unreadable), "--target", "spark", "--profiles-dir", str(PROJECT_DIR)
        )
        run.two_destinations = _cli(
            "load", str(good), "--target", "duckdb", "--database", str(root / "x.duckdb")
        )

        # the smoke build: seeds, the two ported staging models, their data tests
        run.build = _dbt(root, "build", *SMOKE_SELECT, "--indirect-selection", "buildable")
        from cdp.spark import profile_output, session_settings, spark_session

        spark = spark_session(session_settings(profile_output("spark", PROJECT_DIR), "spark"))
        run.spark = spark

        # the same files, the same selection on DuckDB
        run.duckdb = root / "duck" / "cdp.duckdb"
        land(run.duckdb, good)
        run.duckdb_build = run_dbt(
            run.duckdb, "build", *SMOKE_SELECT, "--indirect-selection", "buildable"
        )

        # the project's row hash on two rows that differ only in where the null is
        run.row_hash = _dbt(root, "show", "--inline", ROW_HASH_SQL)
        run.duckdb_row_hash = run_dbt(run.duckdb, "show", "--inline", ROW_HASH_SQL)

        # the guard on Spark: a raw schema missing a table and a column
        spark.sql("create database if not exists raw_broken")
        for table, columns in RAW_TABLES.items():
            if table == "social_profiles":
                continue
            kept = [c for c in (*columns, LOADED_AT) if (table, c) != ("shop_orders", "currency")]
            ddl = ", ".join(f"{c} {'timestamp' if c == LOADED_AT else 'string'}" for c in kept)
            spark.sql(f"create table raw_broken.{table} ({ddl}) using parquet")
        run.guard = _dbt(
            root, "build", "--select", "stg_catalog__products", "--vars", "raw_schema: raw_broken"
        )
        con = duckdb.connect(str(run.duckdb))
        con.execute("create schema raw_broken")
        for table in RAW_TABLES:
            if table != "social_profiles":
                con.execute(f"create table raw_broken.{table} as select * from raw.{table}")
        con.execute("alter table raw_broken.shop_orders drop column currency")
        con.close()
        run.duckdb_guard = run_dbt(
            run.duckdb, "build", "--select", "stg_catalog__products", "--vars",
            "raw_schema: raw_broken",
        )  # fmt: skip

        # the CLV Python models on a hand-made input table, on both engines
        spark.sql("create database if not exists intermediate")
        spark.createDataFrame(_summaries_rows(), SUMMARIES_DDL).write.mode("overwrite").format(
            "parquet"
        ).saveAsTable("intermediate.int_customer_purchase_summaries")
        run.clv = _dbt(root, "run", "--select", *CLV_MODELS)
        con = duckdb.connect(str(run.duckdb))
        con.execute("create schema if not exists intermediate")
        con.execute(f"create table intermediate.int_customer_purchase_summaries ({SUMMARIES_DDL})")
        con.executemany(
            "insert into intermediate.int_customer_purchase_summaries values (?, ?, ?, ?, ?, ?)",
            _summaries_rows(),
        )
        con.close()
        run.duckdb_clv = run_dbt(run.duckdb, "run", "--select", *CLV_MODELS)

        # a second delivery appended (through the open session, into another database)
        from cdp.spark import land_spark

        run.appended = [
            land_spark(good, session=spark, schema="raw_append", mode=mode)
            for mode in ("append", "append")
        ]
        yield run
    finally:
        with contextlib.suppress(Exception):
            from pyspark.sql import SparkSession

            if SparkSession.getActiveSession() is not None:
                SparkSession.getActiveSession().stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _spark_rows(spark, sql: str) -> list[tuple]:
    return [tuple(row) for row in spark.sql(sql).collect()]


def _duckdb_rows(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _sorted(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda row: [(value is None, str(value)) for value in row])


def test_cdp_load_lands_every_contract_table_as_strings_and_releases_the_session(spark_run):
    code, output = spark_run.load
    assert code == 0, output
    assert "landed 9 rows in 16 tables" in output
    assert spark_run.active_after_load is None
    spark = spark_run.spark
    assert {r[1] for r in _spark_rows(spark, "show tables in raw")} == set(RAW_TABLES)
    for table, columns in RAW_TABLES.items():
        described = [(r[0], r[1]) for r in _spark_rows(spark, f"describe raw.{table}")]
        assert described == [(c, "string") for c in columns] + [(LOADED_AT, "timestamp")]
    landed = _spark_rows(
        spark,
        "select sku, brand, name, category, unit_cost, currency, cast(_loaded_at as string) "
        "from raw.products",
    )
    assert _sorted(landed) == _sorted([p[:7] for p in PRODUCTS])  # exactly as delivered


def test_bad_deliveries_are_refused_naming_the_problem_and_raw_is_unchanged(spark_run):
    code, output = spark_run.missing_column
    assert code == 2
    assert "table products" in output and "missing column(s) currency" in output
    code, output = spark_run.unreadable
    assert code == 2
    assert "table returns: cannot read" in output and "returns.parquet" in output
    code, output = spark_run.two_destinations
    assert code == 2 and "give --database or --target duckdb, not both" in output
    # the refused loads wrote nothing: raw.products still has its currency and 9 rows
    assert _spark_rows(spark_run.spark, "select count(currency) from raw.products") == [(9,)]
    assert not [r for r in _spark_rows(spark_run.spark, "show tables in raw") if "landing" in r[1]]


def test_append_mode_adds_a_delivery_to_what_is_there(spark_run):
    first, second = spark_run.appended
    assert first["products"] == second["products"] == len(PRODUCTS)
    rows = _spark_rows(
        spark_run.spark,
        "select sku, brand, name, category, unit_cost, currency, cast(_loaded_at as string) "
        "from raw_append.products",
    )
    assert _sorted(rows) == _sorted([p[:7] for p in PRODUCTS] * 2)
    assert _spark_rows(spark_run.spark, "select count(*) from raw_append.returns") == [(0,)]


def test_smoke_build_passes_with_its_data_tests(spark_run):
    assert spark_run.build.success, spark_run.build.output
    results = {r.node.unique_id: r.status for r in spark_run.build.result.result.results}
    assert sum(uid.startswith("seed.") for uid in results) == len(
        list((PROJECT_DIR / "seeds").glob("*.csv"))
    )
    assert {"model.cdp." + m for m in SMOKE_MODELS} <= set(results)
    catalog_tests = {uid.split(".")[2] for uid in results if "catalog__products" in uid}
    assert catalog_tests >= {
        "row_count_equals_source_base_catalog__products_catalog__products",  # the grain
        "accepted_values_base_catalog__products__row_outcome__kept__duplicate__quarantined",
        "relationships_base_catalog__products__outcome_reason__reason_code__ref_row_outcome_reasons_",
        "unique_stg_catalog__products_sku",
        "not_null_stg_catalog__products_sku",
    }
    assert {str(s) for s in results.values()} <= {"success", "pass"}
    assert spark_run.duckdb_build.success, spark_run.duckdb_build.output
    duck = {r.node.unique_id for r in spark_run.duckdb_build.result.result.results}
    assert duck == set(results)  # the same nodes ran on both engines


def test_base_products_get_the_outcomes_written_by_hand(spark_run):
    rows = _spark_rows(
        spark_run.spark,
        "select _raw_key, cast(_loaded_at as string), _row_outcome, _outcome_reason "
        "from staging.base_catalog__products",
    )
    expected = [(p[0], p[6], p[7], p[8]) for p in PRODUCTS]
    assert _sorted(rows) == _sorted(expected)


def test_staged_products_are_those_written_by_hand_and_equal_duckdb(spark_run):
    sql = (
        "select sku, brand, product_name, category, currency, unit_cost_in_currency, "
        "cast(_loaded_at as string) from staging.stg_catalog__products"
    )
    spark_rows = _spark_rows(spark_run.spark, sql)
    assert set(spark_rows) == STAGED_PRODUCTS
    assert _sorted(spark_rows) == _sorted(_duckdb_rows(spark_run.duckdb, sql))


def test_base_products_equal_duckdb_but_for_the_row_hash(spark_run):
    columns = (
        "sku, brand, product_name, category, currency, unit_cost_in_currency, "
        "cast(_loaded_at as string), _raw_key, _quarantine_reason, _row_outcome, _outcome_reason"
    )
    sql = f"select {columns} from staging.base_catalog__products"
    assert _sorted(_spark_rows(spark_run.spark, sql)) == _sorted(
        _duckdb_rows(spark_run.duckdb, sql)
    )
    # the hash tells redeliveries from versions on Spark too: equal for the two SKU-1 rows
    hashes = _spark_rows(
        spark_run.spark,
        "select count(distinct _row_hash) from staging.base_catalog__products "
        "where _raw_key = 'SKU-1'",
    )
    assert hashes == [(1,)]


def test_row_hash_tells_null_positions_apart_on_both_engines(spark_run):
    """Spark's xxhash64 skips null arguments: ('a', null) and (null, 'a') must still differ."""
    for result in (spark_run.row_hash, spark_run.duckdb_row_hash):
        assert result.success, result.output
        table = result.result.result.results[0].agate_table
        assert [tuple(row) for row in table.rows] == [(2, 2)]


def _csv_rows(seed: Path) -> tuple[list[str], list[list[str]]]:
    with seed.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _same_value(text: str, value) -> bool:
    """A loaded value against the text in the seed file: empty is null, else the same."""
    if text == "":
        return value is None
    if isinstance(value, bool):
        return text == str(value).lower()
    if isinstance(value, int | float | Decimal):
        return Decimal(text) == Decimal(str(value))
    if isinstance(value, date):
        return date.fromisoformat(text) == value
    return text == value


@pytest.mark.parametrize(
    "seed", sorted(p.stem for p in (PROJECT_DIR / "seeds").glob("*.csv"))
)  # fmt: skip
def test_every_seed_loads_as_written_and_identically_on_both_engines(spark_run, seed):
    header, text_rows = _csv_rows(PROJECT_DIR / "seeds" / f"{seed}.csv")
    sql = f"select {', '.join(header)} from reference.{seed}"
    spark_rows = _sorted(_spark_rows(spark_run.spark, sql))
    assert spark_rows == _sorted(_duckdb_rows(spark_run.duckdb, sql))
    assert len(spark_rows) == len(text_rows)
    unmatched = list(spark_rows)
    for text_row in text_rows:
        match = next(
            (r for r in unmatched if all(map(_same_value, text_row, r))), None
        )  # fmt: skip
        assert match is not None, f"{seed}: row {text_row} not loaded as written"
        unmatched.remove(match)


def test_seed_strings_that_look_like_null_stay_strings(spark_run):
    rows = _spark_rows(
        spark_run.spark,
        "select identifier_type, identifier_value from reference.blocked_identifiers "
        "where lower(identifier_value) like '%null%'",
    )
    assert ("anonymous_id", "null") in rows
    assert ("shop_customer_id", "null") in rows
    assert ("anonymous_id", "(null)") in rows
    # an empty field is null, as DuckDB's COPY reads it: Spain has no trunk prefix
    assert _spark_rows(
        spark_run.spark, "select trunk_prefix from reference.countries where country_code = 'ES'"
    ) == [(None,)]


def _problems(output: str) -> list[str]:
    """The guard's list of problems (dbt logs its message twice: once is enough)."""
    lines = [line.strip() for line in output.splitlines() if line.strip().startswith("- ")]
    return list(dict.fromkeys(lines))


def test_raw_contract_guard_fails_on_spark_naming_what_is_missing_as_on_duckdb(spark_run):
    assert not spark_run.guard.success
    output = spark_run.guard.output
    assert "The raw landing contract (docs/contract.md §1) is not met in target spark" in output
    assert "- missing table raw_broken.social_profiles" in output
    assert "- raw_broken.shop_orders is missing column(s) currency" in output
    assert "cdp load <folder> --target spark" in output
    assert not spark_run.duckdb_guard.success
    assert _problems(output) == [
        "- raw_broken.shop_orders is missing column(s) currency",
        "- missing table raw_broken.social_profiles",
    ]
    assert _problems(spark_run.duckdb_guard.output) == _problems(output)


def test_clv_python_models_run_in_the_session_and_equal_a_direct_fit(spark_run):
    assert spark_run.clv.success, spark_run.clv.output
    assert spark_run.duckdb_clv.success, spark_run.duckdb_clv.output
    spark = spark_run.spark
    # the fit computed directly from the hand-made arrays, outside dbt
    x = np.array([r[1] for r in SUMMARIES], dtype=float)
    t_x = np.array([r[2] for r in SUMMARIES])
    age = np.array([r[3] for r in SUMMARIES])
    m_x = np.array([np.nan if r[4] is None else r[4] for r in SUMMARIES])
    fits = [fit_bg_nbd(x, t_x, age), fit_gamma_gamma(x, m_x)]
    expected = {(f.model, name): value for f in fits for name, value in f.parameters.items()}
    assert all(value is not None for value in expected.values())
    sql = "select model, parameter, estimate, customers, is_converged from {}"
    fitted = _spark_rows(spark, sql.format("intermediate.int_clv_parameters_fitted"))
    assert {(m, p): e for m, p, e, *_ in fitted} == pytest.approx(expected, rel=1e-12)
    assert {(m, c) for m, _p, _e, c, _ok in fitted} == {("bg_nbd", 15), ("gamma_gamma", 11)}
    assert _sorted(fitted) == _sorted(
        _duckdb_rows(spark_run.duckdb, sql.format("intermediate.int_clv_parameters_fitted"))
    )

    predicted = {
        r[0]: r[1:]
        for r in _spark_rows(
            spark,
            "select customer_id, predicted_purchases, probability_alive, "
            "expected_average_net_revenue from intermediate.int_customer_clv_predicted",
        )
    }
    assert sorted(predicted) == [r[0] for r in SUMMARIES]
    bg_nbd = {k: expected[("bg_nbd", k)] for k in ("r", "alpha", "a", "b")}
    gamma_gamma = {k: expected[("gamma_gamma", k)] for k in ("p", "q", "gamma")}
    direct = zip(
        expected_purchases(bg_nbd, 365 / 7, x, t_x, age),
        probability_alive(bg_nbd, x, t_x, age),
        expected_average_value(gamma_gamma, x, m_x),
        strict=True,
    )
    for (customer, *_), want in zip(SUMMARIES, direct, strict=True):
        assert predicted[customer] == pytest.approx(tuple(want), rel=1e-12)
    # facts of the models, by hand: without a repeat purchase a BG/NBD buyer is alive, and
    # the Gamma-Gamma expected spend is the population mean p * gamma / (q - 1)
    p, q, gamma = gamma_gamma["p"], gamma_gamma["q"], gamma_gamma["gamma"]
    for customer, frequency, *_ in SUMMARIES:
        if frequency == 0:
            assert predicted[customer][1] == 1.0
            assert predicted[customer][2] == pytest.approx(p * gamma / (q - 1), rel=1e-9)


def test_python_model_submission_needs_the_session_method():
    from dbt.adapters.spark.connections import SparkConnectionMethod
    from dbt_common.exceptions import DbtRuntimeError

    from dbt.adapters.cdp_spark.python_submissions import SessionPythonJobHelper

    credentials = SimpleNamespace(method=SparkConnectionMethod.THRIFT, server_side_parameters={})
    with pytest.raises(DbtRuntimeError, match="needs the connection method 'session'"):
        SessionPythonJobHelper({"schema": "intermediate", "alias": "m"}, credentials)


def test_java_is_17_or_newer():
    version = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    major = int(version.split('"')[1].split(".")[0])
    assert major >= 17, version
