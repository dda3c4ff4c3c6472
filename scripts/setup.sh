#!/usr/bin/env bash
# Create .venv and install the project with its pinned dependencies.
# Idempotent: skips the install when pyproject.toml and requirements.lock are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv with $("$python_bin" --version)"
    "$python_bin" -m venv .venv
fi
stamp=.venv/.cdp-installed
wanted="$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "==> installing pinned dependencies (requirements.lock) and the cdp package"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -c requirements.lock -e '.[dev]'
    echo "$wanted" > "$stamp"
fi
