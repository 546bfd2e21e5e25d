"""Property-based tests (hypothesis) of the BG/NBD and Gamma-Gamma likelihoods (csworkbench.clv).

Issue #10, part 2: for any valid customer summary (integer frequency x ≥ 0, 0 ≤ recency ≤ T,
recency 0 when x = 0, T > 0) and any positive parameters — tiny and huge ones included — the
log-likelihood the optimiser climbs must be a finite number; a non-finite value is silently
turned into a penalty by the fit and hides the optimum.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from csworkbench.clv import BetaGeoModel, GammaGammaModel
from csworkbench.clv._base import aggregate_rows


def log_uniform(lo: float, hi: float):
    """Positive numbers spread evenly over the decades 10**lo … 10**hi, plus the round extremes."""
    return st.one_of(st.floats(lo, hi).map(lambda e: 10.0**e), st.sampled_from([10.0**lo, 1.0, 10.0**hi]))


parameter = log_uniform(-100, 100)


@st.composite
def summaries(draw):
    n = draw(st.integers(1, 8))
    x = draw(st.lists(st.one_of(st.just(0), st.integers(1, 20), st.integers(0, 10**6)), min_size=n, max_size=n))
    T = draw(st.lists(log_uniform(-6, 6), min_size=n, max_size=n))
    # recency: a share of T in (0, 1], with the edges (just after the first purchase, at T) common
    f = draw(st.lists(st.one_of(st.sampled_from([1.0, 1e-12]), st.floats(1e-12, 1)), min_size=n, max_size=n))
    x = np.asarray(x, dtype=float)
    T = np.asarray(T)
    tx = np.where(x > 0, np.asarray(f) * T, 0.0)
    return x, tx, T


@settings(max_examples=150)
@given(s=summaries(), theta=st.lists(parameter, min_size=4, max_size=4), w=st.integers(1, 10**6))
# regression (hypothesis): r = alpha = a = 1, b = 1e-16 with a one-time repeat buyer (x = 1):
# b + x − 1 rounded to 0, log(0) made the log-likelihood +inf
@example(s=(np.array([0.0, 1.0]), np.array([0.0, 1.0]), np.array([1.0, 1.0])), theta=[1.0, 1.0, 1.0, 1e-16], w=1)
def test_bgnbd_log_likelihood_is_finite(s, theta, w):
    x, tx, T = s
    BetaGeoModel._check_history(x, tx, T)  # the summary is valid for the model's own checks
    ll = BetaGeoModel._loglik(np.asarray(theta), x, tx, T, np.full(len(x), float(w)))
    assert np.isfinite(ll), ll


@settings(max_examples=150)
@given(
    x=st.lists(st.one_of(st.integers(1, 20), st.integers(1, 10**6)), min_size=1, max_size=8),
    m=st.lists(log_uniform(-6, 9), min_size=8, max_size=8),
    theta=st.lists(parameter, min_size=3, max_size=3),
)
def test_gamma_gamma_log_likelihood_is_finite(x, m, theta):
    x = np.asarray(x, dtype=float)
    ll = GammaGammaModel._loglik(np.asarray(theta), x, np.asarray(m[: len(x)]))
    assert np.isfinite(ll), ll


@settings(max_examples=100)
@given(s=summaries(), theta=st.lists(log_uniform(-20, 20), min_size=4, max_size=4))
def test_probability_alive_is_a_probability(s, theta):
    x, tx, T = s
    model = BetaGeoModel()
    model.params_ = pd.Series(dict(zip(BetaGeoModel.PARAMS, theta)))
    p = model.probability_alive(x, tx, T)
    assert np.isfinite(p).all() and ((p >= 0) & (p <= 1)).all()
    assert (p[x == 0] == 1).all()  # no repeat purchase: no chance to drop out yet


def test_likelihood_regression_b_tiny():
    ll = BetaGeoModel._loglik(
        np.array([1.0, 1.0, 1.0, 1e-16]), np.array([1.0]), np.array([1.0]), np.array([1.0]), np.array([1.0])
    )
    # log a − log b − (r + 1)·log(α + tₓ) + gammaln terms: dominated by −log b = +36.8, finite
    assert np.isfinite(ll) and ll < 40


@settings(max_examples=100)
@given(
    x=st.integers(0, 50),
    T=log_uniform(-1, 2),
    f=st.floats(0.01, 1),
    t=log_uniform(-1, 2),
    r=log_uniform(-1, 1),
    alpha=log_uniform(-1, 1),
    b=log_uniform(-0.3, 1),
    da=st.sampled_from([0.0, 1e-12, -1e-9, 1e-7, -1e-3, 1e-3]),
)
@example(x=0, T=1.0, f=1.0, t=1.0, r=1.0, alpha=1.0, b=1.0, da=0.0)
def test_expected_purchases_finite_and_continuous_around_a_equal_1(x, T, f, t, r, alpha, b, da):
    """(a + b + x − 1)/(a − 1)·(1 − …) is 0/0 at a = 1; the expectation has a finite limit there.

    Regression (hypothesis): r = alpha = a = b = 1 gave E[Y(t)] = inf. Large b and long
    horizons are covered by test_expected_purchases_finite_and_increasing_in_the_horizon.
    """
    tx = f * T if x > 0 else 0.0
    values = []
    for a in (1.0 + da, 1.0 + da + 2e-3):
        model = BetaGeoModel()
        model.params_ = pd.Series({"r": r, "alpha": alpha, "a": a, "b": b})
        e = model.expected_purchases(t, x, tx, T)[0]
        u = model.expected_purchases_unconditional(t)[0]
        assert np.isfinite(e) and e >= 0 and np.isfinite(u) and u >= 0, (a, e, u)
        values.append(e)
    assert abs(values[1] - values[0]) <= 2e-2 * max(1.0, values[0])  # no jump near a = 1


def test_expected_purchases_at_a_equal_1_regression():
    model = BetaGeoModel()
    model.params_ = pd.Series({"r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0})
    near = BetaGeoModel()
    near.params_ = pd.Series({"r": 1.0, "alpha": 1.0, "a": 1.0 + 1e-5, "b": 1.0})
    np.testing.assert_allclose(
        model.expected_purchases(1.0, [0, 3], [0, 0.5], [1, 1]),
        near.expected_purchases(1.0, [0, 3], [0, 0.5], [1, 1]),
        rtol=1e-4,
    )
    np.testing.assert_allclose(
        model.expected_purchases_unconditional([1.0, 10.0]),
        near.expected_purchases_unconditional([1.0, 10.0]),
        rtol=1e-4,
    )


@settings(max_examples=150)
@given(
    x=st.integers(0, 200),
    T=log_uniform(-1, 3),
    f=st.floats(0.0, 1),
    t=log_uniform(-1, 3),
    r=log_uniform(-1, 1),
    alpha=log_uniform(-1, 2),
    a=log_uniform(-1, 1.5),
    b=log_uniform(-1, 3.5),
)
@example(x=5, T=30.0, f=2 / 3, t=1000.0, r=1.0, alpha=1.0, a=2.0, b=1000.0)  # NaN before (scipy's 2F1)
@example(x=0, T=30.0, f=0.0, t=10.0, r=1.0, alpha=1.0, a=2.0, b=1000.0)
def test_expected_purchases_finite_and_increasing_in_the_horizon(x, T, f, t, r, alpha, a, b):
    """E[X(t)] and E[Y(t) | x, tₓ, T] are finite, non-negative and grow with t, for b up to
    ~3000 and horizons up to 1000 periods (scipy's 2F1 fails there; Euler's integral takes over).
    a + b ≤ 1 is left out: there 2F1's third argument is ≤ 0 and no transformation applies."""
    if abs(a - 1) < 1e-3 or a + b <= 1.05:
        return
    model = BetaGeoModel()
    model.params_ = pd.Series({"r": r, "alpha": alpha, "a": a, "b": b})
    tx = f * T if x > 0 else 0.0
    horizons = np.array([t, 2 * t])
    e = model.expected_purchases(horizons, [x] * 2, [tx] * 2, [T] * 2)
    u = model.expected_purchases_unconditional(horizons)
    assert np.isfinite(e).all() and np.isfinite(u).all(), (e, u)
    assert (e >= 0).all() and (u >= 0).all()
    assert e[1] >= e[0] * (1 - 1e-9) and u[1] >= u[0] * (1 - 1e-9), (e, u)


# ----------------------------------------------------------------------------- fast = straightforward
# The fits climb a fast log-likelihood (rows aggregated with weights, terms of x alone taken once
# per distinct x, an analytic gradient).  It must equal the straightforward one — a plain loop
# over the customers of the textbook formula — and its gradient a finite difference of that.

moderate = log_uniform(-1.5, 1.5)


@st.composite
def customers(draw, max_n: int = 12):
    """Histories with repeats (the aggregation has something to merge)."""
    n = draw(st.integers(1, max_n))
    x = np.asarray(draw(st.lists(st.integers(0, 40), min_size=n, max_size=n)), dtype=float)
    T = np.asarray(draw(st.lists(st.sampled_from([1.0, 7.5, 30.0, 52.0, 78.0]), min_size=n, max_size=n)))
    f = np.asarray(draw(st.lists(st.sampled_from([1.0, 0.5, 0.1, 1 / 3]), min_size=n, max_size=n)))
    tx = np.where(x > 0, f * T, 0.0)
    times = np.asarray(draw(st.lists(st.integers(1, 4), min_size=n, max_size=n)))
    return np.repeat(x, times), np.repeat(tx, times), np.repeat(T, times)


def _finite_difference(fun, theta: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central difference of ``fun`` in log θ (the scale the fits and gradients use)."""
    z = np.log(theta)
    out = np.empty(len(z))
    for i in range(len(z)):
        e = np.zeros(len(z))
        e[i] = h
        out[i] = (fun(np.exp(z + e)) - fun(np.exp(z - e))) / (2 * h)
    return out


@settings(max_examples=150, deadline=None)
@given(s=customers(), theta=st.lists(moderate, min_size=4, max_size=4))
def test_bgnbd_fast_likelihood_and_gradient_equal_the_straightforward_ones(s, theta):
    x, tx, T = s
    theta = np.asarray(theta)
    one = np.ones(1)

    def straightforward(th):  # one customer at a time, no aggregation
        return sum(BetaGeoModel._loglik(th, x[i : i + 1], tx[i : i + 1], T[i : i + 1], one) for i in range(len(x)))

    (ux, utx, uT), w, inverse = aggregate_rows(x, tx, T)
    np.testing.assert_array_equal(ux[inverse], x)
    assert w.sum() == len(x)
    value, grad = BetaGeoModel._value_and_gradient(theta, ux, utx, uT, w)
    expected = straightforward(theta)
    scale = max(1.0, abs(expected))
    assert value == pytest.approx(expected, rel=1e-10, abs=1e-10 * scale)
    np.testing.assert_allclose(grad, _finite_difference(straightforward, theta), rtol=1e-5, atol=1e-6 * scale)


@settings(max_examples=150, deadline=None)
@given(
    x=st.lists(st.integers(1, 40), min_size=1, max_size=12),
    m=st.lists(st.one_of(st.sampled_from([5.0, 12.5, 40.0]), log_uniform(-1, 3)), min_size=12, max_size=12),
    theta=st.lists(moderate, min_size=3, max_size=3),
)
def test_gamma_gamma_fast_likelihood_and_gradient_equal_the_straightforward_ones(x, m, theta):
    x = np.asarray(x, dtype=float)
    m = np.asarray(m[: len(x)])
    theta = np.asarray(theta)

    def straightforward(th):
        return sum(GammaGammaModel._loglik(th, x[i : i + 1], m[i : i + 1]) for i in range(len(x)))

    (ax, am), w, _ = aggregate_rows(x, m)
    value, grad = GammaGammaModel._value_and_gradient(theta, ax, am, w)
    expected = straightforward(theta)
    # the textbook formula adds logarithms of size p·x·log(x·m̄); its rounding sets the tolerance
    p, q, g = theta
    scale = max(1.0, float(np.sum((p * x + q) * np.abs(np.log(x * m + g)) + p * x * np.abs(np.log(x * m)))))
    assert value == pytest.approx(expected, rel=1e-10, abs=1e-12 * scale)
    np.testing.assert_allclose(grad, _finite_difference(straightforward, theta), rtol=1e-5, atol=1e-7 * scale)


@settings(max_examples=100, deadline=None)
@given(
    cols=st.integers(1, 3).flatmap(
        lambda k: st.lists(
            st.tuples(*[st.sampled_from([0.0, -0.0, 1.0, 2.5, 1e-300, 1e300, float("nan")])] * k),
            min_size=1,
            max_size=30,
        )
    )
)
def test_aggregate_rows_counts_every_row_once(cols):
    data = np.asarray(cols, dtype=float)
    distinct, counts, inverse = aggregate_rows(*data.T)
    back = np.column_stack([d[inverse] for d in distinct])
    np.testing.assert_array_equal(back, data)  # NaN == NaN for assert_array_equal
    assert counts.sum() == len(data) and (counts >= 1).all()
    assert len({tuple(np.nan_to_num(r, nan=7.7)) for r in np.column_stack(distinct)}) == len(counts)
