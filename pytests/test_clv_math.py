"""cdp.clv on its own: the paper's worked example, degenerate and tiny inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cdp.clv import (
    expected_average_value,
    expected_purchases,
    fit_bg_nbd,
    fit_gamma_gamma,
    probability_alive,
)

PUBLISHED_BG_NBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def test_conditional_expectation_matches_the_paper():
    # Fader, Hardie & Lee (2005): x = 2, t_x = 30.43, T = 38.86, 39 weeks ahead
    assert math.isclose(
        expected_purchases(PUBLISHED_BG_NBD, 39, [2], [30.43], [38.86])[0], 1.226, abs_tol=5e-4
    )


def test_a_customer_without_repeat_purchases_is_alive_for_sure():
    assert probability_alive(PUBLISHED_BG_NBD, [0], [0.0], [20.0])[0] == 1.0


def test_too_little_data_gives_no_estimates_and_says_why():
    fit = fit_bg_nbd([0, 0, 0], [0, 0, 0], [5, 6, 7])
    assert fit.parameters == {"r": None, "alpha": None, "a": None, "b": None}
    assert not fit.converged and "insufficient data" in fit.message
    assert fit_gamma_gamma([1, 0], [10.0, float("nan")]).parameters["p"] is None


def test_degenerate_data_give_finite_bounded_estimates():
    """Everybody buys exactly every week and never stops: no dropout in the data. The
    estimates stay finite (bounded search) and the log-likelihood is a real one."""
    x = np.full(200, 10.0)
    t_x = np.full(200, 10.0)
    age = np.full(200, 10.0)
    fit = fit_bg_nbd(x, t_x, age)
    assert all(math.isfinite(v) and v > 0 for v in fit.parameters.values())
    assert fit.log_likelihood < 0


def test_gamma_gamma_falls_back_to_the_population_mean():
    params = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    population_mean = 6.25 * 15.44 / (3.74 - 1)
    value = expected_average_value(params, [0, 3], [float("nan"), 20.0])
    assert math.isclose(value[0], population_mean)
    # with repeat purchases, the estimate moves from the population mean towards m_x
    assert 20.0 < value[1] < population_mean


def _buyers_by_hand():
    """Twelve buyers written out one by one, and the same buyers as distinct summaries
    with their counts (x, t_x, T, m_x; m_x is nan without a repeat purchase)."""
    every_buyer = [
        (0, 0.0, 30.0, math.nan),
        (0, 0.0, 30.0, math.nan),
        (0, 0.0, 30.0, math.nan),
        (0, 0.0, 12.0, math.nan),
        (1, 4.0, 30.0, 25.0),
        (1, 4.0, 30.0, 25.0),
        (1, 4.0, 30.0, 60.0),
        (2, 20.0, 40.0, 35.0),
        (3, 25.0, 26.0, 12.5),
        (3, 25.0, 26.0, 12.5),
        (5, 50.0, 52.0, 40.0),
        (2, 3.0, 50.0, 0.0),  # repeat purchases refunded in full: no usable mean
    ]
    distinct = [
        (0, 0.0, 30.0, math.nan, 3),
        (0, 0.0, 12.0, math.nan, 1),
        (1, 4.0, 30.0, 25.0, 2),
        (1, 4.0, 30.0, 60.0, 1),
        (2, 20.0, 40.0, 35.0, 1),
        (3, 25.0, 26.0, 12.5, 2),
        (5, 50.0, 52.0, 40.0, 1),
        (2, 3.0, 50.0, 0.0, 1),
    ]
    return every_buyer, distinct


def test_a_fit_on_distinct_summaries_with_buyer_counts_equals_the_fit_on_every_buyer():
    """The CLV model has the engine count buyers with the same summary and fits on the
    distinct summaries: the estimates, log-likelihood and buyer counts must be those of
    the fit on the buyers written out one by one, in whatever order the engine returns
    the summaries."""
    every_buyer, distinct = _buyers_by_hand()
    x, t_x, age, m_x = (np.array(column, dtype=float) for column in zip(*every_buyer, strict=True))
    expected = [fit_bg_nbd(x, t_x, age), fit_gamma_gamma(x, m_x)]
    assert expected[0].customers == 12
    assert expected[1].customers == 7  # x > 0 and a positive mean: counted by hand
    for order in (distinct, distinct[::-1]):
        dx, dt, dage, dm, buyers = (
            np.array(column, dtype=float) for column in zip(*order, strict=True)
        )
        weighted = [
            fit_bg_nbd(dx, dt, dage, min_customers=10, weights=buyers),
            fit_gamma_gamma(dx, dm, min_customers=5, weights=buyers),
        ]
        assert weighted[0] == expected[0]
        assert weighted[1].parameters == fit_gamma_gamma(x, m_x, min_customers=5).parameters
        assert weighted[1].customers == 7


def test_the_minimum_number_of_buyers_counts_buyers_not_distinct_summaries():
    _, distinct = _buyers_by_hand()
    dx, dt, dage, _, buyers = (
        np.array(column, dtype=float) for column in zip(*distinct, strict=True)
    )
    # 8 distinct summaries stand for 12 buyers: enough for a minimum of 12, not of 13
    assert fit_bg_nbd(dx, dt, dage, min_customers=12, weights=buyers).parameters["r"]
    fit = fit_bg_nbd(dx, dt, dage, min_customers=13, weights=buyers)
    assert fit.parameters["r"] is None
    assert fit.message == "insufficient data: 12 buyers, 8 with repeat purchases"


def test_weights_must_be_whole_counts_one_per_row():
    for weights in ([1, 2], [1, -1, 1], [1, 0.5, 1]):
        with pytest.raises(ValueError, match="one whole, non-negative count"):
            fit_bg_nbd([1, 2, 3], [1.0, 2.0, 3.0], [4.0, 5.0, 6.0], weights=weights)
