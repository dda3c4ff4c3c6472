# dbt reports an adapter's version: this one is dbt-spark's, which it extends
from dbt.adapters.spark.__version__ import version  # noqa: F401
