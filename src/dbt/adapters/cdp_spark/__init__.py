"""dbt adapter type ``cdp_spark``: dbt-spark, plus Python models run in the dbt process's own
SparkSession (submission method ``session``) when the connection method is ``session``.

Everything else is dbt-spark's: its macros, materializations and connections (this plugin
depends on the ``spark`` plugin, so ``spark__`` macros dispatch here too). On a cluster use
dbt-spark (``type: spark``) or dbt-databricks directly; see README, Running on Apache Spark.
"""

from dbt.adapters.base import AdapterPlugin

from dbt.adapters.cdp_spark.impl import CdpSparkAdapter, CdpSparkCredentials
from dbt.include import cdp_spark

Plugin = AdapterPlugin(
    adapter=CdpSparkAdapter,  # type: ignore[arg-type]
    credentials=CdpSparkCredentials,
    include_path=cdp_spark.PACKAGE_PATH,
    dependencies=["spark"],
)
