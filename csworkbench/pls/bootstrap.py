"""Percentile bootstrap of a fitted PLS path model (自助法置信区间): :class:`PLSBootstrap`.

Course concept: how sure are the drivers of satisfaction (顾客满意度研究模型, COURSE.md §2)?
PLS-PM makes no distributional assumption, so standard errors and intervals of the paths, outer
weights, loadings, R², total effects and HTMT come from resampling respondents (自助法, bootstrap).

Every estimate is a function of the indicators' covariance matrix, so the resamples are drawn as
multinomial counts, each count vector gives a covariance matrix (counts × indicator
cross-products) and the whole stack is estimated at once by :mod:`csworkbench.pls.algorithm`
(1,000 ECSI resamples take well under a second).  A resample that does not converge is left out
and reported with a :class:`~csworkbench.errors.DataWarning`.  The fitted model is not changed.

Reference: Efron, B., Tibshirani, R. J. (1993) *An Introduction to the Bootstrap*. Chapman &
Hall (percentile intervals); Sanchez, G. (2013) *PLS Path Modeling with R*, ch. 5 (R plspm's
``boot.val``).

Examples
--------
>>> from csworkbench.datasets import load_ecsi
>>> from csworkbench.pls import PLSPM, ecsi_model
>>> model = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi())
>>> boot = model.bootstrap(n_boot=200, random_state=1, progress=False)
>>> list(boot.paths.columns)
['source', 'target', 'estimate', 'boot_mean', 'se', 'ci_low', 'ci_high']
>>> bool((boot.paths["ci_low"] < boot.paths["estimate"]).all()), boot.n_boot, boot.confidence
(True, 200, 0.95)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..errors import DataWarning, ParameterError
from ..estimators import Estimator  # a fitted PLSPM (model.py imports this module)
from .algorithm import estimates, standardise_cov
from .quality import htmt_values

__all__ = ["PLSBootstrap", "bootstrap", "check_confidence"]

KINDS = ("paths", "weights", "loadings", "r2", "total_effects", "htmt")


@dataclass(frozen=True, eq=False)
class PLSBootstrap:
    """Result of :meth:`PLSPM.bootstrap <csworkbench.pls.PLSPM.bootstrap>`.

    The five tables share the columns ``estimate`` (the fitted model's value), ``boot_mean``
    (mean over the resamples), ``se`` (bootstrap standard error, SD of the resamples with
    ddof=1), ``ci_low`` and ``ci_high`` (percentile interval at ``confidence``), after their keys:

    Attributes
    ----------
    paths : DataFrame
        Keys ``source, target`` (order of ``model.paths_``).
    weights : DataFrame
        Keys ``indicator, construct``: outer weights.
    loadings : DataFrame
        Keys ``indicator, construct``: outer loadings.
    r2 : DataFrame
        Key ``construct``: R² of the endogenous constructs.
    total_effects : DataFrame
        Keys ``source, target`` (order of ``model.effects_``).
    htmt : DataFrame
        Keys ``construct_1, construct_2`` (order of ``model.htmt_``): heterotrait–monotrait
        ratios; discriminant validity is supported where ``ci_high`` < 0.85 (or 0.90).
    samples : mapping
        The raw draws per table name (``"paths"``, ``"weights"``, …): an array of shape
        (converged resamples, rows of the table).
    n_boot : int
        Resamples drawn.
    n_failed : int
        Resamples left out because they did not converge.
    confidence : float
        Coverage of the intervals.
    random_state : int, Generator or None
        The seed as given.
    """

    paths: pd.DataFrame
    weights: pd.DataFrame
    loadings: pd.DataFrame
    r2: pd.DataFrame
    total_effects: pd.DataFrame
    htmt: pd.DataFrame
    samples: Mapping[str, np.ndarray]
    n_boot: int
    n_failed: int
    confidence: float
    random_state: int | np.random.Generator | None

    def summary(self) -> pd.DataFrame:
        """The path table: ``source, target, estimate, boot_mean, se, ci_low, ci_high``."""
        return self.paths.copy()

    def conf_int(self, confidence: float = 0.95, *, of: str = "paths") -> pd.DataFrame:
        """Percentile intervals at ``confidence`` from the stored draws: the keys of table ``of``
        (one of ``paths, weights, loadings, r2, total_effects, htmt``), ``estimate, ci_low, ci_high``."""
        check_confidence(confidence)
        if of not in KINDS:
            raise ParameterError(f"of must be one of {', '.join(KINDS)}; got {of!r}")
        table = getattr(self, of)
        out = table.drop(columns=["boot_mean", "se", "ci_low", "ci_high"])
        out["ci_low"], out["ci_high"] = np.quantile(self.samples[of], _quantiles(confidence), axis=0)
        return out


def check_confidence(confidence: float) -> None:
    """Raise :class:`~csworkbench.errors.ParameterError` unless 0 < confidence < 1."""
    if not (isinstance(confidence, (int, float, np.floating)) and 0 < confidence < 1):
        raise ParameterError(f"confidence must lie between 0 and 1; got {confidence!r}")


def _quantiles(confidence: float) -> list[float]:
    return [(1 - confidence) / 2, 1 - (1 - confidence) / 2]


def bootstrap(
    model: Estimator,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
    progress: bool = True,
    chunk: int = 250,
) -> PLSBootstrap:
    """Percentile bootstrap of a fitted :class:`~csworkbench.pls.PLSPM` (the model is not changed).

    Parameters
    ----------
    model : PLSPM
        A fitted model.
    n_boot : int
        Number of resamples (rows with replacement), at least 2.
    confidence : float
        Coverage of the percentile intervals.
    random_state : int, Generator or None
        Seed; the same seed gives the same intervals (``None``: fresh entropy).
    progress : bool
        Show a tqdm progress bar over chunks of resamples.
    chunk : int
        Resamples estimated together (memory vs speed).

    Returns
    -------
    PLSBootstrap
    """
    model.check_fitted("paths_")
    if not (isinstance(n_boot, (int, np.integer)) and n_boot >= 2):
        raise ParameterError(f"n_boot must be an integer ≥ 2; got {n_boot!r}")
    check_confidence(confidence)
    if not (isinstance(chunk, (int, np.integer)) and chunk >= 1):
        raise ParameterError(f"chunk must be a positive integer; got {chunk!r}")
    draws, failed = _draws(model, n_boot, np.random.default_rng(random_state), progress, chunk)
    if failed:
        warnings.warn(
            f"{failed} of {n_boot} bootstrap resamples did not converge and were left out", DataWarning, stacklevel=3
        )
    keys = {
        "paths": (model.paths_[["source", "target"]], model.paths_["estimate"]),
        "weights": (model.outer_[["indicator", "construct"]], model.outer_["weight"]),
        "loadings": (model.outer_[["indicator", "construct"]], model.outer_["loading"]),
        "r2": (pd.DataFrame({"construct": model.r2_.index}), model.r2_),
        "total_effects": (model.effects_[["source", "target"]], model.effects_["total"]),
        "htmt": (model.htmt_[["construct_1", "construct_2"]], model.htmt_["htmt"]),
    }
    tables = {}
    for kind, (key, original) in keys.items():
        D = draws[kind]
        frame = key.reset_index(drop=True).copy()
        frame["estimate"] = original.to_numpy()
        frame["boot_mean"] = D.mean(axis=0)
        frame["se"] = D.std(axis=0, ddof=1)
        frame["ci_low"], frame["ci_high"] = np.quantile(D, _quantiles(confidence), axis=0)
        tables[kind] = frame
    return PLSBootstrap(
        **tables,
        samples=MappingProxyType(draws),
        n_boot=int(n_boot),
        n_failed=failed,
        confidence=float(confidence),
        random_state=random_state,
    )


def _draws(model: Estimator, n_boot: int, rng: np.random.Generator, progress: bool, chunk: int):
    """The estimates of every converged resample per table, and the number that failed."""
    st = model._st
    A = model._X.to_numpy() - model._mean
    n, p = A.shape
    w = getattr(model, "_w", None)  # case weights of a weighted fit: resampled with their respondents
    pair = (A[:, :, None] * A[:, None, :]).reshape(n, p * p)
    names = st.names
    endo = [names.index(k) for k in model.r2_.index]
    eff_idx = [(names.index(s), names.index(t)) for s, t in zip(model.effects_["source"], model.effects_["target"])]
    path_idx = [(names.index(s), names.index(t)) for s, t in zip(model.paths_["source"], model.paths_["target"])]
    parts: dict[str, list[np.ndarray]] = {k: [] for k in KINDS}
    failed = 0
    chunks = [min(chunk, n_boot - i) for i in range(0, n_boot, chunk)]
    if progress:
        from tqdm.auto import tqdm

        chunks = tqdm(chunks, desc="bootstrap", unit="chunk", total=len(chunks))
    for size in chunks:
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=size).astype(float)
        if w is not None:
            counts = counts * w[None, :] / (counts @ w)[:, None] * n
        m1 = counts @ A / n
        S = (counts @ pair).reshape(size, p, p) / n - m1[:, :, None] * m1[:, None, :]
        if model.scaled:
            S = standardise_cov(S)
        est = estimates(S, st.mask, st.modes, st.adj, model.scheme, model.tol, model.max_iter)
        ok = est["converged"]
        failed += int((~ok).sum())
        parts["paths"].append(np.stack([est["paths"][ok, i, j] for i, j in path_idx], axis=1))
        parts["weights"].append((est["W"][ok] * st.mask).sum(axis=2))
        parts["loadings"].append((est["cross"][ok] * st.mask).sum(axis=2))
        parts["r2"].append(est["r2"][ok][:, endo])
        parts["total_effects"].append(np.stack([est["total"][ok, i, j] for i, j in eff_idx], axis=1))
        parts["htmt"].append(htmt_values(standardise_cov(S[ok]), st.mask))
    return {k: np.concatenate(v, axis=0) for k, v in parts.items()}, failed
