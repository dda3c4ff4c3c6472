#!/usr/bin/env bash
# The main job: set up, land the 10k-customer demo data, build and test every
# model with dbt, and generate the dbt docs site.
#   CDP_DUCKDB_PATH  DuckDB file (default data/cdp.duckdb)
#   CDP_CUSTOMERS    demo size (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source .venv/bin/activate

export CDP_DUCKDB_PATH="${CDP_DUCKDB_PATH:-data/cdp.duckdb}"
echo "==> generating ${CDP_CUSTOMERS:-10000} demo customers into $CDP_DUCKDB_PATH"
cdp generate --customers "${CDP_CUSTOMERS:-10000}" --seed 42 --database "$CDP_DUCKDB_PATH"
echo "==> dbt build"
dbt build
echo "==> dbt docs generate"
dbt docs generate --quiet
echo "==> done: query $CDP_DUCKDB_PATH, or browse the docs with: dbt docs serve --port 8080"
