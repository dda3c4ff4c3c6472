"""cdp.dbt_python on DuckDB: what the CLV models read and write, against values written
by hand. The batches are written the way dbt-duckdb writes a Python model's result (the
result registered on a second cursor, then `create table ... as select`), while the
first cursor is still reading the input."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from cdp.dbt_python import (
    batch_column,
    fetch_batches,
    fetch_distinct_counts,
    model_result,
)


@pytest.fixture
def connection(tmp_path):
    con = duckdb.connect(str(tmp_path / "python.duckdb"))
    yield con
    con.close()


def test_distinct_counts_are_the_engines_counts_nulls_included(connection):
    connection.execute(
        """
        create table summaries as
        select * from (values
            ('a', 0, 0.0, null), ('b', 0, 0.0, null), ('c', 0, 0.0, null),
            ('d', 1, 4.0, 25.0), ('e', 1, 4.0, 25.0), ('f', 1, 4.0, 60.0),
            ('g', 2, 20.0, 35.0)
        ) as t(customer_id, frequency, recency, monetary_value)
        """
    )
    data = fetch_distinct_counts(
        connection.sql("select * from summaries"),
        ["frequency", "recency", "monetary_value"],
        count_column="buyers",
    )
    rows = list(
        zip(
            data["frequency"].tolist(),
            data["recency"].tolist(),
            np.ma.filled(np.ma.asarray(data["monetary_value"], dtype=float), -1).tolist(),
            data["buyers"].tolist(),
            strict=True,
        )
    )
    assert rows == [(0, 0.0, -1.0, 3), (1, 4.0, 25.0, 2), (1, 4.0, 60.0, 1), (2, 20.0, 35.0, 1)]


def test_a_streamed_result_holds_every_row_once_with_its_value(connection):
    """250,001 rows in batches of 100,000: three batches, none larger, and the written
    table holds every input row once with value = 2 x its number (NULL stays NULL)."""
    rows = 250_001
    connection.execute(
        f"""
        create table summaries as
        select 'cus_' || i as customer_id, case when i % 10 = 0 then null else i end as n
        from range({rows}) as t(i)
        """
    )
    schema = pa.schema([("customer_id", pa.string()), ("doubled", pa.float64())])
    sizes = []

    def doubled(batches):
        for batch in batches:
            sizes.append(batch.num_rows)
            n = batch_column(batch, "n")
            yield pa.record_batch(
                [batch.column("customer_id"), pa.array(n * 2, from_pandas=True)], schema=schema
            )

    reading = connection.cursor()
    result = model_result(
        reading, doubled(fetch_batches(reading.sql("select * from summaries"), 100_000)), schema
    )
    assert isinstance(result, pa.RecordBatchReader)
    writing = reading.cursor()
    writing.register("model_df", result)
    writing.execute("create table predicted as select * from model_df")
    assert sorted(sizes, reverse=True)[0] <= 100_000 and sum(sizes) == rows
    wrong = connection.execute(
        """
        select count(*) from summaries
        full join predicted using (customer_id)
        where predicted.customer_id is null or summaries.customer_id is null
            or predicted.doubled is distinct from 2 * summaries.n
        """
    ).fetchone()[0]
    assert wrong == 0
    assert connection.execute("select count(*), count(doubled) from predicted").fetchone() == (
        rows,
        rows - 25_001,
    )


def test_batches_need_their_schema():
    with pytest.raises(ValueError, match="needs their schema"):
        model_result(duckdb.connect(), iter([]))
