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
from ._base import PositiveParameterModel, as_array, fit_log_mle, model_data

__all__ = ["GammaGammaModel"]


class GammaGammaModel(PositiveParameterModel):
    """The Gamma-Gamma model of spend per transaction (Gamma-Gamma 消费金额模型).

    Each transaction's value ``z ~ Gamma(p, ν)``, ν ~ Gamma(q, γ) across customers; fitted on
    customers with at least one repeat purchase, using their mean repeat spend (Fader, Hardie &
    Lee 2005b). The model assumes spend is independent of purchase frequency:
    ``independence_`` reports the correlation to check it.

    Parameters
    ----------
    initial_params : dict, optional
        Starting values ``{"p", "q", "gamma"}``. Default: two starts, (1, 1, 1) and (2, 3,
        mean spend); the better optimum is kept (from (1, 1, 1) alone BFGS can run off along
        the p → ∞, γ → 0 ridge).
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

    def fit(self, summary: Any = None, *, frequency: Any = None, monetary_value: Any = None) -> GammaGammaModel:
        """Fit by maximum likelihood on the repeat buyers; returns ``self``.

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
        use = (x > 0) & np.isfinite(m) & (m > 0)
        odd = (x > 0) & ~(np.isfinite(m) & (m > 0))
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

        def negll(logt: np.ndarray) -> float:
            val = -self._loglik(np.exp(logt), xu, mu)
            return val if np.isfinite(val) else 1e300

        # a second start at p = 2, q = 3 and gamma matching the mean spend (p·gamma/(q−1) = mean)
        starts = [x0] if self.initial_params else [x0, np.log([2.0, 3.0, float(np.mean(mu))])]
        fit = fit_log_mle(negll, self.PARAMS, starts, tol=self.tol, max_iter=int(self.max_iter), model="Gamma-Gamma")
        self._store(fit, int(use.sum()))
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
