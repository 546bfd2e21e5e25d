"""The MBG/NBD model of repeat purchases (MBG/NBD 模型): the BG/NBD with a dropout at time zero.

As the BG/NBD (purchase rate λ ~ Gamma(r, α), dropout probability p ~ Beta(a, b)), except
that a customer may also drop out right after the *first* purchase, so customers without
repeat purchases are not all alive (Batislam, Denizel & Filiztekin 2007, with the correction
of Wagner & Hoppe 2008).  :class:`ModifiedBetaGeoModel` estimates (r, α, a, b) by maximum
likelihood with an analytic gradient.

References: Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of
models for customer base analysis", *International Journal of Research in Marketing* 24(3),
201–209; Wagner & Hoppe (2008), "Erratum on the MBG/NBD model", *IJRM* 25(3), 225–226.  On
the CDNOW sample: r = 0.525, α = 6.183, a = 0.891, b = 1.614 (R BTYDplus, as checked by the
``lifetimes`` tests), which tests/test_clv_models.py checks.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.clv import ModifiedBetaGeoModel
>>> m = ModifiedBetaGeoModel()
>>> m.params_ = pd.Series({"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614})
>>> m.probability_alive([0, 2], [0, 30.43], [38.86, 38.86]).round(3).tolist()
[0.39, 0.706]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from ._base import CustomerBaseModel, aggregate_rows, as_array, history_data
from .bgnbd import _log_hyp2f1

__all__ = ["ModifiedBetaGeoModel"]


def _terms(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray):
    r, alpha, a, b = theta
    A1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    A2 = special.gammaln(a + b) + special.gammaln(b + x + 1) - special.gammaln(b) - special.gammaln(a + b + x + 1)
    A3 = -(r + x) * np.log(alpha + T)
    A4 = np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))
    return A1, A2, A3, A4


class ModifiedBetaGeoModel(CustomerBaseModel):
    """The MBG/NBD model (MBG/NBD 模型; Batislam, Denizel & Filiztekin 2007).

    The BG/NBD with one more chance to drop out, right after the first purchase; the same
    interface as :class:`~csworkbench.clv.BetaGeoModel`.

    Parameters
    ----------
    initial_params : dict, optional
        Starting values ``{"r", "alpha", "a", "b"}``. Default: two starts, all 1 and
        (0.5, mean T / 4, 1, 3); the better optimum is kept.
    tol : float
        Gradient tolerance of BFGS on the log-parameters (analytic gradient).
    max_iter : int

    Attributes
    ----------
    params_ : pandas.Series
        ``r, alpha, a, b``.
    se_, cov_, log_likelihood_, n_customers_, n_repeat_buyers_, n_iter_
        As in :class:`~csworkbench.clv.BetaGeoModel`.
    """

    PARAMS = ("r", "alpha", "a", "b")

    @staticmethod
    def _loglik(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> float:
        A1, A2, A3, A4 = _terms(theta, x, tx, T)
        return float(np.sum(w * (A1 + A2 + A3 + np.logaddexp(0.0, A4))))

    @staticmethod
    def _gradient(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> np.ndarray:
        """∂ log-likelihood / ∂ log θ (analytic)."""
        r, alpha, a, b = theta
        _, _, _, A4 = _terms(theta, x, tx, T)
        dead = special.expit(A4)  # ∂ softplus(A4) / ∂ A4
        psi = special.digamma
        d_r = psi(r + x) - psi(r) + np.log(alpha) - np.log(alpha + T) + dead * (np.log(alpha + T) - np.log(alpha + tx))
        d_alpha = r / alpha - (r + x) / (alpha + T) + dead * (r + x) * (1 / (alpha + T) - 1 / (alpha + tx))
        d_a = psi(a + b) - psi(a + b + x + 1) + dead / a
        d_b = psi(a + b) + psi(b + x + 1) - psi(b) - psi(a + b + x + 1) - dead / (b + x)
        grad = np.array([np.sum(w * d) for d in (d_r, d_alpha, d_a, d_b)])
        return grad * np.asarray(theta)

    def fit(
        self, summary: Any = None, *, frequency: Any = None, recency: Any = None, T: Any = None
    ) -> ModifiedBetaGeoModel:
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
        x, tx, T_ = history_data(summary, frequency, recency, T, "MBG/NBD")
        (ux, utx, uT), w, _ = aggregate_rows(x, tx, T_)

        def negll(logt: np.ndarray) -> float:
            with np.errstate(all="ignore"):
                val = -self._loglik(np.exp(logt), ux, utx, uT, w)
            return val if np.isfinite(val) else 1e300

        def jac(logt: np.ndarray) -> np.ndarray:
            with np.errstate(all="ignore"):
                g = -self._gradient(np.exp(logt), ux, utx, uT, w)
            return np.where(np.isfinite(g), g, 0.0)

        starts = [x0] if self.initial_params else [x0, np.log([0.5, max(float(np.mean(T_)), 1.0) / 4, 1.0, 3.0])]
        self._fit_and_store(negll, starts, model="MBG/NBD", n_customers=len(x), jac=jac, n_obs=len(x))
        self.n_repeat_buyers_ = int((x > 0).sum())
        return self

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(alive | x, tₓ, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x)) (客户存活概率); below 1 also for x = 0."""
        theta = np.array(self._params())
        x, tx, T = np.broadcast_arrays(as_array(frequency), as_array(recency), as_array(T))
        return special.expit(-_terms(theta, x, tx, T)[3])

    def expected_purchases_unconditional(self, t: Any) -> np.ndarray:
        """E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))]: repeat purchases of a new customer."""
        r, alpha, a, b = self._params()
        t = np.clip(as_array(t), 0, None)
        out = _near_a_one(_unconditional, r, alpha, a, b, t)
        return np.where(t > 0, out, 0.0)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """E[Y(t) | x, tₓ, T]: expected repeat purchases in the next ``t`` time units (Wagner & Hoppe 2008).

        Examples
        --------
        >>> import pandas as pd
        >>> m = ModifiedBetaGeoModel()
        >>> m.params_ = pd.Series({"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614})
        >>> m.expected_purchases(39, [0, 2], [0, 30.43], [38.86, 38.86]).round(3).tolist()
        [0.154, 1.263]
        """
        r, alpha, a, b = self._params()
        t, x, tx, T = np.broadcast_arrays(
            np.clip(as_array(t), 0, None), as_array(frequency), as_array(recency), as_array(T)
        )
        out = _near_a_one(_conditional, r, alpha, a, b, t, x, tx, T)
        return np.where(t > 0, out, 0.0)


def _unconditional(r, alpha, a, b, t):
    with np.errstate(all="ignore"):
        log_hyp = _log_hyp2f1(r, b + 1, a + b, t / (alpha + t))
        return b / (a - 1) * (1 - np.exp(r * (np.log(alpha) - np.log(alpha + t)) + log_hyp))


def _conditional(r, alpha, a, b, t, x, tx, T):
    with np.errstate(all="ignore"):
        log_hyp = _log_hyp2f1(r + x, b + x + 1, a + b + x, t / (alpha + T + t))
        log_part = (r + x) * (np.log(alpha + T) - np.log(alpha + T + t))
        num = (a + b + x) / (a - 1) * (1 - np.exp(log_part + log_hyp))
        A4 = np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))
    return num * special.expit(-A4)


def _near_a_one(fn, r, alpha, a, b, *args):
    """``fn`` across its removable singularity at a = 1 (the mean at a = 1 ± 1e-4, as the BG/NBD)."""
    if abs(a - 1.0) < 1e-6:
        return 0.5 * (fn(r, alpha, 1.0 - 1e-4, b, *args) + fn(r, alpha, 1.0 + 1e-4, b, *args))
    return fn(r, alpha, a, b, *args)
