"""Header templates for your own data (``cdp templates <folder>``): one CSV per raw
contract table, holding only its header row, ready to fill and land with ``cdp load``.

The tables and columns are those of ``cdp.contract.RAW_TABLES``. Nothing is
overwritten unless ``force``; a table that already has another input in the folder
(``<table>.parquet`` or a folder ``<table>/``) is refused, since ``cdp load`` would
then find two inputs for it. Either every file is written or none."""

from __future__ import annotations

import csv
from pathlib import Path

from cdp.contract import RAW_TABLES


class TemplateError(ValueError):
    """The folder cannot take the templates; the message names the files."""


def write_templates(folder: Path | str, force: bool = False) -> list[Path]:
    """Write ``<table>.csv`` with the header row of each contract table into ``folder``
    (created if missing); return the files written, in contract order."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise TemplateError(f"{folder} is a file, not a folder")
    targets = {table: folder / f"{table}.csv" for table in RAW_TABLES}
    other_inputs = [
        str(path)
        for table in RAW_TABLES
        for path in (folder / f"{table}.parquet", folder / table)
        if path.exists()
    ]
    if other_inputs:
        raise TemplateError(
            f"{folder} already holds input for these tables: {', '.join(other_inputs)}; "
            "cdp load would find two inputs for each: write the templates to another folder"
        )
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing and not force:
        raise TemplateError(
            f"not overwriting {len(existing)} existing file(s): {', '.join(existing)} "
            "(pass --force to replace them with empty templates)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for table, path in targets.items():
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerow(RAW_TABLES[table])
    return list(targets.values())
