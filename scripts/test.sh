#!/usr/bin/env bash
# The whole test suite: lint (ruff, sqlfluff), pytest (generator, loader, hand-made
# scenarios built with dbt), then `dbt build` with all its data and unit tests on a
# freshly generated data set, and `dbt docs generate`; last, the Spark target against
# DuckDB, in-process (pytests/test_spark_parity.py) and on a loopback cluster through
# Thrift and Spark Connect (pytests/test_spark_cluster.py).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --spark  # the Spark target is tested too (pytests/test_spark_target.py)
source .venv/bin/activate

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
export CDP_DUCKDB_PATH="$workdir/cdp.duckdb"

echo "==> ruff"
ruff check src pytests models
ruff format --check src pytests models
echo "==> sqlfluff lint"
sqlfluff lint models tests analyses --processes 2
./scripts/install_browser.sh
echo "==> pytest"
# two worker processes, each test module whole on one (its module fixtures and scratch
# databases stay in one process): 16 min instead of 23 on 2 cores
python -m pytest --ignore=pytests/test_spark_parity.py --ignore=pytests/test_spark_cluster.py \
    -n 2 --dist loadfile --durations=25
echo "==> dbt build on a generated data set (2000 customers)"
cdp generate --customers 2000 --seed 42 --database "$CDP_DUCKDB_PATH" --no-progress
dbt build --target-path "$workdir/target"
dbt docs generate --quiet --target-path "$workdir/target"
echo "==> the explorer's pictures in docs/img still show its pages on this build"
python scripts/explore_screenshots.py --database "$CDP_DUCKDB_PATH" --check
# after the DuckDB suite, in a JVM of its own: dbt build --target spark on 300 generated
# customers, the identity guard and erasure scenarios run on Spark, every mart compared
# row for row with DuckDB's; the Spark components loop against union-find
echo "==> Spark: the same marts on both engines"
python -m pytest pytests/test_spark_parity.py --durations=10
# a Spark standalone cluster on loopback (master, two workers, a Thrift server with Spark
# Connect): every model built through Thrift, the CLV models through Connect, the marts
# compared with DuckDB's (docs/spark-cluster.md)
echo "==> Spark: a cluster through Thrift and Spark Connect"
python -m pytest pytests/test_spark_cluster.py --durations=10
echo "==> all tests passed"
