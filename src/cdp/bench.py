"""Benchmarks: wall time and peak memory of each step, measured on subprocesses.

    cdp bench staging --customers 1000000

runs `cdp generate` and `dbt build --select resource_type:seed staging data_quality` (the seeds,
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


def bench_staging(
    customers: int, database: Path, seed: int, threads: int, skip_generate: bool
) -> dict:
    env = {**os.environ, "CDP_DUCKDB_PATH": str(database), "CDP_THREADS": str(threads)}
    bin_dir = Path(sys.executable).parent
    steps = []
    if not skip_generate:
        if database.exists():
            database.unlink()
        steps.append(
            run_measured(
                "generate",
                [
                    str(bin_dir / "cdp"),
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
        )
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
                "--quiet",
            ],
            env,
        )
    )
    con = duckdb.connect(str(database), read_only=True)
    raw_rows = con.execute(
        "select sum(estimated_size) from duckdb_tables() where schema_name = 'raw'"
    ).fetchone()[0]
    con.close()
    return {
        "benchmark": "staging",
        "customers": customers,
        "raw_rows": int(raw_rows),
        "threads": threads,
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "database_mib": round(database.stat().st_size / 2**20),
        "steps": [asdict(s) for s in steps],
    }


def print_report(report: dict) -> None:
    print(
        f"\n{report['benchmark']} benchmark: {report['customers']:,} customers, "
        f"{report['raw_rows']:,} raw rows, {report['threads']} threads, "
        f"{report['cores']} cores, DuckDB file {report['database_mib']:,} MiB"
    )
    print(f"{'step':<30} {'seconds':>10} {'peak RSS MiB':>14}")
    for step in report["steps"]:
        print(f"{step['name']:<30} {step['seconds']:>10,.1f} {step['peak_rss_mib']:>14,.0f}")


def main(args) -> int:
    if shutil.which("dbt", path=str(Path(sys.executable).parent)) is None:
        raise SystemExit("dbt is not installed in this environment: run ./scripts/setup.sh")
    database = Path(args.database)
    database.parent.mkdir(parents=True, exist_ok=True)
    report = bench_staging(args.customers, database, args.seed, args.threads, args.skip_generate)
    print_report(report)
    out = PROJECT_DIR / "bench_results" / f"staging-{args.customers}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(PROJECT_DIR)}")
    return 0
