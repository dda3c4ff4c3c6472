"""Fit the BG/NBD purchase model and the Gamma-Gamma spend model by maximum likelihood
on every buyer's purchase summary (int_customer_purchase_summaries). One row per model
and parameter; estimates are null, with the reason, when the data cannot support a fit
(too few buyers or no repeat purchases), so the build never crashes on small data.
Runs on DuckDB and on Spark (cdp.dbt_python reads and returns the engine's tables)."""

import pyarrow as pa

from cdp.clv import fit_bg_nbd, fit_gamma_gamma
from cdp.dbt_python import fetch_columns, model_result


def model(dbt, session):
    dbt.config(materialized="table")
    summaries = dbt.ref("int_customer_purchase_summaries")
    # a fixed input order makes the optimizer's floating-point sums reproducible
    data = fetch_columns(summaries, order_by="customer_id")
    fits = [
        fit_bg_nbd(data["frequency"], data["recency"], data["age"]),
        fit_gamma_gamma(data["frequency"], data["monetary_value"]),
    ]
    rows = [
        {
            "model": fit.model,
            "parameter": name,
            "estimate": value,
            "customers": fit.customers,
            "log_likelihood": fit.log_likelihood,
            "is_converged": fit.converged,
            "fit_message": fit.message,
        }
        for fit in fits
        for name, value in fit.parameters.items()
    ]
    table = pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [
                ("model", pa.string()),
                ("parameter", pa.string()),
                ("estimate", pa.float64()),
                ("customers", pa.int64()),
                ("log_likelihood", pa.float64()),
                ("is_converged", pa.bool_()),
                ("fit_message", pa.string()),
            ]
        ),
    )
    return model_result(session, table)
