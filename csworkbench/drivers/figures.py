"""Figures of key-driver analysis (驱动因素重要性图): :func:`importance_figure`.

Course concept: showing which drivers of satisfaction matter most (顾客满意度研究模型, COURSE.md
§2) — a horizontal bar per driver (relative weight, Shapley share or standardised coefficient)
with its interval as a whisker.  Percentile intervals need not contain the estimate, so this does
not use :func:`csworkbench.plots.ci_bar_figure` (which rejects such rows); it uses the shared theme.

Reference: Johnson, J. W. (2000) relative weights; Budescu, D. V. (1993) dominance analysis.

Examples
--------
>>> from csworkbench.datasets import load_mtcars
>>> from csworkbench.drivers import importance_figure, relative_weights
>>> rw = relative_weights(load_mtcars(), "mpg", ["cyl", "disp", "hp", "wt"], n_boot=50)
>>> list(importance_figure(rw, lang="en").data[0].y)
['hp', 'disp', 'cyl', 'wt']
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import plots
from ..errors import ParameterError
from ..i18n import t
from .regression import KeyDriversResult
from .shapley import DominanceResult
from .weights import RelativeWeightsResult

__all__ = ["importance_figure"]

_INTERVALS = {
    "rescaled": ("rescaled_ci_low", "rescaled_ci_high"),
    "raw_weight": ("ci_low", "ci_high"),
    "estimate": ("ci_low", "ci_high"),
    "general_dominance": ("ci_low", "ci_high"),
}
_AXIS_KEYS = {
    "rescaled": "drivers.relative_weight_pct",
    "share": "drivers.shapley_share_pct",
    "estimate": "drivers.beta",
    "raw_weight": "drivers.relative_weight",
    "general_dominance": "drivers.general_dominance",
}


def _table(result) -> pd.DataFrame:
    if isinstance(result, RelativeWeightsResult):
        return result.weights
    if isinstance(result, DominanceResult):
        return result.general
    if isinstance(result, KeyDriversResult):
        return result.coefficients
    if isinstance(result, pd.DataFrame):
        return result
    raise ParameterError(
        "importance_figure needs a result of relative_weights, dominance or key_drivers (or its table); "
        f"got {type(result).__name__}"
    )


def _interval(f: pd.DataFrame, value: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Low and high ends of the whiskers, or None when the table has no intervals for ``value``."""
    if value == "share" and "ci_low" in f and f["ci_low"].notna().any():
        scale = 100 / f["general_dominance"].sum()  # general dominance sums to R²
        return f["ci_low"].to_numpy(float) * scale, f["ci_high"].to_numpy(float) * scale
    lo_col, hi_col = _INTERVALS.get(value, (None, None))
    if lo_col and lo_col in f and f[lo_col].notna().any():
        return f[lo_col].to_numpy(float), f[hi_col].to_numpy(float)
    return None


def importance_figure(
    result,
    *,
    value: str | None = None,
    lang: str = "zh",
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Horizontal bar chart of driver importance with interval whiskers (plotly figure).

    Parameters
    ----------
    result : RelativeWeightsResult, DominanceResult, KeyDriversResult or DataFrame
        From :func:`relative_weights` (default bar ``rescaled``), :func:`dominance` (``share``),
        :func:`key_drivers` (``estimate``), or one of their tables.
    value : str, optional
        The column drawn; default the first of ``rescaled``, ``share``, ``estimate`` present.
    lang : {"zh", "en"}
        Language of the axis title and default title.
    title : str, optional
        Figure title; default "Driver importance".
    labels : mapping, optional
        Display names of the predictors; default the ECSI/ACSI construct labels (others as named).

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace, bars sorted ascending (the largest on top).
    """
    frame = _table(result)
    if value is None:
        value = next((v for v in ("rescaled", "share", "estimate") if v in frame.columns), None)
    if value is None or value not in frame.columns:
        raise ParameterError(f"column {value!r} not in the importance table; columns are {list(frame.columns)}")
    f = frame.sort_values(value)
    vals = f[value].to_numpy(float)
    interval = _interval(f, value)
    err = None
    if interval is not None:
        lo, hi = interval
        err = dict(type="data", symmetric=False, array=hi - vals, arrayminus=vals - lo, color="#444")
    from ..pls.specs import construct_label

    names = [(labels or {}).get(p, construct_label(str(p), lang)) for p in f["predictor"]]
    fig = go.Figure(layout={"template": plots.figure_template()})
    fig.add_trace(
        go.Bar(
            x=vals,
            y=names,
            orientation="h",
            error_x=err,
            marker_color=plots.COLORS[0],
            hovertemplate="%{y}: %{x:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title if title is not None else t("drivers.importance_title", lang),
        xaxis_title=t(_AXIS_KEYS.get(value, "drivers.importance"), lang),
        height=max(300, 60 + 40 * len(f)),
        margin=dict(l=140, r=20, t=60, b=50),
        modebar_remove=["lasso2d", "select2d"],  # bars: nothing to select
    )
    return fig
