"""Fit the BG/NBD purchase model and the Gamma-Gamma spend model by maximum likelihood
on every buyer's purchase summary (int_customer_purchase_summaries). One row per model
and parameter; estimates are null, with the reason, when the data cannot support a fit
(too few buyers or no repeat purchases), so the build never crashes on small data.
Buyers with the same summary add the same term to the likelihood, so the engine counts
them and the fit reads one row per distinct summary with its number of buyers (about
half the buyers at 1M; Python memory stays small whatever the number of buyers).
Runs on DuckDB and on Spark (cdp.dbt_python reads and returns the engine's tables)."""

import numpy as np
import pyarrow as pa

from cdp.clv import fit_bg_nbd, fit_gamma_gamma
from cdp.dbt_python import fetch_distinct_counts, model_result

SUMMARY_COLUMNS = ["frequency", "recency", "age", "monetary_value"]


def model(dbt, session):
    dbt.config(materialized="table")
    summaries = dbt.ref("int_customer_purchase_summaries")
    data = fetch_distinct_counts(summaries, SUMMARY_COLUMNS, count_column="buyers")
    # the mean repeat value is null for buyers without a repeat purchase
    monetary_value = np.ma.filled(np.ma.asarray(data["monetary_value"], dtype=float), np.nan)
    fits = [
        fit_bg_nbd(data["frequency"], data["recency"], data["age"], weights=data["buyers"]),
        fit_gamma_gamma(data["frequency"], monetary_value, weights=data["buyers"]),
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
