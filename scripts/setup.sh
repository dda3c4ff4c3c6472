#!/usr/bin/env bash
# Create .venv and install the project with its pinned dependencies.
#   ./scripts/setup.sh           DuckDB: the project, its tests and tools (.[dev])
#   ./scripts/setup.sh --spark   also the Spark target (.[spark]: dbt-spark, pyspark 4.3)
#                                and Java 17 from apt-get when no Java 17+ is found
# Idempotent: skips the install when pyproject.toml, requirements.lock and the extras
# asked for are already installed (a .venv with Spark stays so without --spark).
set -euo pipefail
cd "$(dirname "$0")/.."

extras=dev
if [ "${1:-}" = "--spark" ] || [ "${CDP_SPARK:-0}" = "1" ]; then
    extras=dev,spark
fi

if [[ $extras == *spark* ]]; then
    java_major() { java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -1; }
    if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then
        echo "==> installing Java 17 (Spark 4 needs 17 or newer)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    fi
fi

python_bin="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv with $("$python_bin" --version)"
    "$python_bin" -m venv .venv
fi
stamp=.venv/.cdp-installed
wanted="$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)"
installed_hash="" installed_extras=""
if [ -f "$stamp" ]; then read -r installed_hash installed_extras < "$stamp" || true; fi
if [ "$installed_hash" != "$wanted" ] || { [[ $extras == *spark* ]] && [[ $installed_extras != *spark* ]]; }; then
    if [[ $installed_extras == *spark* ]]; then
        extras=dev,spark
    fi
    echo "==> installing pinned dependencies (requirements.lock) and the cdp package [$extras]"
    if [[ $extras == *spark* ]]; then
        echo "    (the first Spark install downloads and builds pyspark: about a minute)"
    fi
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -c requirements.lock -e ".[$extras]"
    echo "$wanted $extras" > "$stamp"
fi
