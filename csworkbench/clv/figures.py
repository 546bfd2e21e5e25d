"""Figures of customer lifetime value (客户终身价值图): the tracking plot and the CLV distribution.

* :func:`tracking_figure` — actual vs BG/NBD repeat transactions through the calibration
  and holdout periods, the calibration end marked (跟踪图; Fader, Hardie & Lee 2005, fig. 2);
* :func:`clv_distribution_figure` — the histogram of CLV per customer;
* :func:`calibration_holdout_figure` — mean holdout purchases by calibration frequency,
  actual vs one or several models (Fader, Hardie & Lee 2005, fig. 4).

Both return plotly figures in the package's theme (:func:`csworkbench.plots.plotly_template`),
labelled in ``lang``.

Examples
--------
>>> import pandas as pd
>>> len(clv_distribution_figure(pd.DataFrame({"clv": [1.0, 2, 3]}), lang="en").data)
1
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..errors import DataError
from ..i18n import check_language, t
from ..plots import plotly_template

__all__ = ["tracking_figure", "clv_distribution_figure", "calibration_holdout_figure"]


def _frame(result: Any, columns: tuple[str, ...]) -> pd.DataFrame:
    frame = result if isinstance(result, pd.DataFrame) else getattr(result, "table", None)
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"expected a result frame; got {type(result).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"missing column(s) {missing}", column=missing[0])
    return frame


def _figure(title: str) -> go.Figure:
    fig = go.Figure(layout={"template": plotly_template()})
    fig.update_layout(title_text=title)
    return fig


def tracking_figure(result: Any, *, lang: str = "zh", title: str | None = None, cumulative: bool = True) -> go.Figure:
    """Tracking plot (跟踪图): actual vs expected repeat transactions, with the calibration end marked.

    Parameters
    ----------
    result : TrackingResult or DataFrame
        The result of :func:`~csworkbench.clv.tracking` (or its table).
    cumulative : bool
        Cumulative counts (the usual tracking plot) or counts per period.

    Examples
    --------
    >>> fr = pd.DataFrame({"period_end": pd.date_range("2024-01-07", periods=3, freq="7D"), "t": [1.0, 2, 3],
    ...                    "actual": [1.0, 2, 3], "expected": [1.0, 2, 2.5], "actual_cum": [1.0, 3, 6],
    ...                    "expected_cum": [1.0, 3, 5.5], "holdout": [False, False, True]})
    >>> len(tracking_figure(fr, lang="en").data)
    2
    """
    check_language(lang)
    a, e = ("actual_cum", "expected_cum") if cumulative else ("actual", "expected")
    frame = _frame(result, ("period_end", a, e, "holdout"))
    fig = _figure(title or t("clv.tracking_title" if cumulative else "clv.tracking_title_period", lang))
    fig.add_trace(go.Scatter(x=frame["period_end"], y=frame[a], mode="lines", name=t("clv.actual", lang)))
    fig.add_trace(
        go.Scatter(x=frame["period_end"], y=frame[e], mode="lines", line={"dash": "dash"}, name=t("clv.expected", lang))
    )
    if frame["holdout"].any() and not frame["holdout"].all():
        cal = frame.loc[~frame["holdout"], "period_end"].max()
        fig.add_shape(type="line", x0=cal, x1=cal, y0=0, y1=1, yref="paper", line={"dash": "dot", "color": "grey"})
        fig.add_annotation(
            x=cal,
            y=1,
            yref="paper",
            text=t("clv.calibration_end", lang),
            showarrow=False,
            xanchor="right",
            yanchor="bottom",
        )
    fig.update_yaxes(title_text=t("clv.repeat_transactions", lang))
    return fig


def clv_distribution_figure(result: Any, *, lang: str = "zh", title: str | None = None, nbins: int = 50) -> go.Figure:
    """Histogram of CLV per customer (客户终身价值分布).

    Parameters
    ----------
    result : DataFrame
        The result of :func:`~csworkbench.clv.clv` (a ``clv`` column).
    nbins : int
        Number of bins.

    Examples
    --------
    >>> len(clv_distribution_figure(pd.DataFrame({"clv": [1.0, 2, 3]}), lang="en").data)
    1
    """
    check_language(lang)
    frame = _frame(result, ("clv",))
    fig = _figure(title or t("clv.distribution_title", lang))
    fig.add_trace(go.Histogram(x=frame["clv"], nbinsx=nbins, name=t("clv.clv", lang)))
    fig.update_xaxes(title_text=t("clv.clv", lang))
    fig.update_yaxes(title_text=t("tier.customers", lang))
    return fig


def calibration_holdout_figure(result: Any, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Actual vs predicted holdout purchases by calibration frequency (条件期望检验图).

    The conditional-expectation plot of Fader, Hardie & Lee (2005, fig. 4): for each number of
    repeat transactions in the calibration period, the mean number of transactions in the
    holdout period, actual (solid) and as forecast by each model (dashed).

    Parameters
    ----------
    result : DataFrame or mapping
        The result of :func:`~csworkbench.clv.holdout_comparison` (``frequency, actual,
        expected``); a frame with a ``model`` column as well (one dashed line per model); or
        ``{"model name": holdout_comparison(...)}``.

    Examples
    --------
    >>> fr = pd.DataFrame({"frequency": [0, 1, 2], "customers": [5, 3, 2], "actual": [0.2, 0.8, 1.5],
    ...                    "expected": [0.25, 0.7, 1.4]})
    >>> [d.name for d in calibration_holdout_figure(fr, lang="en").data]
    ['Actual', 'Model']
    """
    check_language(lang)
    if isinstance(result, dict):
        parts = []
        for name, part in result.items():
            part = _frame(part, ("frequency", "actual", "expected")).copy()
            part["model"] = str(name)
            parts.append(part)
        if not parts:
            raise DataError("no model results to draw")
        frame = pd.concat(parts, ignore_index=True)
    else:
        frame = _frame(result, ("frequency", "actual", "expected"))
    fig = _figure(title or t("clv.calibration_holdout_title", lang))
    groups = list(frame.groupby("model", sort=False)) if "model" in frame.columns else [(t("clv.model", lang), frame)]
    first = groups[0][1].sort_values("frequency")
    fig.add_trace(go.Scatter(x=first["frequency"], y=first["actual"], mode="lines+markers", name=t("clv.actual", lang)))
    for name, part in groups:
        part = part.sort_values("frequency")
        fig.add_trace(
            go.Scatter(
                x=part["frequency"], y=part["expected"], mode="lines+markers", line={"dash": "dash"}, name=str(name)
            )
        )
    fig.update_xaxes(title_text=t("clv.calibration_frequency", lang), dtick=1)
    fig.update_yaxes(title_text=t("clv.holdout_purchases", lang))
    return fig
