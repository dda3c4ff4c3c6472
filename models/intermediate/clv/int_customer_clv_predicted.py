"""Each buyer's expected purchases over the CLV horizon (BG/NBD conditional expectation),
probability of being alive, and expected net revenue per purchase (Gamma-Gamma), from the
fitted parameters. Null predictions when the models could not be fitted. Every buyer's
prediction depends on that buyer's summary only, so the summaries are read and the
predictions written in batches (cdp.dbt_python.fetch_batches): Python holds a few
batches at a time, whatever the number of buyers. Runs on DuckDB and on Spark."""

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.clv import expected_average_value, expected_purchases, probability_alive
from cdp.dbt_python import batch_column, fetch_batches, fetch_rows, model_result

SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("predicted_purchases", pa.float64()),
        ("probability_alive", pa.float64()),
        ("expected_average_net_revenue", pa.float64()),
    ]
)


def positive_number_var(name, value):
    """A var passed in through the model's config as a number, or an error naming it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"var {name} must be a positive number, got: {value}")
    return number


def predictions(batches, bg_nbd, gamma_gamma, horizon):
    """The predictions of each batch of summaries, as a batch of SCHEMA."""
    for batch in batches:
        x, t_x, age, m_x = (
            batch_column(batch, name) for name in ("frequency", "recency", "age", "monetary_value")
        )
        nothing = np.full(batch.num_rows, np.nan)
        if None in bg_nbd.values():
            purchases, alive = nothing, nothing
        else:
            purchases = expected_purchases(bg_nbd, horizon, x, t_x, age)
            alive = probability_alive(bg_nbd, x, t_x, age)
        if None in gamma_gamma.values() or gamma_gamma["q"] <= 1:
            value = nothing
        else:
            value = expected_average_value(gamma_gamma, x, m_x)
        yield pa.record_batch(
            [
                pc.cast(batch.column("customer_id"), pa.string()),
                pa.array(purchases, pa.float64(), from_pandas=True),
                pa.array(alive, pa.float64(), from_pandas=True),
                pa.array(value, pa.float64(), from_pandas=True),
            ],
            schema=SCHEMA,
        )


def model(dbt, session):
    dbt.config(materialized="table")
    horizon = positive_number_var(
        "clv_horizon_days", dbt.config.get("clv_horizon_days")
    ) / positive_number_var("clv_time_unit_days", dbt.config.get("clv_time_unit_days"))
    # the parameters first: the summaries are then read while the result is written
    estimates = fetch_rows(dbt.ref("int_clv_parameters_fitted"))
    params = {(model, name): value for model, name, value, *_ in estimates}
    bg_nbd = {name: params[("bg_nbd", name)] for name in ("r", "alpha", "a", "b")}
    gamma_gamma = {name: params[("gamma_gamma", name)] for name in ("p", "q", "gamma")}
    summaries = fetch_batches(dbt.ref("int_customer_purchase_summaries"))
    return model_result(
        session, predictions(summaries, bg_nbd, gamma_gamma, horizon), schema=SCHEMA
    )
