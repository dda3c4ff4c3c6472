"""Backtest of the CLV purchase model: calibrate on the purchases up to a date, then
compare each buyer's predicted purchase occasions with what they really did in the
following horizon.

    cdp backtest-clv --database data/cdp.duckdb --calibration-end 2024-12-31

It rebuilds customer_value and its parents with var as_of_date = the calibration end
(run `dbt build` afterwards to return the marts to the default as-of date).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]

COMPARISON_SQL = """
with

predicted as (
    select customer_id, predicted_purchases_12m as predicted
    from marts.customer_value
    where is_buyer and predicted_purchases_12m is not null
),

actual as (
    select customer_id, count(distinct cast(purchased_at as date)) as actual
    from marts.customer_purchases
    where is_purchase
        and purchased_at >= date '{end}' + interval 1 day
        and purchased_at < date '{end}' + interval {days} day + interval 1 day
    group by customer_id
),

joined as (
    select predicted.predicted, coalesce(actual.actual, 0) as actual
    from predicted
    left join actual using (customer_id)
)

select
    count(*) as buyers,
    sum(predicted) as predicted_total,
    sum(actual) as actual_total,
    avg(abs(predicted - actual)) as mean_absolute_error,
    avg(actual) as mean_actual,
    corr(predicted, actual) as correlation
from joined
"""


def backtest_clv(database: str, calibration_end: str, horizon_days: int = 365) -> dict:
    env = {**os.environ, "CDP_DUCKDB_PATH": str(database)}
    dbt = str(Path(sys.executable).parent / "dbt")
    variables = json.dumps({"as_of_date": calibration_end, "clv_horizon_days": horizon_days})
    subprocess.run(
        [dbt, "run", "--select", "+customer_value", "+customer_purchases", "--vars", variables,
         "--quiet"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
    )  # fmt: skip
    con = duckdb.connect(str(database), read_only=True)
    try:
        row = con.execute(COMPARISON_SQL.format(end=calibration_end, days=horizon_days)).fetchall()[
            0
        ]
    finally:
        con.close()
    buyers, predicted, actual, mae, mean_actual, correlation = row
    return {
        "calibration_end": calibration_end,
        "horizon_days": horizon_days,
        "buyers": buyers,
        "predicted_purchases": round(predicted, 1),
        "actual_purchases": actual,
        "relative_error_of_total": round((predicted - actual) / actual, 4) if actual else None,
        "mean_absolute_error_per_buyer": round(mae, 4),
        "mean_actual_per_buyer": round(mean_actual, 4),
        "correlation": round(correlation, 4) if correlation is not None else None,
    }


def report(result: dict) -> str:
    return "\n".join(f"{key:>32}  {value}" for key, value in result.items())
