"""cdp.clv on its own: the paper's worked example, degenerate and tiny inputs."""

from __future__ import annotations

import math

import numpy as np

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
