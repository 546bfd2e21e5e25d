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
from ..i18n import check_language, money_text, t
from ..plots import add_cap_note, cap_long_tail, figure_template, histogram_bars

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
    fig = go.Figure(layout={"template": figure_template()})
    fig.update_layout(title_text=title, modebar_remove=["lasso2d", "select2d"])
    return fig


#: Date ticks in the page's language (plotly's d3 formats; ``%-m`` drops the leading zero).
DATE_TICKS = {"zh": "%Y年%-m月", "en": "%b %Y"}


def _day_text(dates: pd.Series) -> pd.Series:
    """Whole days as ``YYYY-MM-DD`` text (a date axis reads it; plotly writes a timestamp as
    ``1997-01-07T00:00:00.000000``, 28 characters a point); other values unchanged."""
    if pd.api.types.is_datetime64_any_dtype(dates) and dates.notna().all() and (dates == dates.dt.normalize()).all():
        return dates.dt.strftime("%Y-%m-%d")
    return dates


def _tracking_title(frame: pd.DataFrame, a: str, e: str, lang: str) -> str | None:
    """The holdout's finding: actual against expected repeat purchases after the calibration end."""
    hold = frame[frame["holdout"]]
    if not len(hold) or hold["holdout"].all() and len(hold) == len(frame):
        return None
    base = frame.loc[~frame["holdout"]].iloc[-1]
    actual = float(hold[a].iloc[-1] - base[a])
    expected = float(hold[e].iloc[-1] - base[e])
    if not expected > 0:
        return None
    return t(
        "pages.clv.t_tracking",
        lang,
        actual=f"{actual:,.0f}",
        expected=f"{expected:,.0f}",
        diff=f"{100 * (actual / expected - 1):+.0f}%",
    )


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
    found = _tracking_title(frame, "actual_cum", "expected_cum", lang) if cumulative and "actual_cum" in frame else None
    fig = _figure(title or found or t("clv.tracking_title" if cumulative else "clv.tracking_title_period", lang))
    x = _day_text(frame["period_end"])
    fig.add_trace(go.Scatter(x=x, y=frame[a], mode="lines", name=t("clv.actual", lang)))
    fig.add_trace(go.Scatter(x=x, y=frame[e], mode="lines", line={"dash": "dash"}, name=t("clv.expected", lang)))
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
    fig.update_xaxes(tickformat=DATE_TICKS[lang], hoverformat="%Y-%m-%d")
    return fig


def clv_distribution_figure(
    result: Any,
    *,
    lang: str = "zh",
    title: str | None = None,
    nbins: int = 50,
    currency: str = "",
    cap: float = 0.99,
) -> go.Figure:
    """Histogram of CLV per customer (客户终身价值分布), the long tail capped.

    Values above the ``cap`` quantile are counted in the last bar (an annotation says how many
    and from where), so the bulk of customers stays readable; the title states the median and
    the share of the total held by the top 10 %.  The bins are counted here
    (:func:`csworkbench.plots.histogram_bars`): the page carries one count per bin, not every
    customer's value.

    Parameters
    ----------
    result : DataFrame
        The result of :func:`~csworkbench.clv.clv` (a ``clv`` column).
    nbins : int
        Number of bins.
    currency : str
        Shown on the money axis and in the title.
    cap : float
        Quantile above which values are gathered in the last bar (1 for no cap).

    Examples
    --------
    >>> fig = clv_distribution_figure(pd.DataFrame({"clv": [1.0, 2, 3, 100]}), lang="en", cap=0.5, currency="$")
    >>> int(sum(fig.data[0].y)), float(fig.data[0].customdata[-1][0]), fig.layout.annotations[0].text
    (4, 2.5, '2 customers ≥ $2.50')
    >>> fig.layout.title.text
    'Half of customers are worth less than $2.50; the top 10% hold 94% of the expected value'
    """
    check_language(lang)
    frame = _frame(result, ("clv",))
    values = frame["clv"].astype(float).dropna()
    shown, limit, above = cap_long_tail(values, cap)
    ranked = values.sort_values(ascending=False).to_numpy()
    k = max(1, int(-(-0.1 * len(ranked) // 1)))
    top = float(ranked[:k].sum() / ranked.sum()) if len(ranked) and ranked.sum() > 0 else float("nan")
    found = t(
        "pages.clv.t_distribution",
        lang,
        median=money_text(float(values.median()), currency) if len(values) else "",
        share=f"{100 * top:.0f}%",
    )
    fig = _figure(title or found)
    fig.add_trace(histogram_bars(shown, nbins=nbins, name=t("clv.clv", lang)))
    fig.update_layout(bargap=0)
    axis = t("clv.clv", lang)
    fig.update_xaxes(
        title_text=(f"{axis}（{currency}）" if lang == "zh" else f"{axis} ({currency})") if currency else axis
    )
    fig.update_yaxes(title_text=t("tier.customers", lang))
    return add_cap_note(fig, limit, above, lang=lang, currency=currency)


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
