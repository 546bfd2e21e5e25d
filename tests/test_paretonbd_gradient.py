"""The Pareto/NBD's analytic gradient (csworkbench.clv.paretonbd) against central differences of
its closed-form log-likelihood, and its fit against the straightforward fit and the published
CDNOW estimate (Fader & Hardie 2005)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from csworkbench.clv import ParetoNBDModel, paretonbd, summary_from_transactions
from csworkbench.clv._base import aggregate_rows, fit_log_mle, history_data
from csworkbench.datasets import load_cdnow

CAL, OBS = "1997-09-30", "1998-06-30"  # the calibration of tests/test_clv_models.py


def _central(theta: np.ndarray, x, tx, T, w, h: float = 1e-5) -> np.ndarray:
    """∂ ``_loglik`` / ∂ log θ by central differences of the unchanged closed form (the module's
    own fallback for rows whose series does not converge)."""
    return paretonbd._central_gradient(theta, x, tx, T, w, step=h)


log_param = st.floats(np.log(0.05), np.log(50.0)).map(np.exp)
# a history: x, tₓ as a fraction of T (exactly T for some; 0 when x = 0), T, a weight
history = st.tuples(
    st.integers(0, 40),
    st.one_of(st.just(1.0), st.floats(0.0, 0.999)),
    st.floats(0.5, 80.0),
    st.integers(1, 50),
)


def _arrays(rows):
    x = np.array([r[0] for r in rows], dtype=float)
    T = np.array([r[2] for r in rows])
    tx = np.where(x > 0, np.array([r[1] for r in rows]) * T, 0.0)
    w = np.array([r[3] for r in rows], dtype=float)
    return x, tx, T, w


def _assert_matches(theta, x, tx, T, w):
    value, grad = ParetoNBDModel._value_and_gradient(theta, x, tx, T, w)
    closed = ParetoNBDModel._loglik(theta, x, tx, T, w)
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert value == pytest.approx(closed, rel=1e-10)
    cd = _central(theta, x, tx, T, w)
    # Tolerance: central differences with step h = 1e-5 in log θ err by h²/6·|ℓ'''| (~1e-10 of
    # the gradient) plus rounding, ε/h ≈ 2e-11 times the size of the terms the closed form adds
    # and subtracts (they cancel: a customer without repeat purchases can have ℓ = −6e-4 from
    # terms of size 10), more where tₓ is near T (A₀ is a difference of two close terms; SciPy's
    # hyp2f1 is itself accurate to ~1e-14).  Measured over 300 random draws: ≤ 3e-8 of the
    # gradient's size.  Allowed: 1e-6 of the largest component plus 50× the rounding estimate;
    # a wrong derivative term is off by orders of magnitude more.
    r, alpha, s, beta = theta
    terms = (
        np.abs(special.gammaln(r + x))
        + abs(special.gammaln(r))
        + abs(r * np.log(alpha))
        + abs(s * np.log(beta))
        + np.abs((r + x) * np.log(alpha + T))
        + np.abs(s * np.log(beta + T))
    )
    rounding = 2.2e-16 / 1e-5 * float(np.sum(w * terms))
    # Where z = |α−β|/(max(α,β)+u) nears 1 SciPy's hyp2f1 is accurate to ~1e-11 only, and the
    # differences of the closed form carry that noise divided by h (found by hypothesis: r = s = 1,
    # α = 0.05, β = 22.8, x = 0, T = 9, z = 0.998: the analytic ∂ℓ/∂log r = −3.17930721 equals a
    # 40-digit mpmath quadrature of the integral form to all its digits, the central difference
    # −3.17930396 does not).  The reference's own noise is measured as the change of the central
    # difference between steps h and 2h; smooth regions give ~1e-10 there, so the bound stays tight.
    noise = float(np.max(np.abs(cd - _central(theta, x, tx, T, w, h=2e-5))))
    assert np.max(np.abs(grad - cd)) <= 1e-6 * np.max(np.abs(cd)) + 50 * rounding + 10 * noise


@settings(max_examples=150)
@given(
    theta=st.lists(log_param, min_size=4, max_size=4),
    alpha_below_beta=st.booleans(),
    rows=st.lists(history, min_size=1, max_size=25),
)
def test_analytic_gradient_equals_central_differences(theta, alpha_below_beta, rows):
    r, a, s, b = theta
    a, b = (min(a, b), max(a, b)) if alpha_below_beta else (max(a, b), min(a, b))  # both cases of A₀
    x, tx, T, w = _arrays(rows)
    _assert_matches(np.array([r, a, s, b]), x, tx, T, w)


def test_gradient_at_alpha_equal_beta_and_edge_histories():
    """z = 0 (α = β), x = 0, tₓ = T: no NaN, and the gradient still matches."""
    x = np.array([0.0, 3, 5, 1, 12])
    T = np.array([30.0, 30, 20, 39, 39])
    tx = np.array([0.0, 30, 4.5, 0.2, 38.9])
    w = np.array([10.0, 2, 3, 1, 1])
    for theta in ([0.55, 10.0, 0.6, 10.0], [0.55, 10.58, 0.61, 11.67], [2.0, 0.1, 40.0, 0.06]):
        _assert_matches(np.array(theta), x, tx, T, w)


def test_rows_whose_series_does_not_converge_fall_back_to_the_closed_form(monkeypatch):
    """With the term cap at 2 no row converges (z > 0): value and gradient then come from the
    closed form, and still match — never a silently truncated series."""
    theta = np.array([0.8, 30.0, 0.7, 2.0])  # z = (α − β)/(α + u) ≈ 0.9: a slow series
    x, tx, T, w = np.array([2.0, 7, 0]), np.array([5.0, 20, 0]), np.array([39.0, 39, 39]), np.ones(3)
    assert not paretonbd._series_2f1_one(x[:2] + 0.8, x[:2] + 2.5, np.array([0.9, 0.9]), np.array([0.1, 0.1]), 2)[
        -1
    ].any()
    monkeypatch.setattr(paretonbd, "_SERIES_MAX_TERMS", 2)
    _assert_matches(theta, x, tx, T, w)


def test_series_equals_scipy_hyp2f1():
    b, c = np.array([0.3, 5.0, 40.0, 1.2]), np.array([1.9, 7.5, 41.0, 60.0])
    z = np.array([0.0, 0.5, 0.95, 0.99])
    log_s, *_, ok = paretonbd._series_2f1_one(b, c, z, 1 - z)
    assert ok.all()
    np.testing.assert_allclose(log_s, np.log(special.hyp2f1(1.0, b, c, z)), rtol=1e-13, atol=1e-14)


@pytest.fixture(scope="module")
def cdnow():
    return summary_from_transactions(load_cdnow(sample=True), CAL, OBS).table


def test_fit_matches_published_and_straightforward_fit(cdnow):
    """Fader & Hardie (2005): r = 0.5533, α = 10.5776, s = 0.6061, β = 11.6650, LL = −9594.98; and
    the straightforward fit (closed form, numerical gradient, the code before the analytic
    gradient; at git 31f20e3 it gave r = 0.55327698, α = 10.5776825, s = 0.60624015,
    β = 11.6687415) to 1e-6 in each parameter.  The two differ by ≤ 5.3e-7 (β): the
    numerical-gradient fit stops where its own gradient noise allows."""
    m = ParetoNBDModel().fit(cdnow)
    published = {"r": 0.5533, "alpha": 10.5776, "s": 0.6061, "beta": 11.6650}
    for name, value in published.items():
        assert m.params_[name] == pytest.approx(value, rel=5e-4), name
    assert round(m.log_likelihood_, 2) == -9594.98

    x, tx, T = history_data(cdnow, None, None, None, "Pareto/NBD")
    (ux, utx, uT), w, _ = aggregate_rows(x, tx, T)

    def negll(logt):
        with np.errstate(all="ignore"):
            val = -ParetoNBDModel._loglik(np.exp(logt), ux, utx, uT, w)
        return val if np.isfinite(val) else 1e300

    scale = max(float(np.mean(T)), 1.0) / 4
    old = fit_log_mle(
        negll,
        ParetoNBDModel.PARAMS,
        [np.zeros(4), np.log([0.5, scale, 0.5, scale])],
        tol=1e-7,
        max_iter=2000,
        model="P",
    )
    np.testing.assert_allclose(m.params_.to_numpy(), old["params"].to_numpy(), rtol=1e-6)
    # of the two, the new estimate is the maximum: the log-likelihood's gradient there is ~1e-12
    # (measured 1.1e-12), at the numerical-gradient fit's estimate ~1e-5 (measured 7.8e-6)
    grad_new = ParetoNBDModel._value_and_gradient(m.params_.to_numpy(), ux, utx, uT, w)[1]
    grad_old = ParetoNBDModel._value_and_gradient(old["params"].to_numpy(), ux, utx, uT, w)[1]
    assert np.abs(grad_new).max() < 1e-9 < np.abs(grad_old).max()
    assert m.log_likelihood_ == pytest.approx(old["ll"], abs=1e-8)
    np.testing.assert_allclose(m.se_.to_numpy(), old["se"].to_numpy(), rtol=1e-3)
