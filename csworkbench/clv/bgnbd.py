"""The BG/NBD model of repeat purchases (BG/NBD 模型): who is still alive and how much they will buy.

While alive a customer buys at rate λ ~ Gamma(r, α); after each repeat purchase they drop out
with probability p ~ Beta(a, b).  :class:`BetaGeoModel` estimates (r, α, a, b) by maximum
likelihood from the per-customer summary (frequency, recency, T) and gives the probability
that a customer is still alive (客户存活概率) and the expected purchases in a coming period.
Where SciPy's Gauss hypergeometric function fails (b ≈ 1000 over long horizons), 2F1 is taken
in log space through Euler's transformation and, failing that, Euler's integral.

Reference: Fader, Hardie & Lee (2005), "'Counting your customers' the easy way: an
alternative to the Pareto/NBD model", *Marketing Science* 24(2), 275–284 — on CDNOW
r = 0.2426, α = 4.414, a = 0.793, b = 2.426, LL = −9582.43, which tests/test_clv.py checks.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.clv import BetaGeoModel
>>> m = BetaGeoModel()
>>> m.params_ = pd.Series({"r": 0.2426, "alpha": 4.414, "a": 0.793, "b": 2.426})
>>> m.probability_alive([0, 2], [0, 30.43], [38.86, 38.86]).round(3).tolist()
[1.0, 0.727]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from scipy import special, stats

from ..errors import ParameterError
from ._base import (
    CustomerBaseModel,
    Memo,
    aggregate_rows,
    as_array,
    check_history,
    history_data,
    wdot,
    x_groups,
)

__all__ = ["BetaGeoModel"]


class BetaGeoModel(CustomerBaseModel):
    """The BG/NBD model of repeat purchases (BG/NBD 模型): who is still alive and how much they will buy.

    Purchase rate while alive λ ~ Gamma(r, α); after each repeat purchase the customer drops
    out with probability p ~ Beta(a, b) (Fader, Hardie & Lee 2005).

    Parameters
    ----------
    initial_params : dict, optional
        Starting values ``{"r", "alpha", "a", "b"}``. Default: three starts, moment estimates
        (r, α from the rates x/T; a = 1, b = 3), all 1 and (0.5, mean T / 4, 1, 3); the best
        optimum is kept.
    tol : float
        Gradient tolerance of BFGS on the log-parameters, for the mean log-likelihood per
        customer (so independent of the number of customers).
    max_iter : int

    Attributes
    ----------
    params_ : pandas.Series
        ``r, alpha, a, b``.
    se_ : pandas.Series
        Standard errors (inverse Hessian from differences of the analytic gradient, delta method).
    cov_ : DataFrame
    log_likelihood_ : float
        Total log-likelihood at the optimum.
    n_customers_, n_repeat_buyers_ : int
    n_iter_ : int

    Examples
    --------
    >>> from csworkbench.clv import summary_from_transactions
    >>> from csworkbench.datasets.transactions import make_transactions
    >>> s = summary_from_transactions(make_transactions(2000, random_state=2), "2024-09-30")
    >>> m = BetaGeoModel().fit(s)
    >>> list(m.params_.index)
    ['r', 'alpha', 'a', 'b']
    >>> bool(m.probability_alive(0, 0, 10)[0] == 1.0)
    True
    """

    PARAMS = ("r", "alpha", "a", "b")

    @staticmethod
    def _check_history(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> None:
        """DataError for missing values or a history no customer can have."""
        check_history(x, tx, T, "BG/NBD")

    @staticmethod
    def _loglik(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> float:
        r, alpha, a, b = theta
        A1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
        A2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
        A3 = -(r + x) * np.log(alpha + T)
        with np.errstate(divide="ignore", invalid="ignore"):
            # b + (x − 1), not b + x − 1: with x = 1 the latter rounds a b below 1e-16 away to
            # log(0) and the likelihood to +inf (found by tests/test_properties_clv.py)
            A4 = np.where(
                x > 0, np.log(a) - np.log(np.where(x > 0, b + (x - 1), 1.0)) - (r + x) * np.log(alpha + tx), -np.inf
            )
        return float(np.sum(w * (A1 + A2 + np.logaddexp(A3, A4))))

    @staticmethod
    def _value_and_gradient(
        theta: np.ndarray,
        x: np.ndarray,
        tx: np.ndarray,
        T: np.ndarray,
        w: np.ndarray,
        groups: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> tuple[float, np.ndarray]:
        """Log-likelihood and its analytic gradient in log θ, with the terms in x alone (the
        gamma and digamma functions) computed once per distinct frequency.

        With s = P(still alive | x, tₓ, T) = e^A3 / (e^A3 + e^A4) (1 for x = 0):
        ∂/∂r = ψ(r+x) − ψ(r) + log α − s log(α+T) − (1−s) log(α+tₓ);
        ∂/∂α = r/α − (r+x) (s/(α+T) + (1−s)/(α+tₓ));
        ∂/∂a = ψ(a+b) − ψ(a+b+x) + (1−s)/a;
        ∂/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x) − (1−s)/(b+x−1).
        """
        r, alpha, a, b = (float(v) for v in theta)
        ux, xi = groups if groups is not None else x_groups(x)
        gl, psi = special.gammaln, special.digamma
        # per distinct x: A1 + A2 without the r·log α and the time terms, and the digamma parts
        c_x = gl(r + ux) + gl(b + ux) - gl(a + b + ux)
        c_0 = -gl(r) + gl(a + b) - gl(b)
        dr_x, da_x, db_x = psi(r + ux), -psi(a + b + ux), psi(b + ux) - psi(a + b + ux)
        log_aT, log_atx = np.log(alpha + T), np.log(alpha + tx)
        rx = r + x
        A3 = -rx * log_aT
        with np.errstate(divide="ignore", invalid="ignore"):
            bx1 = np.where(x > 0, b + (x - 1), 1.0)
            A4 = np.where(x > 0, np.log(a) - np.log(bx1) - rx * log_atx, -np.inf)
        top = np.logaddexp(A3, A4)
        dead = np.exp(A4 - top)  # 1 − s
        alive = 1.0 - dead
        wsum = float(np.sum(w))
        value = float(wdot(w, c_x[xi] + top) + wsum * (c_0 + r * np.log(alpha)))
        d_r = wdot(w, dr_x[xi] - alive * log_aT - dead * log_atx) + wsum * (np.log(alpha) - psi(r))
        d_alpha = wsum * r / alpha - wdot(w, rx * (alive / (alpha + T) + dead / (alpha + tx)))
        d_a = wdot(w, da_x[xi] + dead / a) + wsum * psi(a + b)
        d_b = wdot(w, db_x[xi] - dead / bx1) + wsum * (psi(a + b) - psi(b))
        return value, np.array([d_r, d_alpha, d_a, d_b]) * np.array([r, alpha, a, b])

    @staticmethod
    def _gradient(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> np.ndarray:
        """∂ log-likelihood / ∂ log θ (analytic)."""
        return BetaGeoModel._value_and_gradient(theta, x, tx, T, w)[1]

    @staticmethod
    def _moment_start(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        """log (r, α, a, b) from moments: the purchase rate x/T as an NBD rate without dropout
        (mean r/α, variance r/α² + (r/α)·mean(1/T)); a = 1, b = 3 (mean dropout 1/4)."""
        with np.errstate(all="ignore"):
            T_pos = np.maximum(T, 1e-9)
            rate = x / T_pos
            m = float(np.mean(rate))
            extra = float(np.var(rate)) - m * float(np.mean(1.0 / T_pos))
            r = m * m / extra if extra > 0 and m > 0 else 0.5
            r = float(np.clip(r, 0.01, 100.0))
            alpha = float(np.clip(r / m, 1e-3, 1e6)) if m > 0 else max(float(np.mean(T)), 1.0)
        return np.log([r, alpha, 1.0, 3.0])

    def fit(self, summary: Any = None, *, frequency: Any = None, recency: Any = None, T: Any = None) -> BetaGeoModel:
        """Fit by maximum likelihood; returns ``self``.

        Customers with the same (frequency, recency, T) are counted once, with a weight; the
        optimiser climbs the mean log-likelihood per customer with its analytic gradient, from a
        moment start and the two default starts (the best optimum is kept).

        Parameters
        ----------
        summary : SummaryResult or DataFrame, optional
            The result of :func:`~csworkbench.clv.summary_from_transactions` (or a frame with
            ``frequency, recency, T``).
        frequency, recency, T : array-like, optional
            The same columns as arrays, instead of ``summary``.
        """
        x0 = self._validate_params()
        x, tx, T_ = history_data(summary, frequency, recency, T, "BG/NBD")
        (ux, utx, uT), w, _ = aggregate_rows(x, tx, T_)

        def value_and_gradient(logt: np.ndarray) -> tuple[float, np.ndarray]:
            with np.errstate(all="ignore"):
                val, g = self._value_and_gradient(np.exp(logt), ux, utx, uT, w, groups)
            if not np.isfinite(val):
                return 1e300, np.zeros_like(logt)
            return -val, np.where(np.isfinite(g), -g, 0.0)

        groups = x_groups(ux)
        memo = Memo(value_and_gradient)
        default = [x0, np.log([0.5, max(float(np.mean(T_)), 1.0) / 4, 1.0, 3.0])]
        starts = [x0] if self.initial_params else [self._moment_start(x, tx, T_), *default]
        self._fit_and_store(memo.value, starts, model="BG/NBD", n_customers=len(x), jac=memo.gradient, n_obs=len(x))
        self.n_repeat_buyers_ = int((x > 0).sum())
        return self

    def expected_purchases_unconditional(self, t: Any) -> np.ndarray:
        """E[X(t)]: expected repeat purchases in (0, t] of a new customer (time since first purchase)."""
        r, alpha, a, b = self._params()
        t = np.clip(as_array(t), 0, None)
        out = _at_a_one(_unconditional, r, alpha, a, b, t)
        return np.where(t > 0, out, 0.0)

    def probability_of_n_purchases(self, t: Any, n: Any) -> np.ndarray:
        """P(X(t) = n): probability that a new customer makes exactly ``n`` repeat purchases in (0, t].

        Fader, Hardie & Lee (2005), eq. (8): the NBD count of a customer still alive at t, plus
        the customers who dropped out after their n-th purchase; vectorised over ``t`` and ``n``.

        Examples
        --------
        >>> import pandas as pd
        >>> m = BetaGeoModel()
        >>> m.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> round(float(m.probability_of_n_purchases(39, 0)[0]), 4)  # R BTYD: 0.5737864
        0.5738
        """
        r, alpha, a, b = self._params()
        t, n = np.broadcast_arrays(np.clip(as_array(t), 0, None), as_array(n))
        if np.any((n < 0) | (n % 1 != 0)):
            raise ParameterError(f"n must be a non-negative integer count of purchases; got {n}")
        p = alpha / (alpha + t)
        with np.errstate(divide="ignore", invalid="ignore"):
            alive = np.exp(special.betaln(a, b + n) - special.betaln(a, b)) * stats.nbinom.pmf(n, r, p)
            dead = np.where(
                n > 0,
                np.exp(special.betaln(a + 1, b + np.maximum(n, 1) - 1) - special.betaln(a, b))
                * stats.nbinom.sf(n - 1, r, p),
                0.0,
            )
        return alive + dead

    def _log_alive_ratio(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        r, alpha, a, b = self._params()
        return _log_alive_ratio(r, alpha, a, b, x, tx, T)

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(alive | x, tₓ, T) (客户存活概率); 1 for customers without repeat purchases."""
        x, tx, T = np.broadcast_arrays(as_array(frequency), as_array(recency), as_array(T))
        return special.expit(-self._log_alive_ratio(x, tx, T))

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """E[Y(t) | x, tₓ, T]: expected repeat purchases in the next ``t`` time units (vectorised).

        Examples
        --------
        >>> import pandas as pd
        >>> m = BetaGeoModel()
        >>> m.params_ = pd.Series({"r": 0.2426, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> m.expected_purchases(39, [0, 2], [0, 30.43], [38.86, 38.86]).round(3).tolist()
        [0.195, 1.226]
        """
        r, alpha, a, b = self._params()
        t, x, tx, T = np.broadcast_arrays(as_array(t), as_array(frequency), as_array(recency), as_array(T))
        out = _at_a_one(_conditional, r, alpha, a, b, t, x, tx, T)
        return np.where(t > 0, out, 0.0)


def _log_alive_ratio(r, alpha, a, b, x, tx, T):
    """log of P(dead) / P(alive) given (x, tₓ, T); −inf without repeat purchases."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lr = np.log(a) - np.log(np.where(x > 0, b + (x - 1), 1.0)) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))
    return np.where(x > 0, lr, -np.inf)


def _log_hyp2f1_integral(A: float, B: float, C: float, z: float) -> float:
    """log 2F1(A, B; C; z), 0 ≤ z < 1, from Euler's integral (NaN where it does not apply).

    2F1(A, B; C; z) = E[(1 − zU)^(−A)] with U ~ Beta(B, C − B) when C > B > 0 (and the same
    with A and B swapped).  Integrated with ``quad`` after dividing by the integrand's maximum,
    so that neither a huge 2F1 nor a sharply peaked Beta density overflows.
    """
    from scipy import integrate

    if C > B > 0:
        p, q, e = B, C - B, A
    elif C > A > 0:
        p, q, e = A, C - A, B
    else:
        return np.nan

    def log_f(u):
        return stats.beta.logpdf(u, p, q) - e * np.log1p(-z * u)

    grid = np.linspace(0.0, 1.0, 2001)[1:-1]
    values = log_f(grid)
    peak = float(grid[np.nanargmax(values)])
    top = float(np.nanmax(values))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        area = integrate.quad(lambda u: np.exp(log_f(u) - top), 0.0, 1.0, points=[peak], limit=200)[0]
    return top + np.log(area) if area > 0 else np.nan


def _log_hyp2f1(A, B, C, z) -> np.ndarray:
    """log 2F1(A, B; C; z) for 0 ≤ z < 1 (2F1 > 0 there for the BG/NBD's arguments).

    scipy's ``hyp2f1`` first; where it fails (inf/NaN — e.g. b = 1000 with a long horizon,
    found by tests/test_properties_clv.py), Euler's transformation
    2F1(A,B;C;z) = (1−z)^(C−A−B) 2F1(C−A, C−B; C; z), then Euler's integral.
    """
    A, B, C, z = (np.asarray(v, dtype=float) for v in np.broadcast_arrays(A, B, C, z))
    with np.errstate(all="ignore"):
        out = np.array(np.log(special.hyp2f1(A, B, C, z)), dtype=float)
        bad = ~np.isfinite(out)
        if bad.any():  # only there: hyp2f1 is most of a CLV's time (0.54 s of 1.1 s on CDNOW)
            a_, b_, c_, z_ = A[bad], B[bad], C[bad], z[bad]
            out[bad] = np.log(special.hyp2f1(c_ - a_, c_ - b_, c_, z_)) + (c_ - a_ - b_) * np.log1p(-z_)
    for i in np.flatnonzero(~np.isfinite(out)):
        out.flat[i] = _log_hyp2f1_integral(A.flat[i], B.flat[i], C.flat[i], z.flat[i])
    return out


def _unconditional(r, alpha, a, b, t):
    with np.errstate(all="ignore"):
        z = t / (alpha + t)
        # directly where scipy copes (2F1 may be negative when a + b < 1), else in log space
        out = (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * special.hyp2f1(r, b, a + b - 1, z))
        bad = ~np.isfinite(out)  # t is a 1-d array (as_array)
        if bad.any():
            log_a = r * (np.log(alpha) - np.log(alpha + t[bad]))
            out[bad] = (a + b - 1) / (a - 1) * (1 - np.exp(log_a + _log_hyp2f1(r, b, a + b - 1, z[bad])))
        return out


def _conditional(r, alpha, a, b, t, x, tx, T):
    with np.errstate(all="ignore"):
        z = t / (alpha + T + t)
        log_part = (r + x) * (np.log(alpha + T) - np.log(alpha + T + t))
        log_hyp = _log_hyp2f1(r + x, b + x, a + b + x - 1, z)
        num = (a + b + x - 1) / (a - 1) * (1 - np.exp(log_part + log_hyp))
    return num * special.expit(-_log_alive_ratio(r, alpha, a, b, x, tx, T))


def _at_a_one(fn, r, alpha, a, b, *args):
    """``fn`` at the parameters, across its removable singularity at a = 1.

    The expectations carry (a + b + x − 1)/(a − 1) · (1 − …), which is 0/0 at a = 1 (inf or
    NaN before; found by tests/test_properties_clv.py).  Within 1e-6 of 1 the value is the
    mean at a = 1 ± 1e-4: the function is smooth in a, so the error is O(1e-8), far below the
    rounding error of the formula itself so close to the singularity.
    """
    if abs(a - 1.0) < 1e-6:
        return 0.5 * (fn(r, alpha, 1.0 - 1e-4, b, *args) + fn(r, alpha, 1.0 + 1e-4, b, *args))
    return fn(r, alpha, a, b, *args)
