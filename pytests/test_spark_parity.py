"""The same raw data gives the same marts on DuckDB and on Spark, and Spark's
connected-components loop finds what union-find finds.

One data set is landed into a fresh DuckDB, built there, copied table for table (as
Parquet) into Spark's raw schema and built again with `--target spark` (`dbt build`:
every model, seed, data test and unit test on Spark): a small generated set, with the
hand-made scenarios beside it as another delivery: the identity guards
(pytests/test_identity_guard_scenarios.py: shared phones, placeholders, chains of records
up to 2,000 long), one reading of every identifier and value plausibility, the erasure
scenarios (pytests/test_erasure_everywhere.py, test_erasure_procedure.py); then `cdp
erase-raw` on both engines. Every relation of schema marts must hold the same rows,
customer ids and keys included, on both engines (the DuckDB suite checks what those rows
should be; this checks that Spark agrees). Hand-written anchors make sure the
comparison compares something: the marts are not empty, the 2,000 records of the long
chain are one customer on Spark, an erased person's email is in no mart on Spark, and
`cdp erase-raw` on Spark leaves her request with its keyed hash.

One SparkSession (and one Derby metastore) serves the module.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import re
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from cdp.contract import LOADED_AT, RAW_TABLES
from conftest import PROJECT_DIR, land_rows, require_spark, run_dbt
from test_erasure_everywhere import ZELDA, ZELDA_EMAIL
from test_erasure_procedure import RAW as ERASURE_PROCEDURE
from test_identifier_readings import RAW as READINGS
from test_identity_components import union_find
from test_identity_guard_scenarios import all_tables
from test_value_plausibility import RAW as PLAUSIBILITY

require_spark()

BUILT_SCHEMAS = ("staging", "intermediate", "data_quality", "marts", "reference", "main")
COMPONENT_MODELS = (
    "int_identity_stars",
    "int_identity_star_edges",
    "int_identity_contraction",
    "int_identity_components",
)


def _normalized(value):
    """A value as both engines' Python rows can be compared: instants as naive UTC."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, (list, tuple)):
        return tuple(_normalized(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _normalized(v)) for k, v in value.items()))
    return value


def _duckdb_relations(database: Path, schema: str) -> dict[str, tuple[list[str], Counter]]:
    con = duckdb.connect(str(database))
    try:
        names = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = ? "
                "order by 1",
                [schema],
            ).fetchall()
        ]
        relations = {}
        for name in names:
            cursor = con.execute(f'select * from "{schema}"."{name}"')
            columns = [d[0] for d in cursor.description]
            rows = Counter(tuple(_normalized(v) for v in row) for row in cursor.fetchall())
            relations[name] = (columns, rows)
        return relations
    finally:
        con.close()


def _spark_relations(spark, schema: str, names) -> dict[str, tuple[list[str], Counter]]:
    relations = {}
    for name in names:
        frame = spark.table(f"{schema}.{name}")
        # Arrow keeps instants in the session time zone (UTC); collect() would give
        # them in this process's local time
        rows = frame.toArrow().to_pylist()
        relations[name] = (
            frame.columns,
            Counter(tuple(_normalized(row[c]) for c in frame.columns) for row in rows),
        )
    return relations


def _differences(duck: dict, spark: dict) -> dict[str, str]:
    """Per relation, what differs (columns, or rows only on one engine, a few shown)."""
    found = {}
    for name, (columns, rows) in duck.items():
        if name not in spark:
            found[name] = "missing on Spark"
            continue
        spark_columns, spark_rows = spark[name]
        if [c.lower() for c in columns] != [c.lower() for c in spark_columns]:
            found[name] = f"columns: DuckDB {columns}, Spark {spark_columns}"
        elif rows != spark_rows:
            only_duckdb = list((rows - spark_rows).elements())[:2]
            only_spark = list((spark_rows - rows).elements())[:2]
            found[name] = (
                f"{sum(rows.values())} vs {sum(spark_rows.values())} rows; only on DuckDB "
                f"{only_duckdb}; only on Spark {only_spark}"
            )
    return found


class Engines:
    """The module's Spark session, and both engines' builds of one data set at a time."""

    def __init__(self, root: Path, spark) -> None:
        self.root = root
        self.spark = spark

    def reset_spark(self) -> None:
        for schema in (*BUILT_SCHEMAS, "raw"):
            self.spark.sql(f"drop database if exists {schema} cascade")

    def copy_raw_to_spark(self, database: Path, folder: Path) -> None:
        """Every raw table of the DuckDB file into Spark's raw schema, through Parquet."""
        from cdp.spark import land_spark

        folder.mkdir(parents=True)
        con = duckdb.connect(str(database))
        try:
            for table in RAW_TABLES:
                con.execute(f"copy raw.{table} to '{folder / table}.parquet' (format parquet)")
        finally:
            con.close()
        land_spark(folder, session=self.spark)

    def build(self, name: str, land, *commands: str) -> Path:
        """Land a set with `land(database)`, run each dbt command on DuckDB, copy the raw
        tables to Spark and run the same commands there; returns the DuckDB file."""
        folder = self.root / name
        folder.mkdir()
        database = folder / "cdp.duckdb"
        land(database)
        for command in commands:
            result = run_dbt(database, command)
            assert result.success, result.output
        self.reset_spark()
        self.copy_raw_to_spark(database, folder / "raw_files")
        for command in commands:
            result = run_dbt(folder / "unused.duckdb", command, "--target", "spark")
            assert result.success, result.output
        return database

    def compare(self, database: Path, schema: str) -> dict[str, tuple[dict, dict]]:
        duck = _duckdb_relations(database, schema)
        return duck, _spark_relations(self.spark, schema, duck)

    def spark_rows(self, sql: str) -> list[tuple]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    root = tmp_path_factory.mktemp("spark_parity")
    saved = {k: os.environ.get(k) for k in ("CDP_SPARK_DIR", "CDP_SPARK_DRIVER_MEMORY")}
    os.environ["CDP_SPARK_DIR"] = str(root / "spark")
    os.environ["CDP_SPARK_DRIVER_MEMORY"] = "2g"
    try:
        from cdp.spark import profile_output, session_settings, spark_session

        spark = spark_session(session_settings(profile_output("spark", PROJECT_DIR), "spark"))
        engines = Engines(root, spark)
        yield engines
    finally:
        with contextlib.suppress(Exception):
            # a later module in this process gets the JVM's Derby metastore: leave it empty
            engines.reset_spark()
        with contextlib.suppress(Exception):
            from pyspark.sql import SparkSession

            if SparkSession.getActiveSession() is not None:
                SparkSession.getActiveSession().stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# analyses on the generated set: every open order ranked, every customer's sources,
# products bought by the same customers
GENERATED_ANALYSES = {
    "backorder_priority": "{}",
    "customer_data_sources": "{}",
    "product_affinity": "{min_customers: 2}",
}


@pytest.fixture(scope="module")
def parity(engines):
    """One data set, built on both engines (`dbt build`: every model, seed, data test and
    unit test on Spark): a few hundred generated customers, with every hand-made scenario
    beside them as one more delivery (the identity guards, one reading of every
    identifier, value plausibility, Zelda erased in every system and the erasure
    procedure's people); then the analyses and `cdp erase-raw` on both engines. One
    build instead of one per set: most of Spark's time is per statement, not per row."""

    def land(database: Path) -> None:
        from cdp.cli import main

        argv = ["generate", "--customers", "300", "--seed", "15", "--database", str(database)]
        assert main([*argv, "--workers", "1", "--no-progress"]) in (0, None)
        scenarios = _merged(all_tables(), READINGS, PLAUSIBILITY, ZELDA, ERASURE_PROCEDURE)
        land_rows(database, scenarios, append=True)

    database = engines.build("parity", land, "build")
    marts = engines.compare(database, "marts")
    unused = database.parent / "unused.duckdb"
    value_analyses = {
        analysis: (
            _show(database, analysis, variables),
            _show(unused, analysis, variables, "--target", "spark"),
        )
        for analysis, variables in GENERATED_ANALYSES.items()
    }
    analyses = _links_on_both(engines, database)
    analyses["access"] = _access_request_on_both(engines, database)
    longchain = engines.spark_rows(
        "select count(distinct customer_id), count(*) from intermediate.int_records_stitched "
        "where record_key like 'S-longchain-%' or record_key like 'L-longchain-%'"
    )
    zelda_in_spark_marts = [
        name
        for name in marts[1]
        if engines.spark_rows(
            f"select count(*) from marts.{name} "
            f"where lower(to_json(struct(*))) like '%{ZELDA_EMAIL}%'"
        )[0][0]
    ]
    # cdp erase-raw on both engines (the dbt operation it runs)
    for args in ((), ("--target", "spark")):
        result = run_dbt(
            database if not args else unused, "run-operation", "anonymize_raw_erasures", *args
        )
        assert result.success, result.output
    raw = engines.compare(database, "raw")
    request = engines.spark_rows(
        "select request_id, identifier_value like 'cdp-erased:%' from raw.privacy_requests "
        "where request_id = 'PR-ZQ'"
    )
    return {
        "marts": marts,
        "value_analyses": value_analyses,
        "analyses": analyses,
        "longchain": longchain,
        "zelda_in_spark_marts": zelda_in_spark_marts,
        "raw": raw,
        "request": request,
    }


# Why two identifiers are one customer (`cdp explain-link`), its four inputs bound at run
# time, on both engines: Jane's work and personal addresses (through her mobile), the two
# ends of a nine-record chain, two strangers who share only a store's phone.
LINKS = {
    "jane": (("email", "jane.doe@acme-example.com"), ("email", " Jane.Doe@Mailbox-Example.COM ")),
    "chain": (("email", "chain01.0@chain-example.com"), ("phone", "+4915100010009")),
    "strangers": (("email", "holder01@mail-example.com"), ("email", "holder02@mail-example.com")),
}


def _links_on_both(engines, database: Path) -> dict[str, tuple[list[dict], list[dict]]]:
    """Each question of LINKS answered by `cdp explain-link`'s query on DuckDB, and by the
    same analysis compiled for Spark, run with its inputs as session variables."""
    from cdp.access_request import PROJECT_DIR, compiled_sql
    from cdp.explain_link import ANALYSIS, rows

    sql = compiled_sql(
        str(database.parent / "unused.duckdb"), PROJECT_DIR, None, "spark", analysis=ANALYSIS
    )
    answers = {}
    for name, (first, second) in LINKS.items():
        duck = rows(str(database), first, second, target_path=database.parent / "explain")
        bound = {
            "from_identifier_type": first[0],
            "from_identifier_value": first[1],
            "to_identifier_type": second[0],
            "to_identifier_value": second[1],
        }
        for variable, value in bound.items():
            engines.spark.sql(f"declare or replace variable cdp_request_{variable} string")
            engines.spark.sql(f"set var cdp_request_{variable} = :value", args={"value": value})
        spark = [row.asDict() for row in engines.spark.sql(sql).collect()]
        answers[name] = tuple(
            [{column: _shown(value) for column, value in row.items()} for row in found]
            for found in (duck, spark)
        )
    return answers


# the subject access request (`cdp access-request`): its identifier is a bound parameter
ACCESS_REQUEST = {"identifier_type": "email", "identifier_value": "jane.doe@acme-example.com"}


def _access_request_on_both(engines, database: Path) -> tuple[list[dict], list[dict]]:
    from cdp.access_request import PROJECT_DIR, answer, compiled_sql

    duck = [
        {**record, "record_data": json.dumps(record["data"])}
        for record in answer(
            str(database),
            **{
                "identifier_type": ACCESS_REQUEST["identifier_type"],
                "value": ACCESS_REQUEST["identifier_value"],
            },
        )["records"]
    ]
    sql = compiled_sql(str(database.parent / "unused.duckdb"), PROJECT_DIR, None, "spark")
    for name, value in ACCESS_REQUEST.items():
        engines.spark.sql(f"declare or replace variable cdp_request_{name} string")
        engines.spark.sql(f"set var cdp_request_{name} = :value", args={"value": value})
    spark = [row.asDict() for row in engines.spark.sql(sql).collect() if row["section"] == "record"]
    return duck, spark


def _shown(value) -> str | None:
    """A value of `dbt show` as text both engines agree on: numbers to 9 significant
    digits (an analysis's ratios may differ in their last bits), instants in UTC."""
    if value is None:
        return None
    if isinstance(value, Decimal | float):
        return f"{float(value):.9g}"
    if isinstance(value, str) and value[:1] == "{":
        # a map, which dbt shows as JSON: its keys carry no order
        with contextlib.suppress(ValueError):
            return json.dumps(json.loads(value), sort_keys=True)
    return str(_normalized(value))


def _show(database: Path, analysis: str, variables: str, *args: str) -> list[dict]:
    result = run_dbt(
        database, "show", "--select", analysis, "--limit", "100000", "--vars", variables, *args
    )
    assert result.success, result.output
    table = result.result.result.results[0].agate_table
    return [
        {name: _shown(value) for name, value in zip(table.column_names, row, strict=True)}
        for row in table.rows
    ]


def _two_decimals(rows: list[dict]) -> list[dict]:
    def number(value):
        try:
            return f"{float(value):.2f}"
        except (TypeError, ValueError):
            return value

    return [{k: number(v) for k, v in row.items()} for row in rows]


def _sorted_rows(rows: list[dict]) -> list[tuple]:
    return sorted(tuple((k, v or "") for k, v in row.items()) for row in rows)


def _merged(*parts: dict[str, list[dict]]) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    for part in parts:
        for table, rows in part.items():
            tables.setdefault(table, []).extend(rows)
    return tables


def test_the_marts_are_identical(parity):
    duck, spark = parity["marts"]
    assert sum(sum(rows.values()) for _, rows in duck.values()) > 1_000
    assert sum(duck["customer_profiles"][1].values()) > 100
    # the 2,000 records of the long chain (shop accounts and loyalty cards) are one
    # customer on Spark too
    assert parity["longchain"] == [(1, 2000)]
    # Zelda, erased, is in no mart on Spark
    assert parity["zelda_in_spark_marts"] == []
    assert _differences(duck, spark) == {}


def test_the_value_analyses_give_the_same_rows_on_spark(parity):
    for analysis, (duck, spark) in parity["value_analyses"].items():
        # the generated shop has shipped every order: no open order to rank, so the
        # backorder analysis only shows that its SQL runs on Spark
        if analysis != "backorder_priority":
            assert duck, f"{analysis}: no rows on DuckDB, nothing compared"
        # ratios rounded in SQL (round(x, 3)) may land on either side of a rounding
        # boundary on the two engines (DuckDB scales the double, Spark rounds its exact
        # binary value): numbers are compared to two decimals
        assert _sorted_rows(_two_decimals(spark)) == _sorted_rows(_two_decimals(duck)), analysis


# -- compiling runs nothing; the contraction loops run in their materialization --------

DDL_OR_DML = re.compile(
    r"^\s*(create|drop|insert|alter|truncate|delete|update|merge|cache|uncache)\b", re.I
)
INTROSPECTION = re.compile(r"^\s*(show|describe)\b", re.I)
LIMITS_SEED_READ = re.compile(
    r"^\s*select distinct identifier_type, linked_type from [`\w.]*identifier_limits`?\s*$", re.I
)


def _dbt_statements(folder: Path, *args: str) -> tuple[bool, str, list[tuple[str, ...]]]:
    """Run dbt in-process with the spark target; every SQL statement it sent, as (the
    node's status then: compiling, executing or none; its resource type; its name; the
    SQL without dbt's query comment)."""
    from dbt.cli.main import dbtRunner

    statements, messages = [], []

    def collect(event) -> None:
        messages.append(event.info.msg)
        if event.info.name == "SQLQuery":
            node = event.data.node_info
            sql = re.sub(r"^\s*/\*.*?\*/", "", event.data.sql, flags=re.S).strip()
            statements.append((node.node_status, node.resource_type, node.node_name, sql))

    result = dbtRunner(callbacks=[collect]).invoke(
        [*args, "--target", "spark", "--project-dir", str(PROJECT_DIR), "--profiles-dir",
         str(PROJECT_DIR), "--target-path", str(folder / "target"), "--log-path",
         str(folder / "logs")]
    )  # fmt: skip
    return result.success, "\n".join(map(str, messages)), statements


def _spark_tables(spark) -> set[str]:
    return {
        f"{schema}.{row.tableName}"
        for schema in (*BUILT_SCHEMAS, "raw")
        if spark.catalog.databaseExists(schema)
        for row in spark.sql(f"show tables in {schema}").collect()
        if not row.isTemporary
    }


def test_compiling_for_spark_creates_drops_and_reads_nothing(engines, parity):
    """`dbt compile --target spark` on the built data set: the catalog's tables are
    the same before and after, no statement creates, drops or writes anything, and
    compiling a model asks Spark nothing but dbt's own catalog questions (show,
    describe) and, in the sharing guard's models, which pairs of identifier types the
    identifier_limits seed limits (macro limited_identifier_links: only those pairs of
    columns are scanned): its SQL depends on the project's configuration, never on the
    customer data."""
    before = _spark_tables(engines.spark)
    assert "intermediate.int_identity_components" in before
    success, output, statements = _dbt_statements(engines.root / "compile", "compile")
    assert success, output
    assert _spark_tables(engines.spark) == before
    assert [sql for *_, sql in statements if DDL_OR_DML.match(sql)] == []
    asked = [
        (name, sql[:80])
        for status, resource_type, name, sql in statements
        if resource_type == "model"
        and status == "compiling"
        and not INTROSPECTION.match(sql)
        and not LIMITS_SEED_READ.match(sql)
    ]
    assert asked == []


def test_the_contraction_loops_run_when_their_models_build_and_leave_nothing(engines, parity):
    """Building the two component models on Spark: their loops' statements (scratch
    tables per level) run while the models execute, none while they compile; no scratch
    table is left; the components are those of the full build."""
    spark = engines.spark
    components = "select node_id, component_id from intermediate.int_identity_components"
    built = Counter(engines.spark_rows(components))
    success, output, statements = _dbt_statements(
        engines.root / "components_run",
        "run", "--select", "int_identity_contraction", "int_identity_components",
    )  # fmt: skip
    assert success, output
    writes = [
        (status, name, sql[:80]) for status, _, name, sql in statements if DDL_OR_DML.match(sql)
    ]
    assert [write for write in writes if write[0] == "compiling"] == []
    # the loops ran: the first level of the contraction, the roots of the components
    assert ("executing", "int_identity_contraction") in {
        (status, name) for status, name, sql in writes if "int_identity_contraction__edges_1" in sql
    }
    assert ("executing", "int_identity_components") in {
        (status, name) for status, name, sql in writes if "int_identity_components__roots" in sql
    }
    scratch = ("int_identity_contraction__", "int_identity_components__")
    assert [t for t in _spark_tables(spark) if t.split(".")[-1].startswith(scratch)] == []
    assert Counter(engines.spark_rows(components)) == built


def test_the_analyses_give_the_same_answers_on_spark(parity):
    analyses = parity["analyses"]

    def hops(rows):
        return [row for row in rows if row["row_type"] == "hop"]

    def ends(rows):
        return [(row["row_type"], row["status"]) for row in rows if row["row_type"] != "hop"]

    jane_duck, jane_spark = analyses["jane"]
    # work address -> her CRM contact or account -> her mobile -> her personal address:
    # hops numbered from 1, each with the record that links it
    assert ends(jane_duck) == [("from", "found"), ("to", "found")]
    jane = hops(jane_duck)
    assert len(jane) >= 2
    assert [r["hop"] for r in jane] == [str(n) for n in range(1, len(jane) + 1)]
    assert jane[0]["identifier_value"] == "jane.doe@acme-example.com"
    assert jane[-1]["linked_identifier_value"] == "jane.doe@mailbox-example.com"
    assert jane_spark == jane_duck
    chain_duck, chain_spark = analyses["chain"]
    # nine records in a row: at least one hop per record
    assert len(hops(chain_duck)) >= 9
    assert chain_spark == chain_duck
    # two strangers who share only a store's phone: two customers, no chain on either engine
    strangers_duck, strangers_spark = analyses["strangers"]
    assert ends(strangers_duck) == [("from", "found"), ("to", "found")]
    assert strangers_duck[0]["customer_id"] != strangers_duck[1]["customer_id"]
    assert hops(strangers_duck) == []
    assert strangers_spark == strangers_duck
    access_duck, access_spark = analyses["access"]

    def held(rows):
        return sorted((r["source_table"], r["record_key"]) for r in rows)

    assert ("crm_contacts", "C-JANE") in held(access_duck)
    assert held(access_spark) == held(access_duck)
    # the whole staged row as JSON on both (the engines format values differently)
    for rows in (access_duck, access_spark):
        for row in rows:
            assert json.loads(row["record_data"]), row


def test_erase_raw_anonymizes_the_same_raw_rows_on_both_engines(parity):
    duck, spark = parity["raw"]
    # the request stays, its identifier replaced by the keyed hash
    assert parity["request"] == [("PR-ZQ", True)]
    assert _differences(duck, spark) == {}


# -- connected components: the Spark loop against union-find ------------------------


def _spark_components(engines, nodes: set[int], edges: list[tuple[int, int]], *dbt_args):
    """Write a graph to the tables the component models read, run them on Spark; the
    partition found (each component named by its smallest node) and the dbt result."""
    spark = engines.spark
    engines.reset_spark()
    # empty raw tables: the build's guard checks the landing contract first
    spark.sql("create database raw")
    for table, columns in RAW_TABLES.items():
        ddl = ", ".join(f"{c} string" for c in columns)
        spark.sql(f"create table raw.{table} ({ddl}, {LOADED_AT} timestamp) using parquet")
    spark.sql("create database intermediate")
    links = [(a, b) for a, b in edges if a != b]
    spark.createDataFrame(links, "node_id bigint, linked_node_id bigint").write.format(
        "parquet"
    ).saveAsTable("intermediate.int_identity_links")
    spark.createDataFrame(
        [(n, True) for n in sorted(nodes)], "node_id bigint, is_stitching boolean"
    ).write.format("parquet").saveAsTable("intermediate.int_identifiers_classified")
    result = run_dbt(
        engines.root / "unused.duckdb",
        "run",
        "--select",
        *COMPONENT_MODELS,
        "--target",
        "spark",
        *dbt_args,
    )
    if not result.success:
        return None, result
    rows = engines.spark_rows(
        "select node_id, component_id from intermediate.int_identity_components"
    )
    assert len(rows) == len(nodes), "one row per stitching identifier"
    groups: dict[int, set[int]] = {}
    for node, component in rows:
        groups.setdefault(component, set()).add(node)
    for component, group in groups.items():
        assert component == min(group), "a component is named by its smallest node"
    return {frozenset(group) for group in groups.values()}, result


def _mixed_graph(seed: int) -> tuple[set[int], list[tuple[int, int]]]:
    """Random graphs, chains, cycles, stars and singles over sparse shuffled ids, plus a
    1,000-hop chain in shuffled order; duplicated and reversed links included."""
    rng = random.Random(seed)
    ids = rng.sample(range(1, 10**9), 1_600)
    edges: list[tuple[int, int]] = []
    cursor = 0
    for shape in ["random", "chain", "cycle", "star", "single"] * 4:
        size = rng.randint(1, 60)
        members = ids[cursor : cursor + size]
        cursor += size
        if shape == "random":
            edges += [(rng.choice(members), rng.choice(members)) for _ in range(size)]
        elif shape == "chain":
            edges += list(zip(members, members[1:], strict=False))
        elif shape == "cycle":
            edges += list(zip(members, members[1:] + members[:1], strict=False))
        elif shape == "star":
            edges += [(members[0], other) for other in members[1:]]
    chain = ids[cursor : cursor + 1_001]
    cursor += len(chain)
    edges += list(zip(chain, chain[1:], strict=False))
    duplicated = edges + [(b, a) for a, b in edges[: len(edges) // 3]]
    rng.shuffle(duplicated)
    return set(ids[:cursor]), duplicated


# (last in this file, after the parity sets: these runs overwrite the intermediate schema)
def test_spark_components_equal_union_find_long_chain_included(engines):
    nodes, edges = _mixed_graph(7)
    found, result = _spark_components(engines, nodes, edges)
    assert result.success, result.output
    assert found == union_find(nodes, edges)
    levels = engines.spark_rows("select max(level) from intermediate.int_identity_contraction")
    assert levels[0][0] < 40


def test_spark_loop_fails_clearly_at_the_safety_limit(engines):
    nodes = list(range(1, 200))
    found, result = _spark_components(
        engines,
        set(nodes),
        list(zip(nodes, nodes[1:], strict=False)),
        "--vars",
        "{identity_max_contraction_levels: 2}",
    )
    assert found is None
    assert "did not converge within the safety limit of 2" in result.output
