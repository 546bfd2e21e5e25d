"""Dominance analysis of drivers (优势分析 / Shapley 值): :func:`dominance` → :class:`DominanceResult`.

Course concept: the satisfaction research model (顾客满意度研究模型, COURSE.md §2) — how much of
the explained variance of satisfaction belongs to each driver?  General dominance is the Shapley
value of R² (= R relaimpo's "lmg"): the average R² gain of a driver over all orderings; shares sum
to 100 %.  Conditional dominance compares average gains within models of each size, complete
dominance compares gains in every subset model.

Exact over all 2^p subsets up to ``exact_max`` predictors (default 15), every subset's R² solved
from the correlation matrix in batches (no refitting); beyond that, sampled permutations with a
stated 95 % error bound.  Why hand-written: ``dominance-analysis`` 1.1.9 (PyPI) does not import
on NumPy 2 (its bokeh dependency uses ``np.bool8``).

Reference: Budescu, D. V. (1993) Dominance analysis. *Psychological Bulletin* 114, 542–551;
Azen, R., Budescu, D. V. (2003) The dominance analysis approach for comparing predictors in
multiple regression. *Psychological Methods* 8, 129–148; Grömping, U. (2006) relaimpo.
*Journal of Statistical Software* 17(1).

Examples
--------
>>> from csworkbench.datasets import load_attitude
>>> from csworkbench.drivers import dominance
>>> X = ["complaints", "privileges", "learning", "raises", "critical", "advance"]
>>> dominance(load_attitude(), "rating", X, n_boot=0).general["general_dominance"].round(3).tolist()
[0.371, 0.051, 0.156, 0.12, 0.007, 0.028]
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import CSWWarning, ParameterError
from .common import boot_corr, check_boot, check_confidence, corr_target_last, quantiles, weighted_complete_frame

__all__ = ["DominanceResult", "dominance"]


@dataclass(frozen=True, eq=False)
class DominanceResult:
    """Result of :func:`dominance`.

    Attributes
    ----------
    general : DataFrame
        ``predictor, general_dominance, share, rank, error_bound, ci_low, ci_high``;
        general dominance (Shapley value of R²) sums to ``r2``; ``share`` in percent;
        ``error_bound`` is 0 when exact, else a 95 % Monte-Carlo bound (1.96 × standard error);
        ``ci_low``/``ci_high``: percentile bootstrap interval of general dominance (NaN without
        bootstrap or when sampled).
    conditional : DataFrame
        ``predictor, k, contribution``: average R² increment of the predictor over all models
        with ``k`` other predictors (k = 0 … p−1).
    complete : DataFrame
        ``predictor, other, complete, conditional, general``: 1 if ``predictor`` dominates
        ``other`` in that sense, 0 if it is dominated, 0.5 if undetermined (the convention of R
        ``dominanceanalysis::dominanceMatrix``); ``complete`` is NaN when sampled.
    r2 : float
        R² of the full model.
    exact : bool
        True when every subset was evaluated.
    target : str
        The target column.
    n : int
        Complete rows used.
    n_boot : int
        Bootstrap resamples used for the intervals (0: none).
    confidence : float
        Coverage of the intervals.
    samples : ndarray
        General dominance of each resample, shape (resamples, predictors); empty without bootstrap.
    """

    general: pd.DataFrame
    conditional: pd.DataFrame
    complete: pd.DataFrame
    r2: float
    exact: bool
    target: str
    n: int
    n_boot: int
    confidence: float
    samples: np.ndarray

    def summary(self) -> pd.DataFrame:
        """The general dominance table (a copy)."""
        return self.general.copy()

    def conf_int(self, confidence: float = 0.95) -> pd.DataFrame:
        """``predictor, general_dominance, ci_low, ci_high`` at ``confidence`` from the bootstrap
        draws (NaN intervals without them)."""
        check_confidence(confidence)
        out = self.general[["predictor", "general_dominance"]].copy()
        if len(self.samples):
            out["ci_low"], out["ci_high"] = np.quantile(self.samples, quantiles(confidence), axis=0)
        else:
            out["ci_low"] = out["ci_high"] = np.nan
        return out


def subset_r2(R: np.ndarray) -> np.ndarray:
    """R² of every subset of predictors (bit-mask index) for a stack (b, p+1, p+1), target last."""
    b, q, _ = R.shape
    p = q - 1
    out = np.zeros((b, 1 << p))
    Rxx, rxy = R[:, :p, :p], R[:, :p, p]
    for k in range(1, p + 1):
        idx = np.array(list(itertools.combinations(range(p), k)))
        masks = (1 << idx).sum(axis=1)
        for start in range(0, len(idx), 2048):
            sub = idx[start : start + 2048]
            Rs = Rxx[:, sub[:, :, None], sub[:, None, :]]  # (b, C, k, k)
            r = rxy[:, sub]  # (b, C, k)
            sol = np.linalg.solve(Rs, r[..., None])[..., 0]
            out[:, masks[start : start + 2048]] = (sol * r).sum(axis=-1)
    return out


def _popcount(x: np.ndarray) -> np.ndarray:
    c = np.zeros_like(x)
    y = x.copy()
    while y.any():
        c += y & 1
        y >>= 1
    return c


def _exact_dominance(r2: np.ndarray, p: int) -> np.ndarray:
    """Conditional contributions (b, p, p) [predictor, k] from subset R² (b, 2^p)."""
    masks = np.arange(1 << p)
    size = _popcount(masks)
    cond = np.zeros((r2.shape[0], p, p))
    for j in range(p):
        bit = 1 << j
        S = masks[(masks & bit) == 0]
        inc = r2[:, S | bit] - r2[:, S]
        ks = size[S]
        for k in range(p):
            cond[:, j, k] = inc[:, ks == k].mean(axis=1)
    return cond


def _sampled_dominance(R: np.ndarray, n_perm: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Shapley values by random permutations; increments from a Cholesky factor per permutation."""
    p = R.shape[0] - 1
    incs = np.empty((n_perm, p))
    cond_sum = np.zeros((p, p))
    cond_n = np.zeros((p, p))
    for start in range(0, n_perm, 2000):
        m = min(2000, n_perm - start)
        perms = np.argsort(rng.random((m, p)), axis=1)
        order = np.concatenate([perms, np.full((m, 1), p)], axis=1)
        Rp = R[order[:, :, None], order[:, None, :]]
        Lc = np.linalg.cholesky(Rp)
        step = Lc[:, p, :p] ** 2  # R² increment of the predictor in position i
        block = np.empty((m, p))
        np.put_along_axis(block, perms, step, axis=1)
        incs[start : start + m] = block
        pos = np.argsort(perms, axis=1)  # position (= k others before it)
        np.add.at(cond_sum, (np.broadcast_to(np.arange(p), (m, p)), pos), block)
        np.add.at(cond_n, (np.broadcast_to(np.arange(p), (m, p)), pos), 1)
    with np.errstate(invalid="ignore"):
        cond = cond_sum / cond_n
    return incs, cond


def _compare(a: np.ndarray, b: np.ndarray) -> float:
    if np.all(a > b):
        return 1.0
    if np.all(a < b):
        return 0.0
    return 0.5


def _complete_table(predictors: list[str], sub: np.ndarray | None, cond: np.ndarray, gen: np.ndarray) -> pd.DataFrame:
    """Pairwise complete, conditional and general dominance (complete NaN when ``sub`` is None)."""
    p = len(predictors)
    masks = np.arange(1 << p) if sub is not None else None
    rows = []
    for i in range(p):
        for j in range(p):
            if i == j:
                continue
            if sub is not None and masks is not None:
                bi, bj = 1 << i, 1 << j
                S = masks[(masks & (bi | bj)) == 0]
                comp = _compare(sub[0, S | bi], sub[0, S | bj])
            else:
                comp = np.nan
            rows.append(
                (
                    predictors[i],
                    predictors[j],
                    comp,
                    _compare(cond[i], cond[j]),
                    _compare(gen[i : i + 1], gen[j : j + 1]),
                )
            )
    return pd.DataFrame(rows, columns=["predictor", "other", "complete", "conditional", "general"])


def dominance(
    data: pd.DataFrame,
    target: str,
    predictors: Sequence[str],
    *,
    exact_max: int = 15,
    n_permutations: int = 20000,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
    weights: str | None = None,
) -> DominanceResult:
    """Dominance analysis: general (Shapley/lmg), conditional and complete dominance of R².

    Parameters
    ----------
    data, target, predictors
        As :func:`~csworkbench.drivers.key_drivers`.
    exact_max : int
        Up to this many predictors every one of the 2^p subsets is evaluated (exact);
        beyond it, ``n_permutations`` random orderings estimate the Shapley values.
    n_permutations : int
        Orderings drawn when sampling; the error bound shrinks as 1/sqrt(n_permutations).
    n_boot : int
        Bootstrap resamples for percentile intervals of general dominance (0: none); exact
        mode only (a warning says so when sampling).
    confidence : float
        Interval coverage.
    random_state : int, Generator or None
        Seed for permutations and bootstrap (``None``: fresh entropy).
    weights : str, optional
        Column of case weights: subset R² from the weighted correlation matrix (= weighted least
        squares R²) and a weighted bootstrap (respondents resampled with their weights).

    Returns
    -------
    DominanceResult

    Examples
    --------
    >>> from csworkbench.datasets import load_attitude
    >>> res = dominance(load_attitude(), "rating", ["complaints", "learning", "raises"], n_boot=100)
    >>> bool(round(res.general["general_dominance"].sum(), 6) == round(res.r2, 6)), res.n_boot
    (True, 100)
    """
    check_boot(n_boot, confidence)
    if not (isinstance(exact_max, (int, np.integer)) and 1 <= exact_max <= 20):
        raise ParameterError(f"exact_max must be an integer between 1 and 20; got {exact_max!r}")
    if not (isinstance(n_permutations, (int, np.integer)) and n_permutations >= 100):
        raise ParameterError(f"n_permutations must be an integer ≥ 100; got {n_permutations!r}")
    frame, w = weighted_complete_frame(data, target, predictors, weights)
    predictors = list(frame.columns[1:])
    p = len(predictors)
    R = corr_target_last(frame, w)
    r2_full = float(R[:-1, -1] @ np.linalg.solve(R[:-1, :-1], R[:-1, -1]))
    rng = np.random.default_rng(random_state)
    exact = p <= exact_max
    if exact:
        sub = subset_r2(R[None])
        cond = _exact_dominance(sub, p)[0]
        gen = cond.mean(axis=1)
        bound = np.zeros(p)
    else:
        incs, cond = _sampled_dominance(R, n_permutations, rng)
        gen = incs.mean(axis=0)
        bound = 1.96 * incs.std(axis=0, ddof=1) / math.sqrt(n_permutations)
        sub = None
    general = pd.DataFrame(
        {
            "predictor": predictors,
            "general_dominance": gen,
            "share": gen / r2_full * 100,
            "rank": pd.Series(gen).rank(ascending=False, method="min").astype(int).to_numpy(),
            "error_bound": bound,
        }
    )
    draws = np.empty((0, p))
    if n_boot and exact:
        draws = np.concatenate(
            [
                _exact_dominance(subset_r2(Rb[np.isfinite(Rb).all(axis=(1, 2))]), p).mean(axis=2)
                for Rb in boot_corr(frame, n_boot, rng, chunk=max(1, 200_000 // (1 << p)), weights=w)
            ]
        )
        general["ci_low"], general["ci_high"] = np.quantile(draws, quantiles(confidence), axis=0)
    else:
        if n_boot:
            warnings.warn(
                f"{p} predictors exceed exact_max={exact_max}: general dominance is sampled and has an "
                "error bound but no bootstrap intervals (ci_low/ci_high left NaN)",
                CSWWarning,
                stacklevel=2,
            )
        general["ci_low"] = general["ci_high"] = np.nan
    conditional = pd.DataFrame(
        [(predictors[j], k, cond[j, k]) for j in range(p) for k in range(p)],
        columns=["predictor", "k", "contribution"],
    )
    return DominanceResult(
        general,
        conditional,
        _complete_table(predictors, sub, cond, gen),
        r2_full,
        exact,
        target,
        len(frame),
        int(n_boot) if exact else 0,
        float(confidence),
        draws,
    )
