"""The raw landing contract of docs/contract.md §1, read from the dbt project itself.

Which tables: the source declarations (var ``cdp_sources`` in dbt_project.yml, the one
list of sources). Their columns: each table's dbt source definition
(``models/staging/<source>/_<source>__sources.yml``). Every contract column lands as
VARCHAR; the loader adds ``_loaded_at TIMESTAMP``. Nothing here restates either list.
"""

from __future__ import annotations

from pathlib import Path

import yaml

RAW_SCHEMA = "raw"
LOADED_AT = "_loaded_at"
PROJECT_DIR = Path(__file__).resolve().parents[2]


class ContractError(Exception):
    """The project's declarations cannot be read: says which file and why."""


def _yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ContractError(f"cannot read {path}: {error}") from error


def declared_sources(project_dir: Path = PROJECT_DIR) -> dict[str, dict]:
    """The var cdp_sources of dbt_project.yml: {table: declaration}, in declared order."""
    config = _yaml(project_dir / "dbt_project.yml")
    declared = (config.get("vars") or {}).get("cdp_sources")
    if not isinstance(declared, dict) or not declared:
        raise ContractError(
            f"{project_dir / 'dbt_project.yml'}: var cdp_sources must map each source table "
            "to its declaration"
        )
    return declared


def source_columns(project_dir: Path = PROJECT_DIR) -> dict[str, tuple[str, ...]]:
    """{table: columns} of every dbt source table the project's YAML defines."""
    config = _yaml(project_dir / "dbt_project.yml")
    columns: dict[str, tuple[str, ...]] = {}
    for folder in config.get("model-paths") or ["models"]:
        for path in sorted((project_dir / folder).rglob("*.yml")):
            for source in _yaml(path).get("sources") or []:
                for table in source.get("tables") or []:
                    columns[table["name"]] = tuple(
                        column["name"]
                        for column in table.get("columns") or []
                        if column["name"] != LOADED_AT
                    )
    return columns


def raw_tables(project_dir: Path = PROJECT_DIR) -> dict[str, tuple[str, ...]]:
    """{table: columns} of the raw landing contract: the declared source tables, in
    declared order, with their dbt source's columns."""
    declared = declared_sources(project_dir)
    columns = source_columns(project_dir)
    missing = [table for table in declared if not columns.get(table)]
    if missing:
        raise ContractError(
            "declared in var cdp_sources without a dbt source defining its columns "
            f"(models/staging/<source>/_<source>__sources.yml): {', '.join(missing)}"
        )
    return {table: columns[table] for table in declared}


RAW_TABLES: dict[str, tuple[str, ...]] = raw_tables()
