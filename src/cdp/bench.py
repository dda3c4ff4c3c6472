"""Benchmarks: wall time and peak memory of each step, measured on subprocesses.

    cdp bench staging --customers 1000000
    cdp bench stitching --customers 1000000

runs `cdp generate` and `dbt build --select resource_type:seed staging data_quality
--indirect-selection cautious` (the seeds,
every staging model and the data-quality bookkeeping, with their tests) on a fresh
DuckDB file and reports each step's wall time and peak resident memory (the
largest process of the step, from wait4's rusage), plus raw row counts.
Results are printed and written as JSON to bench_results/.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass
class Step:
    name: str
    seconds: float
    peak_rss_mib: float


def run_measured(name: str, argv: list[str], env: dict[str, str]) -> Step:
    """Run argv to completion; its wall time and the peak RSS of its largest process."""
    print(f"--> {name}: {' '.join(argv)}", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=PROJECT_DIR)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{name} failed with exit code {process.returncode}")
    return Step(name, round(seconds, 1), round(usage.ru_maxrss / 1024, 0))


def generate_step(customers: int, database: Path, seed: int, env: dict[str, str]) -> Step:
    """Land a fresh generated data set into `database` (replacing the file)."""
    if database.exists():
        database.unlink()
    cdp = str(Path(sys.executable).parent / "cdp")
    return run_measured(
        "generate",
        [
            cdp,
            "generate",
            "--customers",
            str(customers),
            "--seed",
            str(seed),
            "--database",
            str(database),
            "--no-progress",
        ],
        env,
    )


def bench_staging(
    customers: int, database: Path, seed: int, threads: int, skip_generate: bool
) -> dict:
    env = {**os.environ, "CDP_DUCKDB_PATH": str(database), "CDP_THREADS": str(threads)}
    bin_dir = Path(sys.executable).parent
    steps = []
    if not skip_generate:
        steps.append(generate_step(customers, database, seed, env))
    steps.append(
        run_measured(
            "dbt build staging + data_quality",
            [
                str(bin_dir / "dbt"),
                "build",
                "--select",
                "resource_type:seed",
                "staging",
                "data_quality",
                # only tests whose parents are all selected
                "--indirect-selection",
                "cautious",
                "--quiet",
            ],
            env,
        )
    )
    return {
        "benchmark": "staging",
        "customers": customers,
        "raw_rows": _raw_rows(database),
        "threads": threads,
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "database_mib": round(database.stat().st_size / 2**20),
        "steps": [asdict(s) for s in steps],
    }


# The identity models after the unpivot of staging (int_identifier_occurrences is the
# input): line types and the sharing guard, the collision-free encoding, records as graph
# nodes, record links, contraction (stars, then randomized levels), components, stable
# customer ids, record customers.
STITCHING_MODELS = (
    "int_phone_line_types",
    "int_identifier_sharing_measured",
    "int_phone_first_names_compared",
    "int_identifiers_classified",
    "int_records_anchored",
    "int_identity_links",
    "int_identity_stars",
    "int_identity_contraction",
    "int_identity_components",
    "int_identifiers_stitched",
    "int_records_stitched",
)

# The sharing guard itself: line types, the measurement and the name check, and the
# classification that reads them.
GUARD_MODELS = STITCHING_MODELS[:4]

# From the links to every identifier's stable customer id: the part scipy's pipeline
# also does (from the same links to every identifier's component).
GRAPH_MODELS = (
    "int_identity_stars",
    "int_identity_contraction",
    "int_identity_components",
    "int_identifiers_stitched",
)

# The whole identity chain: every model from the raw tables to customer_identities
# (`+customer_identities`), staging of the tables involved included.
CHAIN_SELECTOR = "+customer_identities"

LINK_STRINGS_SQL = """
create or replace table main.bench_link_strings as
select
    anchor.identifier_type || ':' || anchor.identifier_value as identifier,
    linked.identifier_type || ':' || linked.identifier_value as linked_identifier
from intermediate.int_identity_links as links
inner join intermediate.int_identifiers_classified as anchor on links.node_id = anchor.node_id
inner join intermediate.int_identifiers_classified as linked
    on links.linked_node_id = linked.node_id
"""


def scipy_pipeline(database: Path) -> tuple[float, int]:
    """The same links through scipy's C union-find: fetch the identifier pairs, encode
    them to integers, connected_components, decode the labels back to identifiers.
    Returns the wall time and the number of components among linked identifiers."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    con = duckdb.connect(str(database), read_only=True)
    started = time.perf_counter()
    links = con.sql(
        "select identifier, linked_identifier from main.bench_link_strings"
    ).to_arrow_table()
    both = pa.chunked_array(links.column(0).chunks + links.column(1).chunks).combine_chunks()
    encoded = pc.dictionary_encode(both)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    dictionary = encoded.dictionary
    half = len(links)
    size = len(dictionary)
    graph = coo_matrix(
        (np.ones(half, dtype=np.int8), (codes[:half], codes[half:])), shape=(size, size)
    ).tocsr()
    count, labels = connected_components(graph, directed=False)
    decoded = pa.table({"identifier": dictionary, "component": pa.array(labels)})
    seconds = time.perf_counter() - started
    con.close()
    assert decoded.num_rows == size
    return seconds, count


def bench_stitching(
    customers: int, database: Path, seed: int, threads: int, skip_generate: bool
) -> dict:
    env = {**os.environ, "CDP_DUCKDB_PATH": str(database), "CDP_THREADS": str(threads)}
    bin_dir = Path(sys.executable).parent
    steps = []
    if not skip_generate:
        steps.append(generate_step(customers, database, seed, env))
    # the reference data (blocklist, sharing limits) must be the project's current seeds
    steps.append(run_measured("dbt seed", [str(bin_dir / "dbt"), "seed", "--quiet"], env))
    target = PROJECT_DIR / "target" / "bench"
    # the whole chain from the raw tables, seeds excluded (loaded above)
    steps.append(
        run_measured(
            "dbt run identity chain",
            [
                str(bin_dir / "dbt"),
                "run",
                "--select",
                CHAIN_SELECTOR,
                "--exclude",
                "resource_type:seed",
                "--quiet",
                "--target-path",
                str(target),
            ],
            env,
        )
    )
    run_results = json.loads((target / "run_results.json").read_text())
    timings = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in run_results["results"]}
    chain_seconds = run_results["elapsed_time"]
    con = duckdb.connect(str(database))
    con.execute(LINK_STRINGS_SQL)
    stats = con.execute("""
        select
            (select count(*) from intermediate.int_identifier_occurrences),
            (select count(*) from intermediate.int_identifiers_classified where is_stitching),
            (select count(*) from main.bench_link_strings),
            (select count(distinct (least(node_id, linked_node_id),
                                    greatest(node_id, linked_node_id)))
             from intermediate.int_identity_links),
            (select max(level) + 1 from intermediate.int_identity_contraction),
            (select count(distinct customer_id) from intermediate.int_identifiers_stitched),
            (select count(distinct component_id) from intermediate.int_identity_components
             where node_id in (select node_id from intermediate.int_identity_links
                               union select linked_node_id from intermediate.int_identity_links))
    """).fetchone()
    con.close()
    scipy_seconds, scipy_components = scipy_pipeline(database)
    sql_seconds = sum(timings[m] for m in STITCHING_MODELS)
    graph_seconds = sum(timings[m] for m in GRAPH_MODELS)
    guard_seconds = sum(timings[m] for m in GUARD_MODELS)
    staging_seconds = sum(t for m, t in timings.items() if m.startswith(("base_", "stg_")))
    return {
        "benchmark": "stitching",
        "customers": customers,
        "raw_rows": _raw_rows(database),
        "threads": threads,
        "cores": os.cpu_count(),
        "duckdb": duckdb.__version__,
        "database_mib": round(database.stat().st_size / 2**20),
        "identifier_occurrences": stats[0],
        "stitching_identifiers": stats[1],
        "links": stats[2],
        "edges": stats[3],
        "contraction_levels": stats[4],
        "customers_found": stats[5],
        "model_seconds": {m: round(t, 2) for m, t in sorted(timings.items())},
        "chain_models": len(timings),
        "chain_seconds": round(chain_seconds, 1),
        "chain_staging_model_seconds": round(staging_seconds, 1),
        "ratio_chain_to_scipy": round(chain_seconds / scipy_seconds, 1),
        "guard_seconds": round(guard_seconds, 2),
        "sql_stitching_seconds": round(sql_seconds, 2),
        "scipy_pipeline_seconds": round(scipy_seconds, 2),
        "ratio_sql_to_scipy": round(sql_seconds / scipy_seconds, 2),
        "sql_links_to_ids_seconds": round(graph_seconds, 2),
        "ratio_links_to_ids_to_scipy": round(graph_seconds / scipy_seconds, 2),
        "same_partition": stats[6] == scipy_components,
        "steps": [asdict(s) for s in steps],
    }


def _raw_rows(database: Path) -> int:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return int(
            con.execute(
                "select sum(estimated_size) from duckdb_tables() where schema_name = 'raw'"
            ).fetchone()[0]
        )
    finally:
        con.close()


def print_report(report: dict) -> None:
    print(
        f"\n{report['benchmark']} benchmark: {report['customers']:,} customers, "
        f"{report['raw_rows']:,} raw rows, {report['threads']} threads, "
        f"{report['cores']} cores, DuckDB file {report['database_mib']:,} MiB"
    )
    print(f"{'step':<30} {'seconds':>10} {'peak RSS MiB':>14}")
    for step in report["steps"]:
        print(f"{step['name']:<30} {step['seconds']:>10,.1f} {step['peak_rss_mib']:>14,.0f}")
    if report["benchmark"] == "stitching":
        for key in (
            "identifier_occurrences",
            "stitching_identifiers",
            "links",
            "edges",
            "contraction_levels",
            "customers_found",
            "chain_models",
            "chain_seconds",
            "chain_staging_model_seconds",
            "ratio_chain_to_scipy",
            "guard_seconds",
            "sql_stitching_seconds",
            "scipy_pipeline_seconds",
            "ratio_sql_to_scipy",
            "sql_links_to_ids_seconds",
            "ratio_links_to_ids_to_scipy",
            "same_partition",
        ):
            print(f"{key:<24} {report[key]}")


def main(args) -> int:
    if shutil.which("dbt", path=str(Path(sys.executable).parent)) is None:
        raise SystemExit("dbt is not installed in this environment: run ./scripts/setup.sh")
    database = Path(args.database)
    database.parent.mkdir(parents=True, exist_ok=True)
    run = bench_stitching if args.benchmark == "stitching" else bench_staging
    report = run(args.customers, database, args.seed, args.threads, args.skip_generate)
    print_report(report)
    out = PROJECT_DIR / "bench_results" / f"{args.benchmark}-{args.customers}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(PROJECT_DIR)}")
    return 0
