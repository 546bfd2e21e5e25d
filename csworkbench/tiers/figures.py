"""Figures of customer tiers (客户层级图): the pyramid, the Pareto curve, the RFM grid and uplift.

Every builder takes a result of :mod:`csworkbench.tiers` and returns a plotly figure in the
package's theme (:func:`csworkbench.plots.plotly_template`), labelled in ``lang``:

* :func:`pyramid_figure` — the customer pyramid as a funnel: width = customers, text = shares;
* :func:`lorenz_figure` — the Pareto curve with the equality line and the 20 %/80 % markers;
* :func:`rfm_figure` — customers per R × F score with the mean monetary value on hover;
* :func:`uplift_figure` — uplift per leaf of the bank decision tree with its interval.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.tiers import customer_pyramid, lorenz
>>> pyramid_figure(customer_pyramid(pd.Series(range(1, 101), dtype=float)), lang="en").data[0].type
'funnel'
>>> len(lorenz_figure(lorenz(pd.Series([1.0, 2, 3, 10])), lang="en").data)
3
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from ..i18n import check_language, t
from ..plots import figure_template
from ._base import frame_of
from .concentration import LorenzResult
from .pyramid import tier_summary
from .uplift import UpliftTreeResult

__all__ = ["pyramid_figure", "pyramid_title", "lorenz_figure", "rfm_figure", "uplift_figure", "curve_points"]

#: Largest vertical distance between a drawn curve and the full one (a tenth of a pixel
#: on a 500 px tall chart).
CURVE_TOLERANCE = 2e-4


def _figure(title: str) -> go.Figure:
    fig = go.Figure(layout={"template": figure_template()})
    fig.update_layout(title_text=title, modebar_remove=["lasso2d", "select2d"])
    return fig


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def pyramid_title(summary: Any, lang: str = "zh") -> str:
    """The pyramid's finding: the top tiers that together hold half of the value.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"tier": ["super_heavy", "light", "total"], "tier_label": ["A", "B", "T"],
    ...                   "customer_share": [0.1, 0.9, 1.0], "value_share": [0.6, 0.4, 1.0]})
    >>> pyramid_title(s, "en")
    'The A tier(s) — 10% of customers — hold 60% of the value'
    """
    body = summary[~summary["tier"].isin(["total", "nonpositive"])].reset_index(drop=True)
    top = body[body["value_share"].cumsum().shift(fill_value=0.0) < 0.5]
    sep = "、" if lang == "zh" else ", "
    return t(
        "pages.tiers.t_pyramid",
        lang,
        tiers=sep.join(top["tier_label"]),
        customers=_pct(float(top["customer_share"].sum())),
        share=_pct(float(top["value_share"].sum())),
    )


def pyramid_figure(result: Any, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """The customer pyramid as centred bars: width = customers, text = share of customers and value.

    Parameters
    ----------
    result : TierResult or DataFrame
        The result of :func:`~csworkbench.tiers.customer_pyramid`, or a :func:`~csworkbench.tiers.tier_summary`.

    Examples
    --------
    >>> import pandas as pd
    >>> from csworkbench.tiers import customer_pyramid
    >>> fig = pyramid_figure(customer_pyramid(pd.Series(range(1, 101), dtype=float)), lang="en")
    >>> len(fig.data)
    1
    """
    check_language(lang)
    table = frame_of(result, "the result of customer_pyramid or tier_summary")
    summary = table if "customer_share" in table.columns else tier_summary(table, lang=lang)
    summary = summary[summary["tier"] != "total"]
    fig = _figure(title or pyramid_title(summary, lang))
    fig.add_trace(
        go.Funnel(
            y=summary["tier_label"],
            x=summary["customers"],
            text=[
                t("tier.pyramid_text", lang, c=c, v=v)
                for c, v in zip(summary["customer_share"], summary["value_share"])
            ],
            textinfo="text",
            # inside a wide bar, beside a narrow one (the funnel's default wrote across it)
            textposition="auto",
            orientation="h",
        )
    )
    return fig


def curve_points(x: np.ndarray, y: np.ndarray, *, keep: Any = (), tolerance: float = CURVE_TOLERANCE) -> np.ndarray:
    """Indices of the points of a piecewise-linear curve worth drawing (曲线抽样).

    The curve through the chosen points stays within ``tolerance`` (vertically) of the full
    one at every point: starting from the ends, ``keep`` and 64 evenly spaced points, the
    farthest point of every segment off by more than ``tolerance`` is added until none is.
    A Pareto curve of 2,357 customers needs about a hundred points instead of 2,358.

    Parameters
    ----------
    x, y : arrays
        The curve, ``x`` increasing.
    keep : indices
        Points always drawn (out-of-range indices are ignored).

    Examples
    --------
    >>> x = np.linspace(0, 1, 1001)
    >>> drawn = curve_points(x, np.sqrt(x))
    >>> len(drawn) < 200, float(np.abs(np.interp(x, x[drawn], np.sqrt(x[drawn])) - np.sqrt(x)).max()) <= 2e-4
    (True, True)
    """
    n = len(x)
    if n <= 2:
        return np.arange(n)
    extra = np.asarray(keep, dtype=int).ravel()
    chosen = np.unique(
        np.concatenate([[0, n - 1], np.linspace(0, n - 1, 64).astype(int), extra[(extra >= 0) & (extra < n)]])
    )
    while True:
        error = np.abs(np.interp(x, x[chosen], y[chosen]) - y)
        bad = np.flatnonzero(error > tolerance)
        if not len(bad):
            return chosen
        segment = np.searchsorted(chosen, bad, side="right")
        order = np.lexsort((-error[bad], segment))  # worst point first within each segment
        first = np.concatenate([[True], segment[order][1:] != segment[order][:-1]])
        chosen = np.union1d(chosen, bad[order][first])


def lorenz_figure(result: LorenzResult, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Pareto curve (top customers first) with equality line and the 20 %/80 % markers.

    The curve is drawn through :func:`curve_points` (within :data:`CURVE_TOLERANCE` of the
    full curve, through the ends and the segments of the marked 20 % and 80 % points), so
    the page carries about a hundred points however many customers there are.

    Examples
    --------
    >>> import pandas as pd
    >>> from csworkbench.tiers import lorenz
    >>> fig = lorenz_figure(lorenz(pd.Series([1.0, 2, 3, 10])), lang="en")
    >>> len(fig.data)
    3
    """
    check_language(lang)
    p = result.pareto
    fig = _figure(
        title
        or t("pages.tiers.t_lorenz", lang, share=_pct(float(result.share_for_80)), gini=f"{float(result.gini):.2f}")
    )
    x, y = p["customer_share"].to_numpy(float), p["value_share"].to_numpy(float)
    keep = np.searchsorted(x, [0.2, float(result.share_for_80)])  # the marked points stay exact
    drawn = curve_points(x, y, keep=np.concatenate([keep - 1, keep]))
    fig.add_trace(go.Scatter(x=x[drawn], y=y[drawn], mode="lines", name=t("tier.pareto_curve", lang)))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line={"dash": "dot"}, name=t("tier.equality", lang)))
    fig.add_trace(
        go.Scatter(
            x=[0.2, result.share_for_80],
            y=[result.top20_share, 0.8],
            mode="markers+text",
            text=[
                t("tier.top20_text", lang, y=result.top20_share),
                t("tier.share80_text", lang, x=result.share_for_80),
            ],
            textposition="bottom right",
            name=t("tier.markers", lang),
        )
    )
    fig.update_xaxes(title_text=t("tier.customer_share_top", lang), tickformat=".0%")
    fig.update_yaxes(title_text=t("tier.value_share", lang), tickformat=".0%")
    return fig


def rfm_figure(result: Any, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Heat map of customers per R × F score with the mean monetary value in the hover.

    Parameters
    ----------
    result : RFMResult or DataFrame
        The result of :func:`~csworkbench.tiers.rfm` (or its table).

    Examples
    --------
    >>> import pandas as pd
    >>> from csworkbench.tiers import rfm
    >>> tx = pd.DataFrame({"customer_id": list("abcd"), "amount": [1.0, 2, 3, 4],
    ...                    "date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]})
    >>> rfm_figure(rfm(tx), lang="en").data[0].type
    'heatmap'
    """
    check_language(lang)
    ok = frame_of(result, "the result of rfm").dropna(subset=["R", "F"])
    bins = int(max(ok["R"].max(), ok["F"].max(), 2))
    grid = range(1, bins + 1)
    counts = ok.groupby(["F", "R"]).size().unstack(fill_value=0).reindex(index=grid, columns=grid, fill_value=0)
    money = ok.groupby(["F", "R"])["monetary"].mean().unstack().reindex(index=grid, columns=grid)
    low = float(((ok["R"] <= 2) & (ok["F"] <= 2)).mean()) if len(ok) else 0.0
    fig = _figure(title or t("pages.tiers.t_rfm", lang, share=_pct(low)))
    fig.add_trace(
        go.Heatmap(
            z=counts.to_numpy(),
            x=list(counts.columns),
            y=list(counts.index),
            customdata=money.to_numpy(),
            text=counts.to_numpy(),
            texttemplate="%{text}",
            hovertemplate="R=%{x} F=%{y}: %{z}<br>M=%{customdata:.1f}<extra></extra>",
            colorscale="Blues",
        )
    )
    fig.update_xaxes(title_text=t("rfm.R", lang), dtick=1)
    fig.update_yaxes(title_text=t("rfm.F", lang), dtick=1)
    return fig


def uplift_figure(result: UpliftTreeResult, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Uplift per leaf (experiment − control response rate) with its confidence interval.

    The leaves are named by their rules, written in the language of the tree (``result.lang``);
    ``lang`` sets the title and axis labels.

    Examples
    --------
    >>> from csworkbench.datasets.transactions import make_bank_customers
    >>> from csworkbench.tiers import uplift_tree
    >>> res = uplift_tree(make_bank_customers(2000, random_state=1), "treatment", "response", ["age"], lang="en")
    >>> uplift_figure(res, lang="en").data[0].type
    'bar'
    """
    check_language(lang)
    lv = result.leaves
    fig = _figure(title or t("uplift.title", lang))
    fig.add_trace(
        go.Bar(
            x=lv["uplift"],
            y=lv["rule"],
            orientation="h",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": lv["ci_high"] - lv["uplift"],
                "arrayminus": lv["uplift"] - lv["ci_low"],
            },
            name=t("uplift.uplift", lang),
        )
    )
    fig.update_xaxes(title_text=t("uplift.uplift", lang), tickformat=".0%")
    fig.update_yaxes(autorange="reversed")
    return fig
