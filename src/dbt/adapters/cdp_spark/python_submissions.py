"""Submission method ``session``: run a compiled dbt Python model in this process.

With dbt-spark's ``session`` connection method, dbt itself is the Spark driver: every SQL
statement runs through ``SparkSession.builder...getOrCreate()`` in this process. A Python
model is run the same way. Its compiled code (the model, then dbt-spark's
``py_write_table``, which calls ``model(dbt, spark)`` and saves the result with
``saveAsTable``) is executed with ``spark`` bound to that same session, so it sees the
same metastore and warehouse as the SQL models.
"""

from __future__ import annotations

import traceback
from typing import Any

from dbt.adapters.base import PythonJobHelper
from dbt.adapters.spark.connections import SparkConnectionMethod, SparkCredentials
from dbt_common.exceptions import DbtRuntimeError


class SessionPythonJobHelper(PythonJobHelper):
    def __init__(self, parsed_model: dict, credentials: SparkCredentials) -> None:
        self.model_name = f"{parsed_model['schema']}.{parsed_model['alias']}"
        self.credentials = credentials
        if credentials.method != SparkConnectionMethod.SESSION:
            raise DbtRuntimeError(
                f"Python model {self.model_name}: submission_method 'session' runs the model "
                f"in dbt's own SparkSession and needs the connection method 'session', not "
                f"'{credentials.method}'; on a cluster use 'all_purpose_cluster' or 'job_cluster'"
            )

    def _session(self) -> Any:
        # the same builder as dbt-spark's session cursor, so getOrCreate() returns its session
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.enableHiveSupport()
        for parameter, value in (self.credentials.server_side_parameters or {}).items():
            builder = builder.config(parameter, value)
        return builder.getOrCreate()

    def submit(self, compiled_code: str) -> None:
        code = compile(compiled_code, f"<python model {self.model_name}>", "exec")
        try:
            exec(code, {"__name__": "__dbt_python_model__", "spark": self._session()})
        except Exception as error:
            raise DbtRuntimeError(
                f"Python model {self.model_name} failed: {error}\n{traceback.format_exc()}"
            ) from error
