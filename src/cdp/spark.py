"""Land the raw contract tables into Apache Spark: the catalog, metastore and warehouse of a
Spark output of the dbt profile (``cdp load --target spark``, ``cdp generate --target spark``).

The files are read and checked exactly as for DuckDB (:func:`cdp.load.stage_parquet`: missing
table or column, unreadable file) and written to Parquet before Spark starts, so bad input
writes nothing. Spark then writes every table under a staging name first and replaces
(or appends to) the real tables only when all were written. Every contract column is
STRING, ``_loaded_at`` TIMESTAMP (the session time zone is UTC).

Which Spark: a session-method output's ``server_side_parameters``, as dbt-spark's session
method builds its session: Spark in this process (the ``spark`` target; its Derby metastore
can be opened by one process at a time, so the session is stopped when the load ends), or
a Spark Connect server when they name ``spark.remote`` (``spark_connect``). A Thrift output
lands through its ``connect_url`` (``spark_thrift``): the Thrift protocol has no way to send
DataFrames. Through Spark Connect the rows are sent from this process (the server need not
see its files).
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
REMOTE = "spark.remote"
# rows per DataFrame sent through Spark Connect (each is one message to the server)
CONNECT_BATCH_ROWS = 200_000


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
    """The Spark settings of a Spark output: a session-method output's own (Spark in this
    process, or Spark Connect with ``spark.remote``), a Thrift output's Spark SQL settings
    with its ``connect_url`` as ``spark.remote``; an error for any other output."""
    parameters = {str(k): str(v) for k, v in (output.get("server_side_parameters") or {}).items()}
    method = output.get("method")
    if output.get("type") in SPARK_TYPES and method == "session":
        return parameters
    if output.get("type") in SPARK_TYPES and method == "thrift" and output.get("connect_url"):
        settings = {k: v for k, v in parameters.items() if k.startswith("spark.sql.")}
        return {**settings, REMOTE: str(output["connect_url"])}
    if output.get("type") in SPARK_TYPES and method == "thrift":
        raise LoadError(
            f"target {target} reaches Spark through a Thrift server, which cannot receive "
            "files: give the output a connect_url (sc://host:port of a Spark Connect server "
            "of the same catalog), or land the files with your EL tool or Spark itself"
        )
    raise LoadError(
        f"target {target} is not a Spark target cdp can land into (type {output.get('type')}, "
        f"method {method}): cdp lands into DuckDB, into Spark in this process, or through "
        "Spark Connect; otherwise land the files with your EL tool or Spark itself"
    )


def spark_session(settings: Mapping[str, str]) -> Any:
    """The SparkSession dbt-spark's session method would open with these settings: in this
    process, or a new Spark Connect session when they name ``spark.remote``."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise LoadError(
            "the Spark target needs pyspark: run ./scripts/setup.sh --spark "
            "(or pip install -e '.[spark]')"
        ) from error
    if REMOTE in settings:
        try:
            spark = SparkSession.builder.remote(settings[REMOTE]).create()
        except Exception as error:
            raise LoadError(
                f"cannot reach Spark Connect at {settings[REMOTE]}: {_first_line(error)}"
            ) from error
        for key, value in settings.items():
            if key.startswith("spark.sql."):
                spark.conf.set(key, value)
        return spark
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def is_connect(spark: Any) -> bool:
    return type(spark).__module__.startswith("pyspark.sql.connect")


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
    database = _ident(schema)
    spark.sql(f"create database if not exists {database}")
    written: list[str] = []
    try:
        for table, (path, _rows) in staged.items():
            staging = f"{database}.{_ident(STAGING_PREFIX + table)}"
            spark.sql(f"drop table if exists {staging}")
            written.append(staging)
            for number, frame in enumerate(_frames(spark, path, tables[table])):
                # the first batch creates the table (dropped above; "errorifexists" is not
                # supported by Spark Connect), the next ones append
                write = "overwrite" if number == 0 else "append"
                frame.write.format("parquet").mode(write).saveAsTable(staging)
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


def _frames(spark: Any, path: Path, columns: tuple[str, ...]) -> Any:
    """The staged file as DataFrames of the contract's columns and types: read by Spark in
    this process; sent from here in batches through Spark Connect (whose server may not
    see this machine's files)."""
    from pyspark.sql.functions import col

    selected = [col(_ident(c)).cast("string").alias(c) for c in columns]
    selected.append(col(LOADED_AT).cast("timestamp").alias(LOADED_AT))
    if not is_connect(spark):
        yield spark.read.parquet(str(path)).select(*selected)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    batches = parquet.iter_batches(batch_size=CONNECT_BATCH_ROWS)
    first = True
    for batch in batches:
        first = False
        yield spark.createDataFrame(pa.Table.from_batches([batch])).select(*selected)
    if first:  # no rows: the empty table still gets its columns
        yield spark.createDataFrame(parquet.schema_arrow.empty_table()).select(*selected)


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]
