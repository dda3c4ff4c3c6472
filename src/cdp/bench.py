"""Benchmarks: wall time and peak memory of each step, measured on subprocesses.

    cdp bench staging --customers 1000000
    cdp bench stitching --customers 1000000
    cdp bench build --customers 3000000

`staging` runs `cdp generate` and `dbt build --select resource_type:seed staging
data_quality --indirect-selection cautious` (the seeds, every staging model and the
data-quality bookkeeping, with their tests) on a fresh DuckDB file; `stitching` the
identity chain against scipy; `build` the whole `dbt build`, with the DuckDB settings
it ran with, the spill to disk and the slowest nodes. Each step's wall time and peak
resident memory (the largest process of the step, from wait4's rusage) are reported,
plus raw row counts and the machine's load. `--copy-from` starts from a copy of a
landed file (one generation serves several runs). Results are printed and written as
JSON to bench_results/.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass
class Step:
    name: str
    seconds: float
    peak_rss_mib: float
    # sampled every second while the step ran (build benchmark only)
    peak_spill_mib: float | None = None
    load_average: float | None = None
    min_available_mib: float | None = None
    exit_code: int = 0


@dataclass
class Sampler:
    """Samples, once a second while a step runs: the size of DuckDB's spill directory,
    the 1-minute load average and the machine's available memory."""

    directory: Path | None
    peak_spill_bytes: int = 0
    loads: list[float] = field(default_factory=list)
    min_available_bytes: int | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def _sample(self) -> None:
        if self.directory is not None and self.directory.is_dir():
            size = sum(
                entry.stat().st_size for entry in os.scandir(self.directory) if entry.is_file()
            )
            self.peak_spill_bytes = max(self.peak_spill_bytes, size)
        self.loads.append(os.getloadavg()[0])
        available = available_memory_bytes()
        if available is not None:
            self.min_available_bytes = min(self.min_available_bytes or available, available)

    def run(self) -> None:
        while not self._stop.wait(1.0):
            try:
                self._sample()
            except OSError:  # a spill file removed while it was listed
                continue

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def available_memory_bytes() -> int | None:
    """MemAvailable from /proc/meminfo (Linux), else None."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def run_measured(
    name: str,
    argv: list[str],
    env: dict[str, str],
    cwd: Path = PROJECT_DIR,
    sampler: Sampler | None = None,
    allow_failure: bool = False,
) -> Step:
    """Run argv to completion; its wall time and the peak RSS of its largest process.
    With a sampler, also the spill directory's peak size, the mean load average and
    the machine's least available memory while it ran."""
    print(f"--> {name}: {' '.join(argv)}", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=cwd)
    if sampler is None:
        _, status, usage = os.wait4(process.pid, 0)
    else:
        with sampler:
            _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 and not allow_failure:
        raise SystemExit(f"{name} failed with exit code {process.returncode}")
    step = Step(name, round(seconds, 1), round(usage.ru_maxrss / 1024, 0))
    step.exit_code = process.returncode
    if sampler is not None:
        step.peak_spill_mib = round(sampler.peak_spill_bytes / 2**20)
        if sampler.loads:
            step.load_average = round(sum(sampler.loads) / len(sampler.loads), 2)
        if sampler.min_available_bytes is not None:
            step.min_available_mib = round(sampler.min_available_bytes / 2**20)
    return step


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


def prepare_database(args, env: dict[str, str]) -> list[Step]:
    """The raw data for a benchmark in args.database: a copy of --copy-from, the data
    already there (--skip-generate), or a fresh `cdp generate` (measured)."""
    database = Path(args.database)
    if args.copy_from:
        source = Path(args.copy_from)
        if not source.is_file():
            raise SystemExit(f"--copy-from {source}: no such DuckDB file")
        if source.resolve() == database.resolve():
            raise SystemExit("--copy-from must name another file than --database")
        print(f"--> copy {source} to {database}", flush=True)
        shutil.copyfile(source, database)
        return []
    if args.skip_generate:
        if not database.is_file():
            raise SystemExit(f"--skip-generate: {database} does not exist")
        return []
    return [generate_step(args.customers, database, args.seed, env)]


def _machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "available_mib_at_start": round((available_memory_bytes() or 0) / 2**20),
    }


def bench_staging(args) -> dict:
    database, threads = Path(args.database), args.threads
    env = {**os.environ, "CDP_DUCKDB_PATH": str(database), "CDP_THREADS": str(threads)}
    bin_dir = Path(sys.executable).parent
    steps = prepare_database(args, env)
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
        "customers": args.customers,
        "raw_rows": _raw_rows(database),
        **_machine(),
        "threads": threads,
        "database_mib": round(database.stat().st_size / 2**20),
        "steps": [asdict(s) for s in steps],
    }


# The DuckDB settings profiles.yml reads from the environment (README: Big data sets on
# one machine), recorded with each build benchmark as given and as DuckDB resolved them.
RESOURCE_VARIABLES = (
    "CDP_DUCKDB_MEMORY_LIMIT",
    "CDP_DUCKDB_THREADS",
    "CDP_DUCKDB_TEMP_DIRECTORY",
    "CDP_DUCKDB_MAX_TEMP_SIZE",
    "CDP_THREADS",
)


def temp_directory(database: Path, env: dict[str, str]) -> Path:
    """Where DuckDB spills during the build: profiles.yml's default is the database's
    path + '.tmp'."""
    return Path(env.get("CDP_DUCKDB_TEMP_DIRECTORY") or f"{database}.tmp")


def resolved_settings(env: dict[str, str]) -> dict[str, str]:
    """memory_limit and threads as DuckDB resolves the profile's values on this machine."""
    config = {"memory_limit": env.get("CDP_DUCKDB_MEMORY_LIMIT") or "60%"}
    if env.get("CDP_DUCKDB_THREADS"):
        config["threads"] = env["CDP_DUCKDB_THREADS"]
    con = duckdb.connect(config=config)
    try:
        limit, threads = con.execute(
            "select current_setting('memory_limit'), current_setting('threads')"
        ).fetchone()
    finally:
        con.close()
    return {"memory_limit": limit, "duckdb_threads": str(threads)}


def bench_build(args) -> dict:
    """The whole `dbt build` on the generated data: wall time, peak memory, peak spill,
    the settings used and the slowest nodes (from dbt's run_results.json)."""
    database, threads = Path(args.database), args.threads
    project, target = _project(args)
    env = {**os.environ, "CDP_DUCKDB_PATH": str(database), "CDP_THREADS": str(threads)}
    bin_dir = Path(sys.executable).parent
    machine = _machine()
    steps = prepare_database(args, env)
    raw_rows = _raw_rows(database)
    spill = temp_directory(database, env)
    build = run_measured(
        "dbt build",
        [
            str(bin_dir / "dbt"),
            "build",
            "--quiet",
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
        ],
        env,
        cwd=project,
        sampler=Sampler(spill),
        allow_failure=True,
    )
    steps.append(build)
    run_results = json.loads((target / "run_results.json").read_text())
    nodes = [
        (r["unique_id"].split(".")[-1], r["execution_time"], r["status"])
        for r in run_results["results"]
    ]
    slowest = sorted(nodes, key=lambda node: -node[1])[: args.top]
    failed = [(name, status) for name, _, status in nodes if status in ("error", "fail")]
    return {
        "benchmark": "build",
        "project": str(project),
        "commit": _commit(project),
        "customers": args.customers,
        "raw_rows": raw_rows,
        **machine,
        "threads": threads,
        "settings": {name: env.get(name, "") for name in RESOURCE_VARIABLES},
        "resolved": resolved_settings(env),
        "database_mib": round(database.stat().st_size / 2**20),
        "dbt_elapsed_seconds": round(run_results["elapsed_time"], 1),
        "nodes": len(nodes),
        "failed_nodes": failed,
        "slowest_nodes": [{"node": n, "seconds": round(t, 1)} for n, t, _ in slowest],
        "steps": [asdict(s) for s in steps],
    }


# The identity models after the unpivot of staging (int_identifier_occurrences is the
# input): the sharing guard (the national phones completed through emails the guard
# allows, line types, the measurement of the identifiers on one record, the name check,
# the classification), the collision-free encoding, records as graph nodes,
# record links, contraction (stars, then randomized levels), components, stable customer
# ids, record customers.
STITCHING_MODELS = (
    "int_national_phones_read",
    "int_phone_line_types",
    "int_identifier_sharing_measured",
    "int_phone_first_names_compared",
    "int_identifiers_classified",
    "int_records_anchored",
    "int_identity_links",
    "int_identity_stars",
    "int_identity_star_edges",
    "int_identity_contraction",
    "int_identity_components",
    "int_identifiers_stitched",
    "int_records_stitched",
)

# The sharing guard itself: everything above up to the classification. (Before the
# guards of issue 13 it was int_identifiers_classified alone, plus the national phones.)
GUARD_MODELS = STITCHING_MODELS[:5]

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


def bench_stitching(args) -> dict:
    """The identity chain against scipy. --project-dir measures another checkout of the
    project (an older commit's models) with this environment's dbt; its dbt output goes
    to target/bench-<name> here, and a model it does not have counts as 0 s."""
    database, threads = Path(args.database), args.threads
    project, target = _project(args)
    env = {**os.environ, "CDP_DUCKDB_PATH": str(database), "CDP_THREADS": str(threads)}
    bin_dir = Path(sys.executable).parent
    machine = _machine()
    steps = prepare_database(args, env)
    outside = ["--target-path", str(target), "--log-path", str(target / "logs")]
    # the reference data (blocklist, sharing limits) must be the project's current seeds
    steps.append(
        run_measured(
            "dbt seed", [str(bin_dir / "dbt"), "seed", "--quiet", *outside], env, cwd=project
        )
    )
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
                *outside,
            ],
            env,
            cwd=project,
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
    sql_seconds = sum(timings.get(m, 0.0) for m in STITCHING_MODELS)
    graph_seconds = sum(timings.get(m, 0.0) for m in GRAPH_MODELS)
    guard_seconds = sum(timings.get(m, 0.0) for m in GUARD_MODELS)
    staging_seconds = sum(t for m, t in timings.items() if m.startswith(("base_", "stg_")))
    return {
        "benchmark": "stitching",
        "project": str(project),
        "commit": _commit(project),
        "customers": args.customers,
        "raw_rows": _raw_rows(database),
        **machine,
        "threads": threads,
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


def _project(args) -> tuple[Path, Path]:
    """The dbt project to measure (--project-dir: another checkout, e.g. an older
    commit's models, run with this environment's dbt) and where its dbt writes
    target/ and logs/ (here, never into that checkout)."""
    if not args.project_dir:
        return PROJECT_DIR, PROJECT_DIR / "target" / "bench"
    project = Path(args.project_dir).resolve()
    if not (project / "dbt_project.yml").is_file():
        raise SystemExit(f"--project-dir {project}: no dbt_project.yml there")
    return project, PROJECT_DIR / "target" / f"bench-{project.name}"


def _commit(project: Path) -> str | None:
    """The project checkout's commit, when it is a git checkout."""
    try:
        return subprocess.run(
            ["git", "-C", str(project), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


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
    print(f"load average at start {report['load_average_at_start']}")
    print(f"{'step':<30} {'seconds':>10} {'peak RSS MiB':>14}")
    for step in report["steps"]:
        print(f"{step['name']:<30} {step['seconds']:>10,.1f} {step['peak_rss_mib']:>14,.0f}")
    if report["benchmark"] == "build":
        build = report["steps"][-1]
        print(
            f"dbt elapsed {report['dbt_elapsed_seconds']} s, {report['nodes']} nodes, "
            f"peak spill {build['peak_spill_mib']:,} MiB, mean load {build['load_average']}, "
            f"least available memory {build['min_available_mib']:,} MiB"
        )
        print(f"settings {report['settings']}, resolved {report['resolved']}")
        if report["failed_nodes"]:
            print(f"failed: {report['failed_nodes']}")
        for node in report["slowest_nodes"]:
            print(f"  {node['node']:<50} {node['seconds']:>8,.1f}")
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
    run = {"staging": bench_staging, "stitching": bench_stitching, "build": bench_build}
    report = run[args.benchmark](args)
    print_report(report)
    name = f"{args.benchmark}-{args.customers}{('-' + args.label) if args.label else ''}"
    out = PROJECT_DIR / "bench_results" / f"{name}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(PROJECT_DIR)}")
    if report["benchmark"] == "build" and report["steps"][-1]["exit_code"] != 0:
        return report["steps"][-1]["exit_code"]
    return 0
