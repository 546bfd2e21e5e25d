"""The Pareto/NBD model of repeat purchases (Pareto/NBD 模型): the original "buy till you die" model.

While alive a customer buys at rate λ ~ Gamma(r, α); their lifetime is exponential with rate
μ ~ Gamma(s, β), independent of λ (Schmittlein, Morrison & Colombo 1987).  Unlike the BG/NBD,
a customer can drop out at any time, not only just after a purchase.
:class:`ParetoNBDModel` estimates (r, α, s, β) by maximum likelihood from the per-customer
summary (frequency, recency, T).

The likelihood (Fader & Hardie 2005, "A note on deriving the Pareto/NBD model and related
expressions", eq. 22) contains A₀, a difference of two Gauss hypergeometric terms whose form
depends on whether α ≥ β or α < β.  Each term is evaluated in log space after Euler's
transformation 2F1(a, b; c; z) = (1 − z)^(c−a−b) 2F1(c − a, c − b; c; z): with c − a = 1 the
remaining series 2F1(1, ·; ·; z) has positive terms only, so neither the divergence at z → 1
nor the difference of two large numbers loses precision.

References: Schmittlein, Morrison & Colombo (1987), "Counting your customers: who are they
and what will they do next?", *Management Science* 33(1), 1–24; Fader & Hardie (2005), the
note above (CDNOW: r = 0.5533, α = 10.5776, s = 0.6061, β = 11.6650, LL = −9594.98), and
(2006) "Deriving an expression for P(X(t) = x) under the Pareto/NBD model".

Examples
--------
>>> import pandas as pd
>>> from csworkbench.clv import ParetoNBDModel
>>> m = ParetoNBDModel()
>>> m.params_ = pd.Series({"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562})
>>> round(float(m.probability_alive(26, 30.86, 31)[0]), 4)  # R BTYD walkthrough: 0.9979
0.9979
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special, stats

from ..errors import ParameterError
from ._base import CustomerBaseModel, aggregate_rows, as_array, history_data

__all__ = ["ParetoNBDModel"]


def _log_2f1_one(b: np.ndarray, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """log 2F1(1, b; c; z) for c > b > 0, 0 ≤ z < 1 (a series of positive terms)."""
    with np.errstate(all="ignore"):
        return np.log(special.hyp2f1(1.0, b, c, z))


def _log_a0_term(r, alpha, s, beta, x, u):
    """log of 2F1(r+s+x, ·; r+s+x+1; |α−β|/(max(α,β)+u)) / (max(α,β)+u)^(r+s+x), Euler-transformed.

    α ≥ β: 2F1(r+s+x, s+1; …) = ((β+u)/(α+u))^(−s) · 2F1(1, r+x; r+s+x+1; z);
    α < β: 2F1(r+s+x, r+x; …) = ((α+u)/(β+u))^(1−r−x) · 2F1(1, s+1; r+s+x+1; z).
    """
    c = r + s + x + 1
    if alpha >= beta:
        z = (alpha - beta) / (alpha + u)
        return -s * (np.log(beta + u) - np.log(alpha + u)) + _log_2f1_one(r + x, c, z) - (c - 1) * np.log(alpha + u)
    z = (beta - alpha) / (beta + u)
    return (1 - r - x) * (np.log(alpha + u) - np.log(beta + u)) + _log_2f1_one(s + 1, c, z) - (c - 1) * np.log(beta + u)


def _log_a0(r, alpha, s, beta, x, tx, T):
    """log A₀ of Fader & Hardie (2005) (−inf where recency = T, A₀ = 0)."""
    hi = _log_a0_term(r, alpha, s, beta, x, tx)
    lo = _log_a0_term(r, alpha, s, beta, x, T)
    with np.errstate(divide="ignore", invalid="ignore"):
        return hi + np.log(-np.expm1(np.minimum(lo - hi, 0.0)))


def _log_dead_ratio(r, alpha, s, beta, x, tx, T):
    """log of P(dead) / P(alive) given (x, tₓ, T)."""
    return (
        np.log(s)
        - np.log(r + s + x)
        + (r + x) * np.log(alpha + T)
        + s * np.log(beta + T)
        + _log_a0(r, alpha, s, beta, x, tx, T)
    )


def _one_minus_power_over(s: float, base: np.ndarray) -> np.ndarray:
    """(1 − base^(−(s−1))) / (s − 1) for base ≥ 1, with its limit log(base) at s = 1."""
    L = np.log(base)
    if abs(s - 1.0) < 1e-10:
        return L
    return -np.expm1(-(s - 1.0) * L) / (s - 1.0)


class ParetoNBDModel(CustomerBaseModel):
    """The Pareto/NBD model of repeat purchases (Pareto/NBD 模型; Schmittlein, Morrison & Colombo 1987).

    Purchase rate while alive λ ~ Gamma(r, α), dropout rate μ ~ Gamma(s, β), lifetimes
    exponential; the same interface as :class:`~csworkbench.clv.BetaGeoModel`.

    Parameters
    ----------
    initial_params : dict, optional
        Starting values ``{"r", "alpha", "s", "beta"}``. Default: two starts, all 1 and
        (0.5, mean T / 4, 0.5, mean T / 4); the better optimum is kept.
    tol : float
        Gradient tolerance of BFGS on the log-parameters (numerical gradient).
    max_iter : int

    Attributes
    ----------
    params_ : pandas.Series
        ``r, alpha, s, beta`` (time in the summary's unit).
    se_, cov_, log_likelihood_, n_customers_, n_repeat_buyers_, n_iter_
        As in :class:`~csworkbench.clv.BetaGeoModel`.

    Examples
    --------
    >>> import pandas as pd
    >>> m = ParetoNBDModel()
    >>> m.params_ = pd.Series({"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562})
    >>> m.expected_purchases_unconditional([0, 9]).round(2).tolist()  # R BTYD (its own estimate): 0, 0.389
    [0.0, 0.39]
    """

    PARAMS = ("r", "alpha", "s", "beta")

    @staticmethod
    def _loglik(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> float:
        r, alpha, s, beta = theta
        head = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
        died = np.log(s) - np.log(r + s + x) + _log_a0(r, alpha, s, beta, x, tx, T)
        return float(np.sum(w * (head + np.logaddexp(alive, died))))

    def fit(self, summary: Any = None, *, frequency: Any = None, recency: Any = None, T: Any = None) -> ParetoNBDModel:
        """Fit by maximum likelihood; returns ``self``.

        Parameters
        ----------
        summary : SummaryResult or DataFrame, optional
            The result of :func:`~csworkbench.clv.summary_from_transactions` (or a frame with
            ``frequency, recency, T``).
        frequency, recency, T : array-like, optional
            The same columns as arrays, instead of ``summary``.
        """
        x0 = self._validate_params()
        x, tx, T_ = history_data(summary, frequency, recency, T, "Pareto/NBD")
        (ux, utx, uT), w, _ = aggregate_rows(x, tx, T_)

        def negll(logt: np.ndarray) -> float:
            with np.errstate(all="ignore"):
                val = -self._loglik(np.exp(logt), ux, utx, uT, w)
            return val if np.isfinite(val) else 1e300

        scale = max(float(np.mean(T_)), 1.0) / 4
        starts = [x0] if self.initial_params else [x0, np.log([0.5, scale, 0.5, scale])]
        self._fit_and_store(negll, starts, model="Pareto/NBD", n_customers=len(x))
        self.n_repeat_buyers_ = int((x > 0).sum())
        return self

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(alive | x, tₓ, T) (客户存活概率) (Fader & Hardie 2005, eq. 18)."""
        r, alpha, s, beta = self._params()
        x, tx, T = np.broadcast_arrays(as_array(frequency), as_array(recency), as_array(T))
        with np.errstate(all="ignore"):
            return special.expit(-_log_dead_ratio(r, alpha, s, beta, x, tx, T))

    def expected_purchases_unconditional(self, t: Any) -> np.ndarray:
        """E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)]: expected repeat purchases of a new customer."""
        r, alpha, s, beta = self._params()
        t = np.clip(as_array(t), 0, None)
        return r * beta / alpha * _one_minus_power_over(s, (beta + t) / beta)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """E[Y(t) | x, tₓ, T]: expected repeat purchases in the next ``t`` time units (eq. 21).

        Examples
        --------
        >>> import pandas as pd
        >>> m = ParetoNBDModel()
        >>> m.params_ = pd.Series({"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562})
        >>> round(float(m.expected_purchases(52, 26, 30.86, 31)[0]), 2)  # R BTYD walkthrough: 25.46 (to ± 0.01)
        25.45
        """
        r, alpha, s, beta = self._params()
        t, x, tx, T = np.broadcast_arrays(
            np.clip(as_array(t), 0, None), as_array(frequency), as_array(recency), as_array(T)
        )
        alive = self.probability_alive(x, tx, T)
        rate = (r + x) * (beta + T) / (alpha + T)
        return alive * rate * _one_minus_power_over(s, (beta + T + t) / (beta + T))

    def probability_of_n_purchases(self, t: Any, n: Any) -> np.ndarray:
        """P(X(t) = n): probability that a new customer makes exactly ``n`` repeat purchases in (0, t].

        Fader & Hardie (2006), "Deriving an expression for P(X(t) = x) under the Pareto/NBD
        model", eq. (5): the NBD count of a customer alive at t, plus α^r β^s B(r+n, s+1)/B(r, s)
        · {B₁ − Σⱼ₌₀ⁿ Γ(r+s+j)/(Γ(r+s) j!) tʲ B₂ⱼ} for those who died before t (the 2F1 in log
        space; the two cases α ≥ β and α < β).  Vectorised over ``t`` and ``n``.

        Examples
        --------
        >>> import pandas as pd
        >>> m = ParetoNBDModel()
        >>> m.params_ = pd.Series({"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67})
        >>> p = m.probability_of_n_purchases(39, range(60))
        >>> round(float(p.sum()), 6)
        1.0
        """
        r, alpha, s, beta = self._params()
        t, n = np.broadcast_arrays(np.clip(as_array(t), 0, None), as_array(n))
        if np.any((n < 0) | (n % 1 != 0)):
            raise ParameterError(f"n must be a non-negative integer count of purchases; got {n}")
        out = np.empty(t.shape)
        for i, (ti, ni) in enumerate(zip(t.flat, n.flat)):
            out.flat[i] = _pnbd_pmf(r, alpha, s, beta, float(ti), int(ni))
        return out


def _pnbd_pmf(r: float, alpha: float, s: float, beta: float, t: float, x: int) -> float:
    """P(X(t) = x) under the Pareto/NBD (one t, one x)."""
    alive = stats.nbinom.pmf(x, r, alpha / (alpha + t)) * (beta / (beta + t)) ** s
    if t == 0:
        return float(alive)
    c = r + s + x + 1
    j = np.arange(x + 1)
    if alpha >= beta:
        b, rho, d = s + 1, alpha, alpha - beta
    else:
        b, rho, d = r + x, beta, beta - alpha
    with np.errstate(all="ignore"):
        log_b1 = np.log(special.hyp2f1(r + s, b, c, d / rho)) - (r + s) * np.log(rho)
        log_b2 = (
            special.gammaln(r + s + j)
            - special.gammaln(r + s)
            - special.gammaln(j + 1)
            + j * np.log(t)
            + np.log(special.hyp2f1(r + s + j, b, c, d / (rho + t)))
            - (r + s + j) * np.log(rho + t)
        )
    top = max(log_b1, float(np.max(log_b2)))
    bracket = np.exp(log_b1 - top) - np.sum(np.exp(log_b2 - top))
    log_front = r * np.log(alpha) + s * np.log(beta) + special.betaln(r + x, s + 1) - special.betaln(r, s) + top
    return float(alive + max(bracket, 0.0) * np.exp(log_front))
