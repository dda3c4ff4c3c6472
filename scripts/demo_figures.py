"""Print the figures of the README's "The 10k demo in figures" table from a built database.

Usage: python scripts/demo_figures.py [DATABASE]   (default: $CDP_DUCKDB_PATH or data/cdp.duckdb)

Read-only. Run `./scripts/demo.sh` first; `cdp score` and `cdp backtest-clv` give the
table's last rows.
"""

from __future__ import annotations

import os
import sys

import duckdb

BUYER_SHARES = {
    "journey stage of buyers": (
        "journey_stage",
        ["repeat_buyer", "first_time_buyer", "lapsed"],
        "marts.customer_profiles where journey_stage in ('repeat_buyer', 'first_time_buyer', "
        "'lapsed')",
    ),
    "journey stage of all customers": (
        "journey_stage",
        ["anonymous_visitor", "known_lead"],
        "marts.customer_profiles",
    ),
    "RFM segments of buyers": (
        "rfm_segment",
        [
            "champions",
            "loyal",
            "potential_loyalists",
            "new_customers",
            "promising",
            "needs_attention",
            "at_risk",
            "cannot_lose_them",
            "hibernating",
            "lost",
        ],
        "marts.customer_value where is_buyer",
    ),
    "value tiers of buyers": (
        "value_tier",
        ["platinum", "gold", "silver", "bronze"],
        "marts.customer_value where is_buyer",
    ),
}


def shares(con: duckdb.DuckDBPyConnection, column: str, values: list[str], relation: str) -> str:
    total, *counts = con.execute(
        "select count(*), "
        + ", ".join(f"count(*) filter (where {column} = ?)" for _ in values)
        + f" from {relation}",
        values,
    ).fetchone()
    parts = " / ".join(
        f"{value} {100 * count / total:.1f}%" for value, count in zip(values, counts, strict=True)
    )
    return f"{parts}  (of {total:,})"


def main(database: str) -> None:
    con = duckdb.connect(database, read_only=True)
    as_of = con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()[0]
    print(f"as-of date: {as_of}")
    buyers = con.execute("select count(*) from marts.customer_value where is_buyer").fetchone()[0]
    print(f"buyers: {buyers:,}")
    for label, (column, values, relation) in BUYER_SHARES.items():
        print(f"{label}: {shares(con, column, values, relation)}")
    for model, parameter, estimate in con.execute(
        "select model, parameter, estimate from marts.clv_model_parameters order by all"
    ).fetchall():
        print(f"{model} {parameter}: {estimate:.4g}")
    purchases, alive, clv, clv_active = con.execute(
        """
        select avg(v.predicted_purchases_12m), avg(v.probability_alive),
            avg(v.predicted_clv_12m),
            avg(v.predicted_clv_12m) filter (where p.journey_stage <> 'lapsed')
        from marts.customer_value as v
        inner join marts.customer_profiles as p using (customer_id)
        where v.is_buyer
        """
    ).fetchone()
    print(f"mean predicted purchases / probability alive, 12 months: {purchases:.3f} / {alive:.2f}")
    print(
        "mean predicted 12-month CLV per buyer / per non-lapsed buyer: "
        f"{clv:.2f} / {clv_active:.2f}"
    )
    revenue_year, margin_rate = con.execute(
        """
        select sum(net_revenue) / count(distinct customer_id), sum(gross_margin) / sum(net_revenue)
        from marts.customer_purchases
        where is_purchase and not is_after_as_of_date
            and year(purchased_at) = year((select as_of_date from intermediate.int_as_of_date))
        """
    ).fetchone()
    print(
        f"net revenue in the as-of year per buyer active that year: {revenue_year:.0f} "
        f"(margin rate {100 * margin_rate:.0f}%)"
    )
    revenue_all = con.execute(
        "select avg(net_revenue) from marts.customer_value where is_buyer"
    ).fetchone()[0]
    print(f"net revenue per buyer, all time: {revenue_all:.0f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CDP_DUCKDB_PATH", "data/cdp.duckdb"))
