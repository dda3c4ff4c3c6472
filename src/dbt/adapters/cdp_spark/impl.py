"""The ``cdp_spark`` adapter: dbt-spark's adapter, the project's secret salt handed to SQL as a
Spark session variable, Python models run where dbt-spark cannot submit them, and a Thrift
connection that applies the profile's settings and does not sleep seconds after a long
statement."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any

from dbt.adapters.base import PythonJobHelper
from dbt.adapters.spark import SparkAdapter, SparkConnectionManager, SparkCredentials
from dbt.adapters.spark.connections import PyhiveConnectionWrapper, SparkConnectionMethod
from dbt_common.exceptions import DbtRuntimeError

from dbt.adapters.cdp_spark.python_submissions import (
    ConnectPythonJobHelper,
    SessionPythonJobHelper,
)

ADAPTER_TYPE = "cdp_spark"
SALT_VARIABLE = "cdp_secret_salt"
# what Spark redacts from statement text (the Thrift server's log lines) and EXPLAIN output
REDACTION_CONF = "spark.sql.redaction.string.regex"
# a statement is first polled this soon, then twice as late each time, up to poll_interval
FIRST_POLL_SECONDS = 0.01


@dataclass
class CdpSparkCredentials(SparkCredentials):
    # Spark Connect (sc://host:port/;params) of the same catalog as a Thrift server: Python
    # models and `cdp load` on a Thrift target go there
    connect_url: str | None = None

    @property
    def type(self) -> str:
        return ADAPTER_TYPE


# the Thrift statement that sets the salt (set_thrift_salt), as the server would log it
SALT_STATEMENT_REGEX = SALT_VARIABLE + r" = decode\(unhex\('[0-9a-f]*'\), 'UTF-8'\)"


def secret_salt() -> str:
    from cdp.duckdb_secrets import secret_salt as salt

    return salt()


def prepare_dataframe_session(spark: Any, settings: dict[str, str] | None = None) -> None:
    """Declare the session variable ``cdp_secret_salt`` (macro ``spark__secret_salt``) in a
    SparkSession, in this process or through Spark Connect, and set it to the secret salt
    (env ``CDP_SECRET_SALT``, else the demo salt, as the DuckDB plugin ``cdp.duckdb_secrets``
    does) through a parameter marker: the value is in no SQL text, so not in compiled SQL,
    dbt's logs or Spark's. (Spark's ``${conf}`` substitution would write it into the
    statement, and substitutes a conf whose name contains "secret" by the text
    ``*********(redacted)``.) ``settings``: Spark SQL settings to apply first."""
    for key, value in (settings or {}).items():
        if key.startswith("spark.sql."):
            spark.conf.set(key, value)
    spark.sql(f"declare or replace variable {SALT_VARIABLE} string")
    spark.sql(f"set var {SALT_VARIABLE} = :salt", args={"salt": secret_salt()})


def _session_builder(server_side_parameters: dict[str, Any]) -> Any:
    """The builder dbt-spark's session cursor uses, so getOrCreate() returns its session (in
    this process, or a Spark Connect session when the settings name ``spark.remote``)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for parameter, value in server_side_parameters.items():
        builder = builder.config(parameter, value)
    return builder


def thrift_configuration(server_side_parameters: dict[str, str]) -> dict[str, str]:
    """The session configuration of a Thrift (HiveServer2) connection. Spark's Thrift server
    applies only keys written ``set:hiveconf:<key>`` (it ignores plain keys, as dbt-spark sends
    them: ``spark.sql.session.timeZone`` would silently stay the server's). The session
    redacts the statement that sets the salt from the server's log and UI: the regex names no
    salt, since views keep the session's settings in the metastore."""
    configuration = {
        key if key.startswith(("set:", "use:")) else f"set:hiveconf:{key}": value
        for key, value in server_side_parameters.items()
    }
    configuration[f"set:hiveconf:{REDACTION_CONF}"] = SALT_STATEMENT_REGEX
    return configuration


class PolledPyhiveConnectionWrapper(PyhiveConnectionWrapper):
    """dbt-spark's Thrift cursor sleeps ``poll_interval`` (5 s by default) whenever a status
    request finds the statement still running. Spark's Thrift server holds a status request
    up to 5 s, so a statement of 3 s costs 3 s, but one of 6 s costs 10 s. This one asks again
    after 10 ms, then waits twice as long each time, up to ``poll_interval``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._next_poll = FIRST_POLL_SECONDS
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def poll_interval(self) -> float:
        interval = self._next_poll
        self._next_poll = min(interval * 2, self._max_poll_interval)
        return interval

    @poll_interval.setter
    def poll_interval(self, value: float) -> None:
        self._max_poll_interval = value

    def execute(self, sql: str, bindings: list[Any] | None = None) -> None:
        self._next_poll = FIRST_POLL_SECONDS
        super().execute(sql, bindings)


def set_thrift_salt(cursor: Any, salt: str) -> None:
    """Declare and set ``cdp_secret_salt`` in a Thrift session through the raw cursor (dbt
    does not log these statements). The Thrift protocol has no parameter markers, so the
    value travels as hex in the statement, which the session's redaction
    (``SALT_STATEMENT_REGEX``) hides from the server's log; then its hash is compared with
    the salt's, so a server that changed the value fails here, not in a customer id."""
    cursor.execute(f"declare or replace variable {SALT_VARIABLE} string")
    cursor.execute(f"set var {SALT_VARIABLE} = decode(unhex('{salt.encode().hex()}'), 'UTF-8')")
    cursor.execute(f"select sha2({SALT_VARIABLE}, 256) as salt_check")
    (found,) = cursor.fetchone()
    if found != hashlib.sha256(salt.encode()).hexdigest():
        raise DbtRuntimeError(
            "the Thrift server did not keep the secret salt set in the session variable "
            f"{SALT_VARIABLE}: is it Spark 3.5 or newer (session variables)?"
        )


class CdpSparkConnectionManager(SparkConnectionManager):
    TYPE = ADAPTER_TYPE

    @classmethod
    def open(cls, connection: Any) -> Any:
        credentials = connection.credentials
        if credentials.method == SparkConnectionMethod.THRIFT:
            return cls._open_thrift(connection)
        connection = super().open(connection)
        if credentials.method == SparkConnectionMethod.SESSION:
            parameters = credentials.server_side_parameters or {}
            prepare_dataframe_session(_session_builder(parameters).getOrCreate())
        return connection

    @classmethod
    def _open_thrift(cls, connection: Any) -> Any:
        from dbt.adapters.contracts.connection import ConnectionState

        if connection.state == ConnectionState.OPEN:
            return connection
        credentials = connection.credentials
        # dbt-spark opens the connection from the credentials: lend it ones whose settings
        # the Thrift server applies
        connection.credentials = replace(
            credentials,
            server_side_parameters=thrift_configuration(credentials.server_side_parameters or {}),
        )
        try:
            connection = super().open(connection)
        finally:
            connection.credentials = credentials
        pyhive = connection.handle.handle
        connection.handle = PolledPyhiveConnectionWrapper(
            pyhive,
            poll_interval=credentials.poll_interval,
            query_timeout=credentials.query_timeout,
            query_retries=credentials.query_retries,
        )
        cursor = pyhive.cursor()
        try:
            set_thrift_salt(cursor, secret_salt())
        finally:
            cursor.close()
        return connection


class CdpSparkAdapter(SparkAdapter):
    ConnectionManager = CdpSparkConnectionManager

    @classmethod
    def get_adapter_run_info(cls, config: Any) -> Any:
        # dbt finds an adapter's version module by its class name (CdpSpark -> cdpspark)
        return replace(SparkAdapter.get_adapter_run_info(config), adapter_name=ADAPTER_TYPE)

    @property
    def default_python_submission_method(self) -> str:
        credentials = self.config.credentials
        if credentials.method == SparkConnectionMethod.SESSION:
            return "session"
        if credentials.method == SparkConnectionMethod.THRIFT:
            # a Thrift server runs no Python: through connect_url (an error without one)
            return "connect"
        return super().default_python_submission_method

    @property
    def python_submission_helpers(self) -> dict[str, type[PythonJobHelper]]:
        return {
            **super().python_submission_helpers,
            "session": SessionPythonJobHelper,
            "connect": ConnectPythonJobHelper,
        }
