"""Search latency of ``cdp explore`` on a built database, as a page sees it: each
search opens the database read-only, normalizes the input and runs the search.

    python -m cdp.explore.latency --database data/cdp.duckdb --per-kind 50

Searched: a fixed sample of stitching emails (typed in upper case with spaces),
phones (typed with spaces), account ids, customer ids and full names."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from cdp.explore import queries
from cdp.explore.project import find_project_dir, render_normalizers


def typed(kind: str, value: str) -> str:
    """The value as a person would type it."""
    if kind == "email":
        return f"  {value.upper()} "
    if kind == "phone":  # +4915112345678 -> +49 151 1234 5678
        return f"{value[:3]} {value[3:6]} {value[6:10]} {value[10:]}"
    return value


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "searches": len(values),
        "median_ms": 1000 * statistics.median(values),
        "p95_ms": 1000 * ordered[int(0.95 * (len(values) - 1))],
        "max_ms": 1000 * ordered[-1],
    }


def measure(database: Path, per_kind: int) -> dict[str, dict[str, float]]:
    """Per kind of input: the time of a whole search (open + search), and the time
    of opening the database alone (row "open")."""
    normalizers = render_normalizers(find_project_dir())
    con = queries.open_database(database)
    try:
        samples = queries.sample_search_terms(con, per_kind)
        country = queries.most_common_country(con)
    finally:
        con.close()
    timings: dict[str, list[float]] = {"open": []}
    misses = 0
    for sample in samples:
        started = time.perf_counter()
        con = queries.open_database(database)
        timings["open"].append(time.perf_counter() - started)
        try:
            result = queries.search(
                con, normalizers, typed(sample["kind"], sample["value"]), "auto", country
            )
        finally:
            con.close()
        timings.setdefault(sample["kind"], []).append(time.perf_counter() - started)
        misses += not result.matches
    if misses:
        raise SystemExit(f"{misses} sampled values were not found: the measurement is wrong")
    return {kind: _summary(values) for kind, values in sorted(timings.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--per-kind", type=int, default=50)
    args = parser.parse_args()
    print(f"{'kind':<18}{'searches':>9}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}")
    for kind, row in measure(Path(args.database), args.per_kind).items():
        print(
            f"{kind:<18}{row['searches']:>9}{row['median_ms']:>11.1f}"
            f"{row['p95_ms']:>9.1f}{row['max_ms']:>9.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
