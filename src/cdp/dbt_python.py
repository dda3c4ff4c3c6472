"""What the project's dbt Python models need from their engine, on DuckDB and on Spark.

``dbt.ref()`` is a DuckDB relation under dbt-duckdb and a pyspark DataFrame under dbt-spark,
and the model's ``session`` a DuckDB connection or a SparkSession. These helpers read a
relation the same way from both and hand a result back in the form each adapter writes:
a pyarrow Table or RecordBatchReader to dbt-duckdb, a Spark DataFrame to dbt-spark (whose
writer takes Spark or pandas frames, not Arrow).

Memory: a model's Python objects live outside DuckDB's ``memory_limit`` and never spill,
so the models hold only what they must: a fit reads the distinct rows the engine counted
(``fetch_distinct_counts``), and a per-row model reads and writes in batches
(``fetch_batches`` and ``model_result`` with an iterator of batches), so that at most a
few batches are in Python at a time on DuckDB, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# rows per batch of a streamed model: about 10 MB of Arrow per batch for the CLV columns
BATCH_ROWS = 100_000


def is_spark(session: Any) -> bool:
    return type(session).__module__.startswith("pyspark.")


def _is_duckdb(relation: Any) -> bool:
    # by type, not by attribute: a Spark Connect DataFrame answers any attribute name with a
    # Column of that name
    return type(relation).__module__.startswith("duckdb")


def _numpy_columns(table: pa.Table) -> dict[str, np.ndarray]:
    """An Arrow table's columns as numpy arrays, as DuckDB's ``fetchnumpy()`` gives them:
    decimals as float64, a masked array where a column has nulls."""
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_decimal(column.type):
            column = pc.cast(column, pa.float64())
        values = column.to_numpy(zero_copy_only=False)
        if column.null_count:
            values = np.ma.masked_array(values, mask=column.is_null().to_numpy(False))
        columns[name] = values
    return columns


def fetch_columns(relation: Any, order_by: str) -> dict[str, np.ndarray]:
    """Every column of ``relation`` in ``order_by`` order, as numpy arrays: DuckDB's
    ``fetchnumpy()`` (a masked array where a column has nulls, decimals as float64), and the
    same from a Spark DataFrame. Holds the whole relation in Python: for small relations."""
    if _is_duckdb(relation):
        return relation.order(order_by).fetchnumpy()
    return _numpy_columns(relation.orderBy(order_by).toArrow())


def fetch_distinct_counts(
    relation: Any, columns: list[str], count_column: str
) -> dict[str, np.ndarray]:
    """The distinct combinations of ``columns`` with the number of rows of each
    (``count_column``), counted by the engine and ordered by ``columns``: a fit on rows
    that repeat needs only these, and Python holds one row per distinct combination
    instead of one per customer. Columns as ``fetch_columns`` gives them."""
    listed = ", ".join(columns)
    if _is_duckdb(relation):
        counted = relation.aggregate(f"{listed}, count(*) as {count_column}", listed)
        return counted.order(listed).fetchnumpy()
    counted = relation.groupBy(*columns).count().withColumnRenamed("count", count_column)
    return _numpy_columns(counted.orderBy(*columns).toArrow())


def fetch_batches(relation: Any, rows: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """The rows of ``relation`` as Arrow record batches of at most ``rows`` rows, in no
    particular order. DuckDB streams them (a batch is read when the previous one is
    done); Spark collects the relation to the driver first (bounded by its memory)."""
    if _is_duckdb(relation):
        yield from relation.to_arrow_reader(rows)
    else:
        yield from relation.toArrow().to_batches(rows)


def batch_column(batch: pa.RecordBatch, name: str) -> np.ndarray:
    """A numeric column of a batch as float64, nulls as NaN."""
    column = batch.column(name)
    if not pa.types.is_floating(column.type):
        column = pc.cast(column, pa.float64())
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=float)


def fetch_rows(relation: Any) -> list[tuple]:
    """Every row of ``relation`` as a tuple."""
    if _is_duckdb(relation):
        return relation.fetchall()
    return [tuple(row) for row in relation.collect()]


def model_result(
    session: Any,
    result: pa.Table | Iterable[pa.RecordBatch],
    schema: pa.Schema | None = None,
) -> Any:
    """``result`` as the model's return value for the adapter that runs it: an Arrow
    table, or an iterator of record batches of ``schema``. dbt-duckdb writes the batches
    as they come (a RecordBatchReader, read by DuckDB while the model's input is still
    being read); dbt-spark gets one DataFrame of all of them."""
    if not isinstance(result, pa.Table):
        if schema is None:
            raise ValueError("a result given as record batches needs their schema")
        if not is_spark(session):
            return pa.RecordBatchReader.from_batches(schema, iter(result))
        result = pa.Table.from_batches(list(result), schema=schema)
    if is_spark(session):
        return session.createDataFrame(result)
    return result
