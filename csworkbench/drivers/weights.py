"""Relative weights of drivers (相对权重分析, Johnson 2000): :func:`relative_weights` →
:class:`RelativeWeightsResult`.

Course concept: the satisfaction research model (顾客满意度研究模型, COURSE.md §2) — drivers of
satisfaction are correlated (a friendly branch is also a clean one), so regression coefficients
can flip sign; relative weights split R² over the drivers through the orthogonal counterpart of
the predictors (``Rxx^(1/2)``): raw weights sum to R², rescaled weights to 100 %, with percentile
bootstrap intervals computed on stacked resampled correlation matrices (all at once).

Why hand-written: ``relativeImp`` 0.0.2 has no intervals and correlates with pairwise deletion;
the results here are checked against the figures published for R ``rwa`` (tests/test_drivers.py).

Reference: Johnson, J. W. (2000) A heuristic method for estimating the relative weight of
predictor variables in multiple regression. *Multivariate Behavioral Research* 35, 1–19.

Examples
--------
>>> from csworkbench.datasets import load_mtcars
>>> from csworkbench.drivers import relative_weights
>>> rw = relative_weights(load_mtcars(), "mpg", ["cyl", "disp", "hp", "wt"], n_boot=0)
>>> rw.weights["rescaled"].round(2).tolist(), round(rw.r2, 4)
([24.71, 22.19, 21.21, 31.9], 0.8486)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .common import boot_corr, check_boot, check_confidence, corr_target_last, quantiles, weighted_complete_frame

__all__ = ["RelativeWeightsResult", "relative_weights"]


@dataclass(frozen=True, eq=False)
class RelativeWeightsResult:
    """Result of :func:`relative_weights`.

    Attributes
    ----------
    weights : DataFrame
        ``predictor, raw_weight, rescaled, sign, ci_low, ci_high, rescaled_ci_low,
        rescaled_ci_high``: raw weights sum to ``r2``, rescaled ones to 100; the intervals (of the
        raw and the rescaled weight, at ``confidence``) are NaN without bootstrap.  ``sign`` is the
        sign of the driver's correlation with the target (the convention of R ``rwa``).
    r2 : float
        R² of the full regression.
    target : str
        The target column.
    n : int
        Complete rows used.
    n_boot : int
        Bootstrap resamples (0: none).
    confidence : float
        Coverage of the intervals.
    samples : ndarray
        Raw weights of the usable resamples, shape (resamples, predictors); empty without bootstrap.
    """

    weights: pd.DataFrame
    r2: float
    target: str
    n: int
    n_boot: int
    confidence: float
    samples: np.ndarray

    def summary(self) -> pd.DataFrame:
        """The weight table (a copy)."""
        return self.weights.copy()

    def conf_int(self, confidence: float = 0.95) -> pd.DataFrame:
        """``predictor, raw_weight, ci_low, ci_high`` at ``confidence`` from the bootstrap draws
        (NaN intervals when ``n_boot=0``)."""
        check_confidence(confidence)
        out = self.weights[["predictor", "raw_weight"]].copy()
        if len(self.samples):
            out["ci_low"], out["ci_high"] = np.quantile(self.samples, quantiles(confidence), axis=0)
        else:
            out["ci_low"] = out["ci_high"] = np.nan
        return out


def rw_from_corr(R: np.ndarray) -> np.ndarray:
    """Raw relative weights for a stack of correlation matrices (b, p+1, p+1), target last."""
    Rxx, rxy = R[:, :-1, :-1], R[:, :-1, -1]
    e, V = np.linalg.eigh(Rxx)
    e = np.clip(e, 0, None)
    lam = (V * np.sqrt(e)[:, None, :]) @ np.swapaxes(V, 1, 2)  # Rxx^(1/2)
    beta = np.linalg.solve(lam, rxy[:, :, None])[:, :, 0]  # y on orthogonal Z
    return np.einsum("bjk,bk->bj", lam**2, beta**2)


def relative_weights(
    data: pd.DataFrame,
    target: str,
    predictors: Sequence[str],
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
    weights: str | None = None,
) -> RelativeWeightsResult:
    """Johnson's (2000) relative weights of the drivers of ``target``.

    Parameters
    ----------
    data, target, predictors
        As :func:`~csworkbench.drivers.key_drivers`.
    n_boot : int
        Bootstrap resamples for percentile intervals (0: none).  Vectorised: all resampled
        correlation matrices are built and decomposed at once.
    confidence : float
        Interval coverage.
    random_state : int, Generator or None
        Seed of the bootstrap (``None``: fresh entropy).
    weights : str, optional
        Column of case weights: the correlations are weighted and the bootstrap resamples
        respondents with their weights (unusable weights listed and left out).  None: unweighted.

    Returns
    -------
    RelativeWeightsResult

    Examples
    --------
    >>> from csworkbench.datasets import load_mtcars
    >>> rw = relative_weights(load_mtcars(), "mpg", ["cyl", "disp", "hp", "wt"], n_boot=200, random_state=1)
    >>> round(float(rw.weights["raw_weight"].sum()), 4), round(rw.r2, 4)
    (0.8486, 0.8486)
    """
    check_boot(n_boot, confidence)
    frame, w = weighted_complete_frame(data, target, predictors, weights)
    predictors = list(frame.columns[1:])
    R = corr_target_last(frame, w)
    raw = rw_from_corr(R[None])[0]
    r2 = float(raw.sum())
    out = pd.DataFrame(
        {
            "predictor": predictors,
            "raw_weight": raw,
            "rescaled": raw / r2 * 100,
            "sign": np.where(R[:-1, -1] >= 0, "+", "-"),
        }
    )
    draws = np.empty((0, len(predictors)))
    if n_boot:
        rng = np.random.default_rng(random_state)
        draws = np.concatenate([rw_from_corr(Rb) for Rb in boot_corr(frame, n_boot, rng, weights=w)])
        draws = draws[np.isfinite(draws).all(axis=1)]
        q = quantiles(confidence)
        out["ci_low"], out["ci_high"] = np.quantile(draws, q, axis=0)
        share = draws / draws.sum(axis=1, keepdims=True) * 100
        out["rescaled_ci_low"], out["rescaled_ci_high"] = np.quantile(share, q, axis=0)
    else:
        for c in ["ci_low", "ci_high", "rescaled_ci_low", "rescaled_ci_high"]:
            out[c] = np.nan
    return RelativeWeightsResult(out, r2, target, len(frame), int(n_boot), float(confidence), draws)
