"""Submission methods for dbt Python models beyond dbt-spark's Databricks ones.

``session``: with dbt-spark's ``session`` connection method, dbt itself is the Spark driver
(or a Spark Connect client, when the settings name ``spark.remote``): every SQL statement runs
through ``SparkSession.builder...getOrCreate()`` in this process. A Python model is run the
same way. Its compiled code (the model, then dbt-spark's ``py_write_table``, which calls
``model(dbt, spark)`` and saves the result with ``saveAsTable``) is executed with ``spark``
bound to that same session, so it sees the same catalog as the SQL models.

``connect``: with the ``thrift`` connection method, SQL goes to a Thrift server, which cannot
run Python. The compiled model is executed here with ``spark`` bound to a new Spark Connect
session at the profile's ``connect_url``, a Connect server of the same catalog (on this
project's cluster, the same application as the Thrift server): the model's DataFrames are
computed by the cluster, its Python (the CLV fit) runs in this process.
"""

from __future__ import annotations

import traceback
from typing import Any

from dbt.adapters.base import PythonJobHelper
from dbt.adapters.spark.connections import SparkConnectionMethod, SparkCredentials
from dbt_common.exceptions import DbtRuntimeError


def _run(model_name: str, compiled_code: str, spark: Any) -> None:
    code = compile(compiled_code, f"<python model {model_name}>", "exec")
    try:
        exec(code, {"__name__": "__dbt_python_model__", "spark": spark})
    except Exception as error:
        raise DbtRuntimeError(
            f"Python model {model_name} failed: {error}\n{traceback.format_exc()}"
        ) from error


class SessionPythonJobHelper(PythonJobHelper):
    def __init__(self, parsed_model: dict, credentials: SparkCredentials) -> None:
        self.model_name = f"{parsed_model['schema']}.{parsed_model['alias']}"
        self.credentials = credentials
        if credentials.method != SparkConnectionMethod.SESSION:
            raise DbtRuntimeError(
                f"Python model {self.model_name}: submission_method 'session' runs the model "
                f"in dbt's own SparkSession and needs the connection method 'session', not "
                f"'{credentials.method}'; on a Thrift server use 'connect' (with connect_url), "
                "on Databricks 'all_purpose_cluster' or 'job_cluster'"
            )

    def submit(self, compiled_code: str) -> None:
        from dbt.adapters.cdp_spark.impl import _session_builder

        parameters = self.credentials.server_side_parameters or {}
        _run(self.model_name, compiled_code, _session_builder(parameters).getOrCreate())


class ConnectPythonJobHelper(PythonJobHelper):
    def __init__(self, parsed_model: dict, credentials: SparkCredentials) -> None:
        self.model_name = f"{parsed_model['schema']}.{parsed_model['alias']}"
        self.credentials = credentials
        self.connect_url = getattr(credentials, "connect_url", None)
        if not self.connect_url:
            raise DbtRuntimeError(
                f"Python model {self.model_name}: submission_method 'connect' needs "
                "connect_url in the profile's output (sc://host:port of a Spark Connect "
                "server of the same catalog)"
            )

    def submit(self, compiled_code: str) -> None:
        from pyspark.sql.connect.session import SparkSession

        from dbt.adapters.cdp_spark.impl import prepare_dataframe_session

        try:
            spark = SparkSession.builder.remote(self.connect_url).create()
        except Exception as error:
            raise DbtRuntimeError(
                f"Python model {self.model_name}: cannot reach Spark Connect at "
                f"{self.connect_url}: {error}"
            ) from error
        try:
            prepare_dataframe_session(spark, self.credentials.server_side_parameters or {})
            _run(self.model_name, compiled_code, spark)
        finally:
            spark.stop()
