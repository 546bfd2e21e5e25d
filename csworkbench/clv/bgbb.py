"""The BG/BB model (BG/BB 模型): repeat transactions at discrete opportunities.

For settings where a transaction can only happen at fixed occasions — a yearly donation, an
annual event, a weekly market: at each of ``n_periods`` opportunities an alive customer
transacts with probability p ~ Beta(α, β), and before each opportunity they drop out with
probability θ ~ Beta(γ, δ) (Fader, Hardie & Shang 2010).  A customer's history is their
number of repeat transactions ``frequency`` (x), the opportunity of the last one ``recency``
(tₓ, 0 without any) and the number of opportunities ``n_periods`` (n).
:class:`BetaGeoBetaBinomModel` estimates (α, β, γ, δ) by maximum likelihood with an analytic
gradient; identical histories are collapsed into weighted rows (``weights``), as in the
published data.

Reference: Fader, Hardie & Shang (2010), "Customer-base analysis in a discrete-time
noncontractual setting", *Marketing Science* 29(6), 1086–1108 — on the donations data
(:func:`csworkbench.datasets.load_donations`) α = 1.204, β = 0.750, γ = 0.657, δ = 2.783,
LL = −33,225.6, which tests/test_clv_models.py checks.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.clv import BetaGeoBetaBinomModel
>>> m = BetaGeoBetaBinomModel()
>>> m.params_ = pd.Series({"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783})
>>> m.probability_alive([0, 2, 6], [0, 4, 6], 6).round(2).tolist()  # the paper's table 6
[0.11, 0.59, 0.93]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from ..errors import DataError, ParameterError
from ._base import CustomerBaseModel, as_array, model_data

__all__ = ["BetaGeoBetaBinomModel"]

_psi = special.digamma
_betaln = special.betaln


def _check_history(x: np.ndarray, tx: np.ndarray, n: np.ndarray, w: np.ndarray) -> None:
    for name, v in (("frequency", x), ("recency", tx), ("n_periods", n), ("weights", w)):
        if np.isnan(v).any():
            raise DataError(
                f"missing values; the BG/BB needs every row's {name}",
                column=name,
                row=int(np.flatnonzero(np.isnan(v))[0]) + 1,
            )
    bad = (
        (x < 0)
        | (x % 1 != 0)
        | (tx % 1 != 0)
        | (n % 1 != 0)
        | (n < 1)
        | (tx > n)
        | ((x == 0) & (tx != 0))
        | ((x > 0) & (tx < x))
        | (w < 0)
    )
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            "inconsistent history: need integers 0 <= frequency <= recency <= n_periods, recency 0 iff "
            f"frequency 0, weights >= 0; got frequency={x[i]:g}, recency={tx[i]:g}, n_periods={n[i]:g}, "
            f"weights={w[i]:g}",
            row=i + 1,
        )


def _term_grid(x, tx, n):
    """The likelihood's terms as a grid: column 0 alive through n, column i+1 died after tₓ+i.

    Returns the offsets (β offset m, δ offset k, γ offset g) and the mask of valid cells.
    L = Σ_cells B(α+x, β+m)/B(α,β) · B(γ+g, δ+k)/B(γ,δ).
    """
    K = int(np.max(n - tx)) + 1
    i = np.arange(K - 1)[None, :]
    m = np.column_stack([n - x, tx[:, None] - x[:, None] + i])
    k = np.column_stack([n, tx[:, None] + i])
    g = np.column_stack([np.zeros(len(x)), np.ones((len(x), K - 1))])
    valid = np.column_stack([np.ones(len(x), dtype=bool), i < (n - tx)[:, None]])
    return m, k, g, valid


def _log_terms(theta, x, m, k, g, valid):
    alpha, beta, gamma, delta = theta
    X = x[:, None]
    with np.errstate(all="ignore"):
        lt = _betaln(alpha + X, beta + m) - _betaln(alpha, beta) + _betaln(gamma + g, delta + k) - _betaln(gamma, delta)
    return np.where(valid, lt, -np.inf)


class BetaGeoBetaBinomModel(CustomerBaseModel):
    """The BG/BB model of discrete-time repeat transactions (BG/BB 模型; Fader, Hardie & Shang 2010).

    Transaction probability per opportunity p ~ Beta(α, β), dropout probability per
    opportunity θ ~ Beta(γ, δ).  Time is counted in opportunities: where the continuous models
    take ``T``, this one takes ``n_periods`` (and ``t`` is a number of future opportunities).

    Parameters
    ----------
    initial_params : dict, optional
        Starting values ``{"alpha", "beta", "gamma", "delta"}`` (default all 1).
    tol, max_iter
        As in :class:`~csworkbench.clv.BetaGeoModel` (analytic gradient).

    Attributes
    ----------
    params_ : pandas.Series
        ``alpha, beta, gamma, delta``.
    se_, cov_, log_likelihood_, n_iter_
        As in :class:`~csworkbench.clv.BetaGeoModel`.
    n_customers_ : int
        Sum of the weights.
    """

    PARAMS = ("alpha", "beta", "gamma", "delta")

    @staticmethod
    def _loglik(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, n: np.ndarray, w: np.ndarray) -> float:
        lt = _log_terms(theta, x, *_term_grid(x, tx, n))
        return float(np.sum(w * special.logsumexp(lt, axis=1)))

    @staticmethod
    def _gradient(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, n: np.ndarray, w: np.ndarray) -> np.ndarray:
        """∂ log-likelihood / ∂ log θ (analytic: each term's ∂ log B is a digamma difference)."""
        alpha, beta, gamma, delta = theta
        m, k, g, valid = _term_grid(x, tx, n)
        lt = _log_terms(theta, x, m, k, g, valid)
        share = np.exp(lt - special.logsumexp(lt, axis=1, keepdims=True))  # weight of each term in L
        X = x[:, None]
        with np.errstate(all="ignore"):
            d_alpha = _psi(alpha + X) - _psi(alpha + beta + X + m) - _psi(alpha) + _psi(alpha + beta)
            d_beta = _psi(beta + m) - _psi(alpha + beta + X + m) - _psi(beta) + _psi(alpha + beta)
            d_gamma = _psi(gamma + g) - _psi(gamma + delta + g + k) - _psi(gamma) + _psi(gamma + delta)
            d_delta = _psi(delta + k) - _psi(gamma + delta + g + k) - _psi(delta) + _psi(gamma + delta)
        grad = [
            np.sum(w * np.sum(np.where(valid, share * d, 0.0), axis=1)) for d in (d_alpha, d_beta, d_gamma, d_delta)
        ]
        return np.array(grad) * np.asarray(theta)

    def fit(
        self,
        summary: Any = None,
        *,
        frequency: Any = None,
        recency: Any = None,
        n_periods: Any = None,
        weights: Any = None,
    ) -> BetaGeoBetaBinomModel:
        """Fit by maximum likelihood; returns ``self``.

        Parameters
        ----------
        summary : DataFrame, optional
            A frame with ``frequency, recency, n_periods`` and optionally ``weights`` (e.g.
            :func:`csworkbench.datasets.load_donations`).
        frequency, recency, n_periods : array-like, optional
            Repeat transactions, the opportunity of the last one (0 without any) and the number
            of opportunities, instead of ``summary``.
        weights : array-like, optional
            Number of customers with each history (default 1 per row).
        """
        x0 = self._validate_params()
        if summary is not None and weights is None and "weights" in getattr(summary, "columns", ()):
            weights = summary["weights"]
        if summary is not None:
            x, tx, n = model_data(summary, {"frequency": frequency, "recency": recency, "n_periods": n_periods})
        else:
            x, tx, n = model_data(None, {"frequency": frequency, "recency": recency, "n_periods": n_periods})
        w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
        if len(w) != len(x):
            raise DataError(f"weights has {len(w)} values for {len(x)} rows")
        _check_history(x, tx, n, w)
        if w.sum() < 10 or w[x > 0].sum() < 2:
            raise DataError(
                f"need at least 10 customers and 2 repeat buyers to fit the BG/BB; got {w.sum():g} customers, "
                f"{w[x > 0].sum():g} repeat buyers"
            )
        uniq, inverse = np.unique(np.column_stack([x, tx, n]), axis=0, return_inverse=True)
        uw = np.bincount(inverse.reshape(-1), weights=w, minlength=len(uniq))
        ux, utx, un = uniq.T

        def negll(logt: np.ndarray) -> float:
            val = -self._loglik(np.exp(logt), ux, utx, un, uw)
            return val if np.isfinite(val) else 1e300

        def jac(logt: np.ndarray) -> np.ndarray:
            g = -self._gradient(np.exp(logt), ux, utx, un, uw)
            return np.where(np.isfinite(g), g, 0.0)

        self._fit_and_store(negll, [x0], model="BG/BB", n_customers=int(round(w.sum())), jac=jac, n_obs=w.sum())
        return self

    def _log_likelihood_rows(self, x: np.ndarray, tx: np.ndarray, n: np.ndarray) -> np.ndarray:
        theta = np.array(self._params())
        return special.logsumexp(_log_terms(theta, x, *_term_grid(x, tx, n)), axis=1)

    def probability_alive(self, frequency: Any, recency: Any, n_periods: Any, *, periods_ahead: int = 1) -> np.ndarray:
        """P(alive at opportunity n + ``periods_ahead`` | x, tₓ, n) (客户存活概率; FHS 2010, eq. 11).

        The default, alive at the next opportunity, is the paper's "P(alive in 2002)" (table 6).
        """
        alpha, beta, gamma, delta = self._params()
        x, tx, n = (
            v.astype(float) for v in np.broadcast_arrays(as_array(frequency), as_array(recency), as_array(n_periods))
        )
        log_num = (
            _betaln(alpha + x, beta + n - x)
            - _betaln(alpha, beta)
            + _betaln(gamma, delta + n + periods_ahead)
            - _betaln(gamma, delta)
        )
        return np.exp(log_num - self._log_likelihood_rows(x, tx, n))

    def expected_purchases_unconditional(self, t: Any) -> np.ndarray:
        """E[X(t)]: expected transactions of a new customer in the first ``t`` opportunities (FHS eq. 7)."""
        alpha, beta, gamma, delta = self._params()
        t = np.clip(as_array(t), 0, None)
        return alpha / (alpha + beta) * _remaining(gamma, delta, 0.0, t)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, n_periods: Any) -> np.ndarray:
        """E[X(n, n + t) | x, tₓ, n]: expected transactions in the next ``t`` opportunities (FHS eq. 13).

        Examples
        --------
        >>> import pandas as pd
        >>> m = BetaGeoBetaBinomModel()
        >>> m.params_ = pd.Series({"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783})
        >>> m.expected_purchases(5, [0, 6], [0, 6], 6).round(2).tolist()
        [0.07, 3.75]
        """
        alpha, beta, gamma, delta = self._params()
        t, x, tx, n = (
            v.astype(float)
            for v in np.broadcast_arrays(
                np.clip(as_array(t), 0, None), as_array(frequency), as_array(recency), as_array(n_periods)
            )
        )
        log_front = _betaln(alpha + x + 1, beta + n - x) - _betaln(alpha, beta) - self._log_likelihood_rows(x, tx, n)
        return np.exp(log_front) * _remaining(gamma, delta, n, t)

    def probability_of_n_purchases(self, t: Any, n: Any) -> np.ndarray:
        """P(X(t) = n): probability of exactly ``n`` transactions in the first ``t`` opportunities (FHS eq. 8).

        Examples
        --------
        >>> import pandas as pd
        >>> m = BetaGeoBetaBinomModel()
        >>> m.params_ = pd.Series({"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783})
        >>> round(float(m.probability_of_n_purchases(6, range(7)).sum()), 6)
        1.0
        """
        alpha, beta, gamma, delta = self._params()
        t, x = np.broadcast_arrays(as_array(t), as_array(n))
        if np.any((x < 0) | (x % 1 != 0)) or np.any((t < 0) | (t % 1 != 0)):
            raise ParameterError("t (opportunities) and n (transactions) must be non-negative integers")
        out = np.empty(t.shape)
        for j, (ti, xi) in enumerate(zip(t.flat, x.flat)):
            ti, xi = int(ti), int(xi)
            if xi > ti:
                out.flat[j] = 0.0
                continue
            log_comb = special.gammaln(ti + 1) - special.gammaln(xi + 1) - special.gammaln(ti - xi + 1)
            alive = np.exp(
                log_comb
                + _betaln(alpha + xi, beta + ti - xi)
                - _betaln(alpha, beta)
                + _betaln(gamma, delta + ti)
                - _betaln(gamma, delta)
            )
            i = np.arange(xi, ti)
            log_ci = special.gammaln(i + 1) - special.gammaln(xi + 1) - special.gammaln(i - xi + 1)
            died = np.exp(
                log_ci
                + _betaln(alpha + xi, beta + i - xi)
                - _betaln(alpha, beta)
                + _betaln(gamma + 1, delta + i)
                - _betaln(gamma, delta)
            ).sum()
            out.flat[j] = alive + died
        return out


def _remaining(gamma: float, delta: float, n: Any, t: Any) -> np.ndarray:
    """δ/(γ−1) · Γ(γ+δ)/Γ(1+δ) · [Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+t)/Γ(γ+δ+n+t)], across γ = 1.

    Σ over the next t opportunities of P(alive there | alive at n)·B(γ,δ)/B(γ,δ+n) — the
    survival part of FHS (2010) eqs. 7 and 13.  At γ = 1 (a removable singularity) the mean at
    γ = 1 ± 1e-4.
    """
    if abs(gamma - 1.0) < 1e-6:
        return 0.5 * (_remaining(1.0 - 1e-4, delta, n, t) + _remaining(1.0 + 1e-4, delta, n, t))
    n, t = np.broadcast_arrays(np.asarray(n, dtype=float), np.asarray(t, dtype=float))
    lg = special.gammaln
    head = lg(gamma + delta) - lg(1 + delta)
    a = np.exp(head + lg(1 + delta + n) - lg(gamma + delta + n))
    b = np.exp(head + lg(1 + delta + n + t) - lg(gamma + delta + n + t))
    return delta / (gamma - 1) * (a - b)
