"""Land the raw contract tables into Apache Spark: the catalog, metastore and warehouse of a
Spark output of the dbt profile (``cdp load --target spark``, ``cdp generate --target spark``).

The files are read and checked exactly as for DuckDB (:func:`cdp.load.stage_parquet`: missing
table or column, unreadable file) and written to Parquet before Spark starts, so bad input
writes nothing. Spark then writes every table under a staging name first and replaces
(or appends to) the real tables only when all were written. Every contract column is
STRING, ``_loaded_at`` TIMESTAMP (the session time zone is UTC).

The session is built from the profile's ``server_side_parameters``, as dbt-spark's session
method builds it, so both use the same Derby metastore and warehouse. That metastore can be
opened by one process at a time: the session is stopped when the load ends.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cdp.contract import LOADED_AT, RAW_SCHEMA, RAW_TABLES
from cdp.load import LoadError, stage_parquet

PROFILE_NAME = "cdp"
SPARK_TYPES = ("cdp_spark", "spark")
STAGING_PREFIX = "cdp_landing__"


def profiles_dir(explicit: str | None = None) -> Path:
    """dbt's rule: --profiles-dir, else $DBT_PROFILES_DIR, else the current directory when it
    holds a profiles.yml, else ~/.dbt."""
    if explicit:
        return Path(explicit)
    if os.environ.get("DBT_PROFILES_DIR"):
        return Path(os.environ["DBT_PROFILES_DIR"])
    if (Path.cwd() / "profiles.yml").is_file():
        return Path.cwd()
    return Path.home() / ".dbt"


def profile_output(target: str, folder: Path) -> dict[str, Any]:
    """The output ``target`` of the profile ``cdp`` in ``folder``/profiles.yml, rendered by dbt
    (env_var() and all)."""
    import yaml
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    path = folder / "profiles.yml"
    try:
        profiles = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise LoadError(f"cannot read the dbt profile {path}: {error}") from error
    outputs = (profiles.get(PROFILE_NAME) or {}).get("outputs") or {}
    if target not in outputs:
        raise LoadError(
            f"no target {target} in profile {PROFILE_NAME} of {path} "
            f"(targets: {', '.join(outputs) or 'none'})"
        )
    set_invocation_context(os.environ)
    return ProfileRenderer({}).render_data(outputs[target])


def session_settings(output: Mapping[str, Any], target: str) -> dict[str, str]:
    """The Spark settings of a session-method Spark output; an error for any other output."""
    if output.get("type") not in SPARK_TYPES or output.get("method") != "session":
        raise LoadError(
            f"target {target} is not a Spark session target (type {output.get('type')}, "
            f"method {output.get('method')}): cdp lands into DuckDB or into Spark in this "
            "process; on a cluster, land the files with your EL tool or Spark itself"
        )
    return {str(k): str(v) for k, v in (output.get("server_side_parameters") or {}).items()}


def spark_session(settings: Mapping[str, str]) -> Any:
    """The SparkSession dbt-spark's session method would open with these settings."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise LoadError(
            "the Spark target needs pyspark: run ./scripts/setup.sh --spark "
            "(or pip install -e '.[spark]')"
        ) from error
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def land_spark(
    folder: Path | str,
    target: str = "spark",
    profiles: Path | None = None,
    mode: str = "replace",
    loaded_at: datetime | None = None,
    schema: str = RAW_SCHEMA,
    tables: dict[str, tuple[str, ...]] = RAW_TABLES,
    session: Any = None,
) -> dict[str, int]:
    """Land every table of ``tables`` from ``folder`` into database ``schema`` of the Spark
    target; return the rows landed per table. With ``session``, use that SparkSession (and
    leave it open) instead of opening and stopping one from the profile."""
    if mode not in ("replace", "append"):
        raise LoadError(f"mode must be replace or append, not {mode}")
    settings = None
    if session is None:
        settings = session_settings(profile_output(target, profiles or profiles_dir()), target)
    loaded_at = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    with tempfile.TemporaryDirectory(prefix="cdp-spark-landing-") as tmp:
        # every check and every DuckDB read happens here, before Spark starts
        staged = stage_parquet(Path(folder), Path(tmp), tables, loaded_at)
        spark = session or spark_session(settings)
        try:
            return _write_tables(spark, schema, tables, staged, mode)
        finally:
            if session is None:
                spark.stop()


def _write_tables(
    spark: Any,
    schema: str,
    tables: dict[str, tuple[str, ...]],
    staged: dict[str, tuple[Path, int]],
    mode: str,
) -> dict[str, int]:
    from pyspark.sql.functions import col

    database = _ident(schema)
    spark.sql(f"create database if not exists {database}")
    written: list[str] = []
    try:
        for table, (path, _rows) in staged.items():
            columns = [col(_ident(c)).cast("string").alias(c) for c in tables[table]]
            columns.append(col(LOADED_AT).cast("timestamp").alias(LOADED_AT))
            frame = spark.read.parquet(str(path)).select(*columns)
            staging = f"{database}.{_ident(STAGING_PREFIX + table)}"
            spark.sql(f"drop table if exists {staging}")
            written.append(staging)
            frame.write.format("parquet").saveAsTable(staging)
    except Exception as error:
        for staging in written:
            spark.sql(f"drop table if exists {staging}")
        raise LoadError(
            f"writing to Spark failed, the raw tables were left as they were: {_first_line(error)}"
        ) from error
    existing = {row.tableName.lower() for row in spark.sql(f"show tables in {database}").collect()}
    for table in staged:
        staging = f"{database}.{_ident(STAGING_PREFIX + table)}"
        final = f"{database}.{_ident(table)}"
        if mode == "append" and table in existing:
            names = ", ".join(_ident(c) for c in (*tables[table], LOADED_AT))
            spark.sql(f"insert into {final} ({names}) select {names} from {staging}")
            spark.sql(f"drop table {staging}")
        else:
            spark.sql(f"drop table if exists {final}")
            spark.sql(f"alter table {staging} rename to {final}")
    return {table: rows for table, (_path, rows) in staged.items()}


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]
