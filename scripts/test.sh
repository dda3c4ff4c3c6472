#!/usr/bin/env bash
# The whole test suite: lint (ruff, sqlfluff), pytest (generator, loader, hand-made
# scenarios built with dbt), then `dbt build` with all its data and unit tests on a
# freshly generated data set, and `dbt docs generate`.
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
python -m pytest
echo "==> dbt build on a generated data set (2000 customers)"
cdp generate --customers 2000 --seed 42 --database "$CDP_DUCKDB_PATH" --no-progress
dbt build --target-path "$workdir/target"
dbt docs generate --quiet --target-path "$workdir/target"
echo "==> all tests passed"
