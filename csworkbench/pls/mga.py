"""Multigroup analysis of a PLS path model (多群组分析): permutation test of path differences and
measurement invariance of composites (MICOM steps 1–2): :func:`multigroup`.

Course concept: do the drivers of satisfaction differ between segments (顾客细分, COURSE.md §2) —
is value more important to new than to long-standing customers?  The model is estimated in each
of two groups; the group labels are permuted ``n_permutations`` times and the model re-estimated
in both permuted groups (all covariance matrices at once, :mod:`csworkbench.pls.algorithm`).

* Path differences: ``difference = estimate_1 − estimate_2``; two-sided permutation p-value
  ``(1 + #{|d*| ≥ |d|}) / (1 + permutations)`` (Chin & Dibbern 2010; seminr's ``estimate_pls_mga``
  uses Henseler's bootstrap-based PLS-MGA instead).
* MICOM (Henseler, Ringle & Sarstedt 2016).  Step 1, configural invariance, holds by
  construction: one specification, one treatment of the data, one algorithm.  Step 2,
  compositional invariance: ``c`` = correlation, on the pooled standardised data, between the
  composite formed with group 1's weights and the one formed with group 2's weights; it is
  established when ``c`` is not below the ``1 − confidence`` quantile of its permutation
  distribution (``p_value`` = share of permutations with a ``c`` at or below the observed, plus
  one).  Step 3 (equal means and variances) is not computed here.

Reference: Chin, W. W., Dibbern, J. (2010) An introduction to a permutation based procedure for
multi-group PLS analysis. In *Handbook of Partial Least Squares*, 171–193; Henseler, J.,
Ringle, C. M., Sarstedt, M. (2016) Testing measurement invariance of composites using
partial least squares. *International Marketing Review* 33, 405–431.

Examples
--------
>>> from csworkbench.datasets import load_mobi
>>> from csworkbench.pls import acsi_model, multigroup
>>> mobi = load_mobi()
>>> mga = multigroup(acsi_model(), mobi, group=mobi["CUEX1"] > 7, n_permutations=100)
>>> list(mga.paths.columns)
['source', 'target', 'estimate_1', 'estimate_2', 'difference', 'p_value']
>>> bool(mga.micom["configural_invariance"].all()), mga.groups
(True, (False, True))
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ..estimators import Estimator
from ._resample import group_weights, weighted_covs
from .algorithm import estimates, standardise_cov
from .bootstrap import check_confidence

__all__ = ["MultigroupResult", "multigroup"]


@dataclass(frozen=True, eq=False)
class MultigroupResult:
    """Result of :func:`multigroup`.

    No ``conf_int``: a permutation test gives p-values, not intervals of the differences.

    Attributes
    ----------
    paths : DataFrame
        ``source, target, estimate_1, estimate_2, difference, p_value`` (groups in the order of
        ``groups``).
    micom : DataFrame
        ``construct, configural_invariance, c, c_quantile, p_value, compositional_invariance``.
    models : mapping
        Group label → the fitted :class:`~csworkbench.pls.PLSPM` of that group.
    groups : tuple
        The two group labels (sorted).
    n : tuple of int
        Rows per group.
    samples : mapping
        ``"difference"`` (permutations × paths) and ``"c"`` (permutations × constructs).
    n_permutations, n_failed : int
        Permutations drawn; left out because a group model did not converge.
    confidence : float
        ``1 − confidence`` is the MICOM quantile (0.95 → the 5% quantile).
    random_state : int, Generator or None
    """

    paths: pd.DataFrame
    micom: pd.DataFrame
    models: Mapping[Any, Estimator]
    groups: tuple
    n: tuple
    samples: Mapping[str, np.ndarray]
    n_permutations: int
    n_failed: int
    confidence: float
    random_state: int | np.random.Generator | None

    def summary(self) -> pd.DataFrame:
        """The path table with ``significant`` (``p_value < 1 − confidence``)."""
        out = self.paths.copy()
        out["significant"] = out["p_value"] < 1 - self.confidence
        return out


def _model(model_spec: Any) -> Estimator:
    from .model import PLSPM

    if isinstance(model_spec, PLSPM):
        return PLSPM(**model_spec.get_params())
    if isinstance(model_spec, Mapping):
        return PLSPM(**model_spec)
    raise ParameterError("model_spec must be a PLSPM or a specification dict (e.g. acsi_model())")


def _micom_c(W1: np.ndarray, W2: np.ndarray, R: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """c per construct for stacks of standardised weights (b, p, L) and pooled correlations R."""
    W1, W2 = W1 * mask, W2 * mask
    num = np.einsum("bpl,pq,bql->bl", W1, R, W2)
    v1 = np.einsum("bpl,pq,bql->bl", W1, R, W1)
    v2 = np.einsum("bpl,pq,bql->bl", W2, R, W2)
    return num / np.sqrt(v1 * v2)


def multigroup(
    model_spec: Any,
    data: pd.DataFrame,
    group: str | pd.Series | np.ndarray,
    *,
    n_permutations: int = 1000,
    confidence: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
) -> MultigroupResult:
    """Permutation multigroup analysis and MICOM steps 1–2 for two groups.

    Parameters
    ----------
    model_spec : PLSPM or dict
        The model: a :class:`~csworkbench.pls.PLSPM` (its parameters are used; it is not changed)
        or a specification dict (``PLSPM(**model_spec)``).
    data : DataFrame
        Indicators (and the group column).
    group : str or array-like
        A column of ``data`` or one label per row; exactly two distinct values.
    n_permutations : int
        Permutations of the group labels (≥ 1).
    confidence : float
        Level of the MICOM quantile (``1 − confidence``) and of ``summary()``'s ``significant``.
    random_state : int, Generator or None
        Seed of the permutations.

    Returns
    -------
    MultigroupResult
    """
    check_confidence(confidence)
    if not (isinstance(n_permutations, (int, np.integer)) and n_permutations >= 1):
        raise ParameterError(f"n_permutations must be a positive integer; got {n_permutations!r}")
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    if isinstance(group, str):
        if group not in data.columns:
            raise DataError("the group column is missing from the data", column=group)
        labels = data[group]
    else:
        labels = pd.Series(np.asarray(group), index=data.index)
        if len(labels) != len(data):
            raise ParameterError(f"group must have one label per row ({len(data)}); got {len(labels)}")
    pooled = _model(model_spec).fit(data)
    labels = labels.loc[pooled._X.index]
    values = [v.item() if isinstance(v, np.generic) else v for v in sorted(pd.unique(labels.dropna()))]
    if len(values) != 2 or labels.isna().any():
        raise ParameterError(f"group must have exactly two values and no missing label; got {values}")
    st = pooled._st
    X = pooled._X
    models = {g: _model(model_spec).fit(X.loc[(labels == g).to_numpy()]) for g in values}
    is1 = (labels == values[0]).to_numpy()
    rng = np.random.default_rng(random_state)
    perm = np.stack([rng.permutation(is1) for _ in range(n_permutations)])
    A = X.to_numpy()
    g1, g2 = group_weights(np.vstack([is1[None], perm]))
    S = weighted_covs(A, np.vstack([g1, g2]), scaled=pooled.scaled)
    est = estimates(S, st.mask, st.modes, st.adj, pooled.scheme, pooled.tol, pooled.max_iter)
    b = n_permutations + 1
    ok = est["converged"][:b] & est["converged"][b:]
    path_idx = [
        (st.names.index(s), st.names.index(t)) for s, t in zip(pooled.paths_["source"], pooled.paths_["target"])
    ]
    P = np.stack([est["paths"][:, i, j] for i, j in path_idx], axis=1)
    diff = P[:b] - P[b:]
    sd = np.sqrt(np.einsum("bii->bi", S))
    Wstd = est["W"] * sd[:, :, None]  # weights of the standardised indicators
    R = standardise_cov(np.cov(A, rowvar=False, ddof=0)[None])[0]
    c = _micom_c(Wstd[:b], Wstd[b:], R, st.mask)
    failed = int((~ok[1:]).sum())
    if failed:
        warnings.warn(
            f"{failed} of {n_permutations} permutations did not converge and were left out", DataWarning, stacklevel=2
        )
    d_obs, d_perm = diff[0], diff[1:][ok[1:]]
    c_obs, c_perm = c[0], c[1:][ok[1:]]
    m = len(d_perm)
    paths = pooled.paths_[["source", "target"]].copy()
    paths["estimate_1"], paths["estimate_2"] = P[0], P[b]
    paths["difference"] = d_obs
    paths["p_value"] = (1 + (np.abs(d_perm) >= np.abs(d_obs) - 1e-12).sum(axis=0)) / (m + 1)
    q = np.quantile(c_perm, 1 - confidence, axis=0)
    micom = pd.DataFrame(
        {
            "construct": st.names,
            "configural_invariance": True,
            "c": c_obs,
            "c_quantile": q,
            "p_value": (1 + (c_perm <= c_obs + 1e-12).sum(axis=0)) / (m + 1),
            "compositional_invariance": c_obs >= q,
        }
    )
    return MultigroupResult(
        paths=paths.reset_index(drop=True),
        micom=micom,
        models=models,
        groups=tuple(values),
        n=(int(is1.sum()), int((~is1).sum())),
        samples={"difference": d_perm, "c": c_perm},
        n_permutations=int(n_permutations),
        n_failed=failed,
        confidence=float(confidence),
        random_state=random_state,
    )
