"""The CLV models on real data nobody here made: the CDNOW sample (2,357 customers'
CD purchases, Jan 1997 - Jun 1998) from the `lifetimes` wheel, landed as raw store
purchases with loyalty ids, amounts as EUR. Calibration: the 39 weeks up to
1997-09-30 (var as_of_date). The fitted parameters must match the published ones
within 1%: BG/NBD (Fader, Hardie & Lee 2005) r = 0.243, alpha = 4.414, a = 0.793,
b = 2.426; Gamma-Gamma (Fader & Hardie 2013) p = 6.25, q = 3.74, gamma = 15.44.
"""

from __future__ import annotations

from datetime import datetime
from importlib.metadata import distribution

import pytest

from cdp.clv import expected_purchases
from conftest import build_scenario, query

PUBLISHED = {
    ("bg_nbd", "r"): 0.243,
    ("bg_nbd", "alpha"): 4.414,
    ("bg_nbd", "a"): 0.793,
    ("bg_nbd", "b"): 2.426,
    ("gamma_gamma", "p"): 6.25,
    ("gamma_gamma", "q"): 3.74,
    ("gamma_gamma", "gamma"): 15.44,
}
CALIBRATION_END = "1997-09-30"
HOLDOUT_WEEKS = 39


def cdnow_transactions() -> list[dict]:
    """CDNOW_sample.txt: master id, sample id, yyyymmdd, CDs bought, dollar value."""
    path = distribution("lifetimes").locate_file("lifetimes/datasets/CDNOW_sample.txt")
    rows = []
    for number, line in enumerate(open(path).read().split("\n")):
        if not line.strip():
            continue
        _, customer, day, _, amount = line.split()
        rows.append(
            {
                "transaction_id": f"CDNOW-{number}",
                "store_id": "cdnow",
                "brand": "cdnow",
                "loyalty_id": f"CDNOW-{int(customer):05d}",
                "currency": "EUR",
                "amount": amount,
                "transacted_at": datetime.strptime(day, "%Y%m%d").date().isoformat(),
            }
        )
    return rows


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return build_scenario(
        tmp_path_factory.mktemp("cdnow"),
        {"pos_transactions": cdnow_transactions()},
        "--vars",
        # CDNOW has no product costs and no shop orders to observe a cost ratio on:
        # without this var margins (and so the margin CLV) would have no basis
        f"{{as_of_date: '{CALIBRATION_END}', store_cost_of_goods_ratio: 0.6}}",
    )


def test_the_sample_is_landed_whole(database):
    assert query(database, "select count(*) from marts.customer_purchases") == [(6919,)]
    assert query(database, "select count(*) from marts.customer_profiles") == [(2357,)]


@pytest.mark.parametrize(("model", "parameter"), sorted(PUBLISHED))
def test_fitted_parameters_match_the_published_estimates_within_1_percent(
    database, model, parameter
):
    (estimate, customers, converged), *_ = query(
        database,
        "select estimate, customers, is_converged from marts.clv_model_parameters "
        "where model = ? and parameter = ?",
        [model, parameter],
    )
    published = PUBLISHED[(model, parameter)]
    assert converged
    assert customers == (2357 if model == "bg_nbd" else 946)
    assert abs(estimate - published) / published < 0.01, (estimate, published)


def test_one_customer_matches_the_papers_worked_example(database):
    """FHL 2005: a customer with x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases
    in the next 39 weeks."""
    params = dict(
        query(
            database,
            "select parameter, estimate from marts.clv_model_parameters where model = 'bg_nbd'",
        )
    )
    (expected,) = expected_purchases(params, HOLDOUT_WEEKS, [2], [30.43], [38.86])
    assert abs(expected - 1.226) < 0.005


def test_holdout_purchases_are_predicted_within_15_percent(database):
    """Predicted vs actual purchase occasions (customer-days) in the 39 weeks after
    calibration, summed over all customers: measured 1,653 vs 1,882 (-12%); the
    assertion catches a broken model, the README reports the figures."""
    params = dict(
        query(
            database,
            "select parameter, estimate from marts.clv_model_parameters where model = 'bg_nbd'",
        )
    )
    summaries = query(
        database,
        "select frequency, recency, age from intermediate.int_customer_purchase_summaries",
    )
    x, t_x, age = (list(column) for column in zip(*summaries, strict=True))
    predicted = float(expected_purchases(params, HOLDOUT_WEEKS, x, t_x, age).sum())
    (actual,) = query(
        database,
        f"""
        select count(distinct (customer_id, cast(purchased_at as date)))
        from marts.customer_purchases
        where purchased_at >= date '{CALIBRATION_END}' + interval 1 day
            and purchased_at < date '{CALIBRATION_END}' + interval {HOLDOUT_WEEKS * 7 + 1} day
        """,
    )[0]
    print(f"holdout: predicted {predicted:.0f}, actual {actual}")
    assert abs(predicted - actual) / actual < 0.15


def test_every_buyer_has_a_prediction(database):
    rows = query(
        database,
        """
        select count(*), count(predicted_purchases_12m), count(predicted_clv_12m),
            min(predicted_purchases_12m) >= 0, min(probability_alive) >= 0,
            max(probability_alive) <= 1
        from marts.customer_value where is_buyer
        """,
    )
    assert rows == [(2357, 2357, 2357, True, True, True)]
