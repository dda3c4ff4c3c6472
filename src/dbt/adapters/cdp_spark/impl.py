"""The ``cdp_spark`` adapter: dbt-spark's adapter with one more Python submission method."""

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
