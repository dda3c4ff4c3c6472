#!/usr/bin/env bash
# The main job: set up, land the 10k-customer demo data, build and test every
# model with dbt, generate the dbt docs site, and say how to open the explorer.
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
explore="cdp explore"
if [ "$CDP_DUCKDB_PATH" != "data/cdp.duckdb" ]; then
    explore="cdp explore --database $(printf '%q' "$CDP_DUCKDB_PATH")"
fi
cat <<EOF
==> done: $CDP_DUCKDB_PATH is built. Browse its customers with the explorer, then open
    http://127.0.0.1:8765/ in your browser (Ctrl-C stops it):

    source .venv/bin/activate && $explore

    Or query the marts in SQL; the models' documentation: dbt docs serve --port 8080
EOF
