"""Consistent PLS (PLSc; 一致性偏最小二乘, Dijkstra & Henseler 2015): :func:`consistent_pls`.

Course concept: satisfaction (顾客满意) and its drivers are measured with error by their survey
items (COURSE.md §2).  PLS composites of reflective (Mode A) blocks carry that error, so their
correlations — and the paths — are attenuated.  PLSc corrects them with the reliability ρA of
each composite:

* ρA = (w'w)² · w'(S − diag S)w / w'(ww' − diag ww')w for the weights w of the standardised
  indicators (the composite of unit variance; :func:`csworkbench.pls.quality.quality_table`);
  single-indicator and Mode B constructs keep ρ = 1 (as seminr);
* consistent construct correlations ``r*_ij = r_ij / sqrt(ρA_i ρA_j)``;
* paths and R² by OLS on the corrected correlations; consistent loadings ``λ = w · sqrt(ρA) / w'w``.

Bootstrap intervals re-estimate PLS *and* the correction in every resample (all at once).
Checked against seminr (``estimate_pls`` on reflective constructs applies PLSc) on ``mobi``.

Reference: Dijkstra, T. K., Henseler, J. (2015) Consistent partial least squares path modeling.
*MIS Quarterly* 39, 297–316; Dijkstra, T. K., Henseler, J. (2015) Consistent and asymptotically
normal PLS estimators for linear structural equations. *CSDA* 81, 10–23.

Examples
--------
>>> from csworkbench.datasets import load_ecsi
>>> from csworkbench.pls import PLSPM, consistent_pls, ecsi_model
>>> model = PLSPM(**ecsi_model(), scheme="path").fit(load_ecsi())
>>> plsc = consistent_pls(model, n_boot=100)
>>> bool((plsc.rho_a["rho_a"] < 1).all())
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import DataWarning, ParameterError
from ..estimators import Estimator
from ._resample import weighted_covs
from .algorithm import estimates, solve, standardise_cov
from .bootstrap import _quantiles, check_confidence

__all__ = ["PLScResult", "consistent_pls"]


@dataclass(frozen=True, eq=False)
class PLScResult:
    """Result of :func:`consistent_pls`.

    Attributes
    ----------
    paths : DataFrame
        ``source, target, estimate, pls_estimate, se, ci_low, ci_high, p_value`` (bootstrap ``se``,
        percentile interval, two-sided p from ``estimate / se`` on n − 1 df; NaN when ``n_boot=0``).
    r2 : Series
        Consistent R² of the endogenous constructs.
    loadings : DataFrame
        ``indicator, construct, loading, pls_loading``.
    rho_a : DataFrame
        ``construct, mode, rho_a`` (the correction factors; 1 for single items and Mode B).
    construct_correlations : DataFrame
        Consistent correlations of the constructs (constructs × constructs).
    samples : mapping
        ``"paths"``: bootstrap draws (resamples × paths).
    n_boot, n_failed : int
    confidence : float
    random_state : int, Generator or None
    """

    paths: pd.DataFrame
    r2: pd.Series
    loadings: pd.DataFrame
    rho_a: pd.DataFrame
    construct_correlations: pd.DataFrame
    samples: Mapping[str, np.ndarray]
    n_boot: int
    n_failed: int
    confidence: float
    random_state: int | np.random.Generator | None

    def summary(self) -> pd.DataFrame:
        """The path table (``paths``) with the consistent R² of each target (``r2_target``)."""
        out = self.paths.copy()
        out["r2_target"] = out["target"].map(self.r2)
        return out

    def conf_int(self, confidence: float = 0.95) -> pd.DataFrame:
        """Percentile intervals of the consistent paths: ``source, target, estimate, ci_low, ci_high``."""
        check_confidence(confidence)
        if not self.n_boot:
            raise ParameterError("no bootstrap: call consistent_pls(model, n_boot=1000)")
        out = self.paths[["source", "target", "estimate"]].copy()
        out["ci_low"], out["ci_high"] = np.quantile(self.samples["paths"], _quantiles(confidence), axis=0)
        return out


def _correct(S: np.ndarray, est: dict, st) -> dict:
    """PLSc for a stack of covariance matrices S (b, p, p) and their PLS estimates (batched)."""
    sdx = np.sqrt(np.einsum("bii->bi", S))
    C = standardise_cov(S)
    w = est["W"] * sdx[:, :, None] * st.mask  # weights of standardised indicators, unit-variance LVs
    b, L = S.shape[0], len(st.names)
    rho = np.ones((b, L))
    for j, rows in enumerate(st.mask.T):
        idx = np.flatnonzero(rows)
        if st.modes[j] != "A" or idx.size < 2:
            continue
        wj = w[:, idx, j]
        Cj = C[:, idx[:, None], idx[None, :]]
        off = Cj - np.einsum("bii->bi", Cj)[:, :, None] * np.eye(idx.size)
        ww = (wj**2).sum(axis=1)
        rho[:, j] = ww**2 * np.einsum("bi,bij,bj->b", wj, off, wj) / (ww**2 - (wj**4).sum(axis=1))
    scale = np.sqrt(rho)
    Rc = est["R"] / (scale[:, :, None] * scale[:, None, :])
    Rc[:, np.arange(L), np.arange(L)] = 1.0
    paths = np.zeros((b, L, L))
    r2 = np.full((b, L), np.nan)
    for k in range(L):
        pred = np.flatnonzero(st.adj[:, k])
        if pred.size:
            beta = solve(Rc[:, pred[:, None], pred[None, :]], Rc[:, pred, k])
            paths[:, pred, k] = beta
            r2[:, k] = np.einsum("bi,bi->b", beta, Rc[:, pred, k])
    ww_block = (w**2).sum(axis=1)  # (b, L)
    consistent = np.array([m == "A" for m in st.modes])
    lam = np.where(consistent[None, None, :], w * (scale / ww_block)[:, None, :], est["cross"] * st.mask)
    return {"rho": rho, "Rc": Rc, "paths": paths, "r2": r2, "loadings": (lam * st.mask).sum(axis=2)}


def consistent_pls(
    model: Estimator,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
) -> PLScResult:
    """Consistent PLS of a fitted :class:`~csworkbench.pls.PLSPM` (the model is not changed).

    Parameters
    ----------
    model : PLSPM
        A fitted model; its Mode A blocks are treated as reflective and corrected.
    n_boot : int
        Bootstrap resamples (0: none).
    confidence : float
        Coverage of the percentile intervals.
    random_state : int, Generator or None
        Seed of the bootstrap.

    Returns
    -------
    PLScResult
    """
    import warnings

    model.check_fitted("paths_")
    model._unweighted_only("consistent PLS (PLSc)")
    check_confidence(confidence)
    if not (isinstance(n_boot, (int, np.integer)) and (n_boot == 0 or n_boot >= 2)):
        raise ParameterError(f"n_boot must be 0 or an integer ≥ 2; got {n_boot!r}")
    st = model._st
    A = model._X.to_numpy()
    n = len(A)
    S = weighted_covs(A, np.full((1, n), 1.0 / n), scaled=model.scaled)
    est = estimates(S, st.mask, st.modes, st.adj, model.scheme, model.tol, model.max_iter)
    fit = _correct(S, est, st)
    names = st.names
    path_idx = [(names.index(s), names.index(t)) for s, t in zip(model.paths_["source"], model.paths_["target"])]
    paths = model.paths_[["source", "target"]].copy()
    paths["estimate"] = [fit["paths"][0, i, j] for i, j in path_idx]
    paths["pls_estimate"] = model.paths_["estimate"].to_numpy()
    draws = np.empty((0, len(path_idx)))
    failed = 0
    if n_boot:
        rng = np.random.default_rng(random_state)
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot) / n
        Sb = weighted_covs(A, counts, scaled=model.scaled)
        eb = estimates(Sb, st.mask, st.modes, st.adj, model.scheme, model.tol, model.max_iter)
        ok = eb["converged"]
        failed = int((~ok).sum())
        if failed:
            warnings.warn(
                f"{failed} of {n_boot} bootstrap resamples did not converge and were left out",
                DataWarning,
                stacklevel=2,
            )
        fb = _correct(Sb[ok], {k: v[ok] for k, v in eb.items()}, st)
        draws = np.stack([fb["paths"][:, i, j] for i, j in path_idx], axis=1)
        paths["se"] = draws.std(axis=0, ddof=1)
        paths["ci_low"], paths["ci_high"] = np.quantile(draws, _quantiles(confidence), axis=0)
        paths["p_value"] = 2 * stats.t.sf(np.abs(paths["estimate"] / paths["se"]), n - 1)
    else:
        paths["se"] = paths["ci_low"] = paths["ci_high"] = paths["p_value"] = np.nan
    endo = [k for k in range(len(names)) if st.adj[:, k].any()]
    loadings = model.outer_[["indicator", "construct"]].copy()
    loadings["loading"] = fit["loadings"][0]
    loadings["pls_loading"] = model.outer_["loading"].to_numpy()
    return PLScResult(
        paths=paths.reset_index(drop=True),
        r2=pd.Series(fit["r2"][0, endo], index=[names[k] for k in endo], name="r2"),
        loadings=loadings,
        rho_a=pd.DataFrame({"construct": names, "mode": st.modes, "rho_a": fit["rho"][0]}),
        construct_correlations=pd.DataFrame(fit["Rc"][0], index=names, columns=names),
        samples=MappingProxyType({"paths": draws}),
        n_boot=int(n_boot),
        n_failed=failed,
        confidence=float(confidence),
        random_state=random_state,
    )
