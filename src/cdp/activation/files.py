"""The file destination: hashed customer lists as CSV or Parquet files, one set per sync,
named ``<destination>-<sync>-<kind>.<csv|parquet>`` in the declared folder:

- ``remove``: who to remove (upload it with the platform's "remove" option first)
- ``add``: who to add (then with "add")
- ``replace``: a full sync: everyone who may be sent now ("replace all")

An update is a remove of the old row and an add of the new one. Files are written
under a temporary name and renamed when complete, so a file with its final name is
whole; a sync is delivered when all its files have their final names.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cdp.activation.destinations import Destination

KINDS = ("remove", "add", "replace")


def final_path(destination: Destination, sync_id: int, kind: str) -> Path:
    assert destination.path is not None
    return destination.path / f"{destination.name}-{sync_id:06d}-{kind}.{destination.file_format}"


def temporary_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def write(
    destination: Destination, sync_id: int, kind: str, columns: list[str], rows: list[dict]
) -> Path:
    """Write one file under its temporary name; return its final path."""
    final = final_path(destination, sync_id, kind)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_path(final)
    if destination.file_format == "csv":
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
    else:
        table = pa.table(
            {c: pa.array([row.get(c) for row in rows], type=pa.string()) for c in columns}
        )
        pq.write_table(table, temporary)
    return final


def publish(paths: list[Path]) -> None:
    for path in paths:
        temporary_path(path).replace(path)


def discard(paths: list[Path]) -> None:
    for path in paths:
        temporary_path(path).unlink(missing_ok=True)


def delivered(paths: list[Path]) -> bool:
    return all(path.is_file() for path in paths)
