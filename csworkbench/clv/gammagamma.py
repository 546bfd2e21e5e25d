"""The Gamma-Gamma model of spend per transaction (Gamma-Gamma 消费金额模型).

Each transaction's value z ~ Gamma(p, ν) with ν ~ Gamma(q, γ) across customers;
:class:`GammaGammaModel` estimates (p, q, γ) by maximum likelihood from the repeat buyers'
frequency and mean repeat spend, and gives each customer's expected spend per transaction —
their own mean shrunk towards the population's.  The model assumes spend is independent of
purchase frequency; ``independence_`` reports the correlation to check it.

References: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer
base analysis", *JMR* 42(4), 415–430; Fader & Hardie (2013), "The Gamma-Gamma model of
monetary value" — on CDNOW p = 6.25, q = 3.74, γ = 15.44, which tests/test_clv.py checks.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.clv import GammaGammaModel
>>> gg = GammaGammaModel()
>>> gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "gamma": 15.44})
>>> gg.conditional_expected_spend([0, 2], [float("nan"), 22.35]).round(2).tolist()
[35.22, 24.66]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from ..errors import DataError, DataWarning
from ._base import Memo, PositiveParameterModel, aggregate_rows, as_array, model_data, wdot, x_groups

__all__ = ["GammaGammaModel"]


def spend_days(summary: Any, frequency: np.ndarray) -> np.ndarray:
    """The number of repeat days each mean spend is over: the summary's ``monetary_days`` where it
    has one (repeat days with a known amount), else ``frequency``.

    >>> s = pd.DataFrame({"frequency": [3, 2], "monetary_value": [10.0, 5.0], "monetary_days": [1, 2]})
    >>> spend_days(s, s["frequency"].to_numpy(dtype=float)).tolist()
    [1.0, 2.0]
    """
    frame = summary if isinstance(summary, pd.DataFrame) else getattr(summary, "table", None)
    if not isinstance(frame, pd.DataFrame) or "monetary_days" not in frame.columns:
        return frequency
    days = frame["monetary_days"].to_numpy(dtype=float)
    if len(days) != len(frequency) or np.any(np.isnan(days) | (days < 0) | (days > frequency)):
        raise DataError(
            "monetary_days must be a count between 0 and frequency for every customer "
            "(the repeat days with a known amount)",
            column="monetary_days",
        )
    return days


class GammaGammaModel(PositiveParameterModel):
    """The Gamma-Gamma model of spend per transaction (Gamma-Gamma 消费金额模型).

    Each transaction's value ``z ~ Gamma(p, ν)``, ν ~ Gamma(q, γ) across customers; fitted on
    customers with at least one repeat purchase, using their mean repeat spend (Fader, Hardie &
    Lee 2005b). The model assumes spend is independent of purchase frequency:
    ``independence_`` reports the correlation to check it.

    Parameters
    ----------
    initial_params : dict, optional
        Starting values ``{"p", "q", "gamma"}``. Default: moment estimates (where the mean spend's
        variance across frequencies gives them), (1, 1, 1) and (2, 3, mean spend); the best
        optimum is kept (from (1, 1, 1) alone BFGS can run off along the p → ∞, γ → 0 ridge).
    tol, max_iter
        As in :class:`BetaGeoModel`.

    Attributes
    ----------
    params_ : pandas.Series
        ``p, q, gamma``.
    se_, cov_, log_likelihood_, n_customers_
    excluded_ : int
        Customers left out (no repeat purchase, or a mean spend that is missing or ≤ 0).
    independence_ : DataFrame
        ``method, statistic, p_value, n``: Pearson and Spearman correlation of frequency and
        mean spend among the customers used (the model wants it near 0).

    Examples
    --------
    >>> from csworkbench.clv import summary_from_transactions
    >>> from csworkbench.datasets.transactions import make_transactions
    >>> s = summary_from_transactions(make_transactions(3000, random_state=3), "2024-09-30")
    >>> gg = GammaGammaModel().fit(s)
    >>> list(gg.params_.index)
    ['p', 'q', 'gamma']
    """

    PARAMS = ("p", "q", "gamma")

    @staticmethod
    def _loglik(theta: np.ndarray, x: np.ndarray, m: np.ndarray) -> float:
        p, q, g = theta
        ll = (
            special.gammaln(p * x + q)
            - special.gammaln(p * x)
            - special.gammaln(q)
            + q * np.log(g)
            + (p * x - 1) * np.log(m)
            + p * x * np.log(x)
            - (p * x + q) * np.log(x * m + g)
        )
        return float(np.sum(ll))

    @staticmethod
    def _value_and_gradient(
        theta: np.ndarray,
        x: np.ndarray,
        m: np.ndarray,
        w: np.ndarray,
        groups: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> tuple[float, np.ndarray]:
        """Log-likelihood and its analytic gradient in log θ, vectorised over all buyers.

        With D = log(1 + γ/(x m̄)) each buyer's term is
        lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ − (1+q) ln m̄ − q ln x − (px+q) D
        (the same as :meth:`_loglik`, without the cancellation of its large logarithms); the
        gamma and digamma functions are taken once per distinct x, so one evaluation costs one
        ``log1p`` and one division per buyer.
        ∂/∂p = Σ x (ψ(px+q) − ψ(px) − D); ∂/∂q = Σ ψ(px+q) − ψ(q) + ln γ − ln(x m̄ + γ);
        ∂/∂γ = Σ q/γ − (px+q)/(x m̄ + γ).
        """
        p, q, g = (float(v) for v in theta)
        ux, xi = groups if groups is not None else x_groups(x)
        cx = np.bincount(xi, weights=w, minlength=len(ux))
        n = float(np.sum(w))
        xm = x * m
        D = np.log1p(g / xm)
        R = 1.0 / (xm + g)
        wx = w * x
        sum_D, sum_xD = float(wdot(w, D)), float(wdot(wx, D))
        sum_R, sum_xR = float(wdot(w, R)), float(wdot(wx, R))
        log_m, log_x = np.log(m), np.log(x)
        sum_lm, sum_lx = float(wdot(w, log_m)), float(wdot(w, log_x))
        px = p * ux
        gl, psi = special.gammaln, special.digamma
        value = (
            float(wdot(cx, gl(px + q) - gl(px)))
            + n * (q * np.log(g) - gl(q))
            - (1 + q) * sum_lm
            - q * sum_lx
            - p * sum_xD
            - q * sum_D
        )
        d_p = float(wdot(cx * ux, psi(px + q) - psi(px))) - sum_xD
        d_q = float(wdot(cx, psi(px + q))) - n * psi(q) + n * np.log(g) - sum_lm - sum_lx - sum_D
        d_g = n * q / g - p * sum_xR - q * sum_R
        return value, np.array([d_p, d_q, d_g]) * np.array([p, q, g])

    @staticmethod
    def _gradient(theta: np.ndarray, x: np.ndarray, m: np.ndarray, w: np.ndarray) -> np.ndarray:
        """∂ log-likelihood / ∂ log θ (analytic)."""
        return GammaGammaModel._value_and_gradient(theta, x, m, w)[1]

    @staticmethod
    def _moment_start(x: np.ndarray, m: np.ndarray, w: np.ndarray) -> np.ndarray | None:
        """log (p, q, γ) from moments, or None where they give no valid values.

        Given x, the mean spend m̄ has mean M = pγ/(q−1) and variance M²/(q−2) + M²(q−1)/(p(q−2))/x;
        a weighted regression of (m̄ − M)² on 1/x gives both coefficients, hence q, p and γ.
        """
        with np.errstate(all="ignore"):
            M = float(wdot(w, m) / np.sum(w))
            dev = (m - M) ** 2
            # weighted least squares of dev on (1, 1/x) by its 2 × 2 normal equations (no BLAS threads)
            z = 1.0 / x
            s0, s1, s2 = float(np.sum(w)), wdot(w, z), wdot(w * z, z)
            det = s0 * s2 - s1 * s1
            if not det > 0:
                return None
            y0, y1 = wdot(w, dev), wdot(w * z, dev)
            c0, c1 = (s2 * y0 - s1 * y1) / det, (s0 * y1 - s1 * y0) / det
            if not (np.isfinite(c0) and np.isfinite(c1) and c0 > 0 and c1 > 0 and M > 0):
                return None
            q = 2.0 + M * M / c0
            p = M * M * (q - 1) / (c1 * (q - 2))
            g = M * (q - 1) / p
        theta = np.array([p, q, g])
        if not np.all(np.isfinite(theta) & (theta > 1e-6) & (theta < 1e8)):
            return None
        return np.log(theta)

    def fit(self, summary: Any = None, *, frequency: Any = None, monetary_value: Any = None) -> GammaGammaModel:
        """Fit by maximum likelihood on the repeat buyers; returns ``self``.

        Each buyer's mean spend counts as the mean of the repeat days whose amount is known: a
        summary's ``monetary_days`` column (:func:`~csworkbench.clv.summary_from_transactions`
        writes it; it equals ``frequency`` unless amounts are missing) takes the place of
        ``frequency`` in the likelihood, so a mean over one known day of five weighs as one.
        Buyers with the same (days, mean spend) are counted once, with a weight; the optimiser climbs the mean log-likelihood per buyer with its analytic gradient, from a
        moment start and the two default starts (the best optimum is kept).

        Parameters
        ----------
        summary : SummaryResult or DataFrame, optional
            The result of :func:`~csworkbench.clv.summary_from_transactions` (or a frame with
            ``frequency, monetary_value``).
        frequency, monetary_value : array-like, optional
            The same columns as arrays, instead of ``summary``.
        """
        x0 = self._validate_params()
        x, m = model_data(summary, {"frequency": frequency, "monetary_value": monetary_value})
        freq, x = x, spend_days(summary, x)
        with np.errstate(invalid="ignore"):
            use = (x > 0) & np.isfinite(m) & (m > 0)
            odd = (freq > 0) & ~use
        if odd.any():
            warnings.warn(
                f"GammaGammaModel: {int(odd.sum())} repeat buyer(s) with a missing or non-positive mean spend excluded",
                DataWarning,
                stacklevel=2,
            )
        if use.sum() < 10:
            raise DataError(f"need at least 10 repeat buyers with positive spend; got {int(use.sum())}")
        self.excluded_ = int((~use).sum())
        xu, mu = x[use], m[use]
        (ax, am), w, _ = aggregate_rows(xu, mu)

        def value_and_gradient(logt: np.ndarray) -> tuple[float, np.ndarray]:
            with np.errstate(all="ignore"):
                val, g = self._value_and_gradient(np.exp(logt), ax, am, w, groups)
            if not np.isfinite(val):
                return 1e300, np.zeros_like(logt)
            return -val, np.where(np.isfinite(g), -g, 0.0)

        groups = x_groups(ax)
        memo = Memo(value_and_gradient)
        # the default starts: (1, 1, 1) and p = 2, q = 3, gamma matching the mean spend (p·gamma/(q−1) = mean)
        default = [x0, np.log([2.0, 3.0, float(np.mean(mu))])]
        moments = self._moment_start(ax, am, w)
        starts = [x0] if self.initial_params else ([moments] if moments is not None else []) + default
        self._fit_and_store(
            memo.value, starts, model="Gamma-Gamma", n_customers=int(use.sum()), jac=memo.gradient, n_obs=len(xu)
        )
        if self.params_["q"] <= 1:
            warnings.warn(
                f"GammaGammaModel: q = {self.params_['q']:.3g} <= 1, so the mean spend is infinite; "
                "conditional expectations are unreliable",
                DataWarning,
                stacklevel=2,
            )
        pr = stats.pearsonr(xu, mu)
        sp = stats.spearmanr(xu, mu)
        self.independence_ = pd.DataFrame(
            {
                "method": ["pearson", "spearman"],
                "statistic": [float(pr.statistic), float(sp.statistic)],
                "p_value": [float(pr.pvalue), float(sp.pvalue)],
                "n": [len(xu), len(xu)],
            }
        )
        return self

    def conditional_expected_spend(self, frequency: Any, monetary_value: Any) -> np.ndarray:
        """E[Z | x, m̄]: expected spend per transaction given history (population mean if x = 0).

        ``(p (γ + x m̄)) / (p x + q − 1)``; customers with no repeat purchase (or a missing mean)
        get the population mean ``p γ / (q − 1)``.

        Examples
        --------
        >>> gg = GammaGammaModel()
        >>> gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "gamma": 15.44})
        >>> gg.conditional_expected_spend([0, 2], [float("nan"), 22.35]).round(2).tolist()
        [35.22, 24.66]
        """
        p, q, g = self._params()
        x, m = np.broadcast_arrays(as_array(frequency), as_array(monetary_value))
        has = (x > 0) & np.isfinite(m)
        xm = np.where(has, x * np.where(has, m, 0.0), 0.0)
        xx = np.where(has, x, 0.0)
        return p * (g + xm) / (p * xx + q - 1)
