"""The ``cdp_spark`` adapter: dbt-spark's adapter with one more Python submission method, and
the project's secret salt handed to SQL as a Spark session variable."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from dbt.adapters.base import PythonJobHelper
from dbt.adapters.spark import SparkAdapter, SparkConnectionManager, SparkCredentials
from dbt.adapters.spark.connections import SparkConnectionMethod

from dbt.adapters.cdp_spark.python_submissions import SessionPythonJobHelper

ADAPTER_TYPE = "cdp_spark"


@dataclass
class CdpSparkCredentials(SparkCredentials):
    @property
    def type(self) -> str:
        return ADAPTER_TYPE


class CdpSparkConnectionManager(SparkConnectionManager):
    TYPE = ADAPTER_TYPE

    @classmethod
    def open(cls, connection: Any) -> Any:
        connection = super().open(connection)
        if connection.credentials.method == SparkConnectionMethod.SESSION:
            set_secret_salt(connection.credentials.server_side_parameters or {})
        return connection


def set_secret_salt(server_side_parameters: dict[str, Any]) -> None:
    """Declare the session variable ``cdp_secret_salt`` (macro ``spark__secret_salt``) and set
    it to the secret salt (env ``CDP_SECRET_SALT``, else the demo salt, as the DuckDB plugin
    ``cdp.duckdb_secrets`` does) through a parameter marker: the value is never part of any
    SQL text, so it is not in compiled SQL, dbt's logs or Spark's. (Spark's ``${conf}``
    substitution would write it into the statement, and substitutes a conf whose name
    contains "secret" by the text ``*********(redacted)``.)"""
    from pyspark.sql import SparkSession

    from cdp.duckdb_secrets import secret_salt

    builder = SparkSession.builder.enableHiveSupport()
    for parameter, value in server_side_parameters.items():
        builder = builder.config(parameter, value)
    spark = builder.getOrCreate()  # the session dbt-spark's session cursor uses
    spark.sql("declare or replace variable cdp_secret_salt string")
    spark.sql("set var cdp_secret_salt = :salt", args={"salt": secret_salt()})


class CdpSparkAdapter(SparkAdapter):
    ConnectionManager = CdpSparkConnectionManager

    @classmethod
    def get_adapter_run_info(cls, config: Any) -> Any:
        # dbt finds an adapter's version module by its class name (CdpSpark -> cdpspark)
        return replace(SparkAdapter.get_adapter_run_info(config), adapter_name=ADAPTER_TYPE)

    @property
    def default_python_submission_method(self) -> str:
        if self.config.credentials.method == SparkConnectionMethod.SESSION:
            return "session"
        return super().default_python_submission_method

    @property
    def python_submission_helpers(self) -> dict[str, type[PythonJobHelper]]:
        return {**super().python_submission_helpers, "session": SessionPythonJobHelper}
