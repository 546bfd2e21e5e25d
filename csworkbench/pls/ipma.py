"""Importance–performance map analysis of a PLS path model (重要性-绩效分析 IPMA): :class:`IPMAResult`.

Course concept: linking the satisfaction research model (顾客满意度研究模型, COURSE.md §2) back to
the gap models — "improve the most cost-effective drivers": a driver with a large total effect on
satisfaction (importance, 重要性) and a low score (performance, 绩效) is where improvement pays.

Performance: each construct's score rebuilt from its indicators rescaled to 0–100
(``(x − min) / (max − min) · 100``) with the outer weights unstandardised and normalised to sum 1,
averaged over respondents.  Importance: the total effect on the target in those 0–100 units
(``importance``) and standardised (``importance_std``, as ``model.effects_``).

Reference: Ringle, C. M., Sarstedt, M. (2016) Gain more insight from your PLS-SEM results: the
importance-performance map analysis. *Industrial Management & Data Systems* 116, 1865–1886.

Examples
--------
>>> from csworkbench.datasets import load_ecsi
>>> from csworkbench.pls import PLSPM, ecsi_model
>>> model = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi())
>>> result = model.ipma("LOY", scale_min=0, scale_max=10)
>>> result.table["construct"].tolist(), result.target
(['IMAG', 'SAT', 'VAL', 'EXPE', 'QUAL'], 'LOY')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ModelError, ParameterError
from ..estimators import Estimator  # a fitted PLSPM (model.py imports this module)

__all__ = ["IPMAResult", "ipma", "performance_scores"]

Scale = float | Mapping[str, float] | None


@dataclass(frozen=True, eq=False)
class IPMAResult:
    """Result of :func:`ipma`.

    Attributes
    ----------
    table : DataFrame
        ``construct, importance, importance_std, performance`` for every construct with an
        effect on ``target``, sorted by importance (total effect per 0–100 point) descending.
    target : str
        The construct whose drivers are mapped.
    target_performance : float
        Mean 0–100 performance of the target.
    """

    table: pd.DataFrame
    target: str
    target_performance: float


def ipma(model: Estimator, target: str, *, scale_min: Scale = None, scale_max: Scale = None) -> IPMAResult:
    """Importance–performance map of the constructs that drive ``target``.

    Parameters
    ----------
    model : PLSPM
        A fitted model.
    target : str
        Endogenous construct, e.g. ``"SAT"`` or ``"LOY"``.
    scale_min, scale_max : float or mapping construct → float, optional
        Theoretical ends of the answer scale (e.g. 0 and 10); default the observed
        minimum and maximum of the block's indicators.

    Returns
    -------
    IPMAResult
    """
    model.check_fitted("paths_")
    names = model._st.names
    if target not in names:
        raise ParameterError(f"unknown construct {target!r}; constructs are {names}")
    sources = model.effects_.loc[model.effects_["target"] == target]
    if sources.empty:
        raise ModelError(f"no construct has an effect on {target!r}; choose an endogenous construct")
    perf = performance_scores(model, scale_min=scale_min, scale_max=scale_max)
    sd = perf.std(ddof=0)
    out = pd.DataFrame(
        {
            "construct": sources["source"].to_numpy(),
            "importance_std": sources["total"].to_numpy(),
        }
    )
    out["importance"] = out["importance_std"] * sd[target] / sd[out["construct"]].to_numpy()
    out["performance"] = perf[out["construct"]].mean().to_numpy()
    out = out[["construct", "importance", "importance_std", "performance"]]
    out = out.sort_values("importance", ascending=False, ignore_index=True)
    return IPMAResult(out, target, float(perf[target].mean()))


def performance_scores(model: Estimator, *, scale_min: Scale = None, scale_max: Scale = None) -> pd.DataFrame:
    """Construct scores on a 0–100 performance scale: one column per construct, the data's index.

    >>> from csworkbench.datasets import load_ecsi
    >>> from csworkbench.pls import PLSPM, ecsi_model
    >>> perf = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi()).performance_scores(scale_min=0, scale_max=10)
    >>> perf.mean().round(1).to_dict()
    {'IMAG': 74.4, 'EXPE': 74.8, 'QUAL': 69.4, 'VAL': 70.3, 'SAT': 68.6, 'LOY': 71.5}
    """
    model.check_fitted("paths_")
    st, X = model._st, model._X
    out = {}
    for j, name in enumerate(st.names):
        rows = np.flatnonzero(st.mask[:, j])
        cols = [st.indicators[r] for r in rows]
        lo = _pick(scale_min, name, float(X[cols].min().min()))
        hi = _pick(scale_max, name, float(X[cols].max().max()))
        if not hi > lo:
            raise ParameterError(f"scale of {name!r}: maximum {hi} must exceed minimum {lo}")
        w = model._W[rows, j] / (model._sd[rows] if model.scaled else 1.0)
        if not abs(w.sum()) > 0:
            raise ModelError(f"outer weights of {name!r} sum to zero; performance undefined")
        w = w / w.sum()
        out[name] = ((X[cols].to_numpy() - lo) / (hi - lo) * 100) @ w
    return pd.DataFrame(out, index=X.index)


def _pick(value: Scale, name: str, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, Mapping):
        return float(value.get(name, default))
    return float(value)
