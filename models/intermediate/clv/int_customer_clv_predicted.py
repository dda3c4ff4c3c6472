"""Each buyer's expected purchases over the CLV horizon (BG/NBD conditional expectation),
probability of being alive, and expected net revenue per purchase (Gamma-Gamma), from the
fitted parameters. Null predictions when the models could not be fitted. Runs on DuckDB and
on Spark (cdp.dbt_python reads and returns the engine's tables)."""

import math

import numpy as np
import pyarrow as pa

from cdp.clv import expected_average_value, expected_purchases, probability_alive
from cdp.dbt_python import fetch_columns, fetch_rows, model_result


def positive_number_var(name, value):
    """A var passed in through the model's config as a number, or an error naming it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"var {name} must be a positive number, got: {value}")
    return number


def model(dbt, session):
    dbt.config(materialized="table")
    horizon = positive_number_var(
        "clv_horizon_days", dbt.config.get("clv_horizon_days")
    ) / positive_number_var("clv_time_unit_days", dbt.config.get("clv_time_unit_days"))
    data = fetch_columns(dbt.ref("int_customer_purchase_summaries"), order_by="customer_id")
    estimates = fetch_rows(dbt.ref("int_clv_parameters_fitted"))
    params = {(model, name): value for model, name, value, *_ in estimates}
    bg_nbd = {name: params[("bg_nbd", name)] for name in ("r", "alpha", "a", "b")}
    gamma_gamma = {name: params[("gamma_gamma", name)] for name in ("p", "q", "gamma")}
    count = len(data["customer_id"])
    x, t_x, age = (np.asarray(data[k], dtype=float) for k in ("frequency", "recency", "age"))
    m_x = np.asarray(np.ma.filled(data["monetary_value"], np.nan), dtype=float)
    nothing = np.full(count, np.nan)
    if None in bg_nbd.values():
        purchases, alive = nothing, nothing
    else:
        purchases = expected_purchases(bg_nbd, horizon, x, t_x, age)
        alive = probability_alive(bg_nbd, x, t_x, age)
    if None in gamma_gamma.values() or gamma_gamma["q"] <= 1:
        value = nothing
    else:
        value = expected_average_value(gamma_gamma, x, m_x)
    table = pa.table(
        {
            "customer_id": pa.array(data["customer_id"], pa.string()),
            "predicted_purchases": pa.array(purchases, pa.float64(), from_pandas=True),
            "probability_alive": pa.array(alive, pa.float64(), from_pandas=True),
            "expected_average_net_revenue": pa.array(value, pa.float64(), from_pandas=True),
        }
    )
    return model_result(session, table)
