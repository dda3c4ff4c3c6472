"""What the project's dbt Python models need from their engine, on DuckDB and on Spark.

``dbt.ref()`` is a DuckDB relation under dbt-duckdb and a pyspark DataFrame under dbt-spark,
and the model's ``session`` a DuckDB connection or a SparkSession. These helpers read a
relation the same way from both and hand a result table back in the form each adapter
writes: a pyarrow Table to dbt-duckdb, a Spark DataFrame to dbt-spark (whose writer takes
Spark or pandas frames, not Arrow).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def is_spark(session: Any) -> bool:
    return type(session).__module__.startswith("pyspark.")


def fetch_columns(relation: Any, order_by: str) -> dict[str, np.ndarray]:
    """Every column of ``relation`` in ``order_by`` order, as numpy arrays: DuckDB's
    ``fetchnumpy()`` (a masked array where a column has nulls, decimals as float64), and the
    same from a Spark DataFrame."""
    if hasattr(relation, "fetchnumpy"):
        return relation.order(order_by).fetchnumpy()
    table = relation.orderBy(order_by).toArrow()
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_decimal(column.type):
            column = pc.cast(column, pa.float64())
        values = column.to_numpy(zero_copy_only=False)
        if column.null_count:
            values = np.ma.masked_array(values, mask=column.is_null().to_numpy(False))
        columns[name] = values
    return columns


def fetch_rows(relation: Any) -> list[tuple]:
    """Every row of ``relation`` as a tuple."""
    if hasattr(relation, "fetchall"):
        return relation.fetchall()
    return [tuple(row) for row in relation.collect()]


def model_result(session: Any, table: pa.Table) -> Any:
    """``table`` as the model's return value for the adapter that runs it."""
    if is_spark(session):
        return session.createDataFrame(table)
    return table
