"""``cdp erase-raw``: carry erasures into the raw tables (the EL tool's copy).

A ``dbt build`` already removes an erased person's email, phone, name and address from
everything the project builds. The raw tables are the loader's, so this separate,
deliberate step anonymizes them: it runs the dbt operation ``anonymize_raw_erasures``,
which nulls the cells the last build listed in ``int_raw_cells_erased`` and replaces
the identifier of each privacy request and consent event by ``cdp-erased:`` and its
keyed hash. Account ids and business columns stay; the erasure log keeps the person
erased when the EL tool delivers their rows again.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def erase_raw(database: str, project_dir: Path = PROJECT_DIR) -> None:
    from dbt.cli.main import dbtRunner

    previous = os.environ.get("CDP_DUCKDB_PATH")
    os.environ["CDP_DUCKDB_PATH"] = database
    try:
        result = dbtRunner().invoke(
            [
                "run-operation",
                "anonymize_raw_erasures",
                "--project-dir",
                str(project_dir),
                "--profiles-dir",
                str(project_dir),
            ]
        )
    finally:
        if previous is None:
            os.environ.pop("CDP_DUCKDB_PATH", None)
        else:
            os.environ["CDP_DUCKDB_PATH"] = previous
    if not result.success:
        raise ValueError(f"erasing the raw rows failed: {result.exception or 'see the dbt log'}")
