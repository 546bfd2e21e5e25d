"""Figures of the gap models (差距模型图表): SERVQUAL gap bars, the item heatmap, the IPA map, the Kano plot.

Every builder takes a result of :mod:`csworkbench.gaps` (the result object or the frame named
below), labels it in ``lang`` from the locale files, applies the package theme
(:func:`csworkbench.plots.plotly_template`) and *returns* a ``plotly.graph_objects.Figure`` —
nothing is shown or saved.  This is the only module of :mod:`csworkbench.gaps` that imports plotly.

==========================  ===============================================  ==========================
builder                     draws                                            takes
==========================  ===============================================  ==========================
:func:`gap_bar_figure`      SERVQUAL dimension gaps with their intervals     ``ServqualResult`` / ``.dimensions``
:func:`item_heatmap_figure` item gaps (E, P, P − E, or by group)             ``ServqualResult`` / ``.items``
:func:`ipa_figure`          importance–performance map with quadrants        output of ``ipa``
:func:`kano_figure`         Kano Better–|Worse| plot                         ``KanoResult`` / ``.features``
==========================  ===============================================  ==========================

Examples
--------
>>> from csworkbench.datasets.servqual import make_servqual_survey
>>> from csworkbench.gaps import gap_bar_figure, servqual
>>> fig = gap_bar_figure(servqual(make_servqual_survey(60, random_state=3)), lang="en")
>>> list(fig.data[0].x)[:2], fig.layout.title.text
(['Tangibles', 'Reliability'], 'SERVQUAL dimension gaps (95% CI)')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import plots
from ..errors import ParameterError
from ..i18n import t
from ._common import check_lang, require
from .summary import feature_label, item_label

#: Tools that make no sense on bars, heatmaps and labelled maps (no selection of points to act on).
NO_SELECT = ("lasso2d", "select2d")
#: Share of each axis the points may use in a quadrant map: the rest is margin for the quadrant
#: names in the corners (paper y < 0.1 or > 0.9) and the point labels.
_INNER = (0.16, 0.78)

__all__ = ["gap_bar_figure", "item_heatmap_figure", "ipa_figure", "kano_figure", "padded_range", "inward_positions"]


def _frame(result: Any, attribute: str, what: str) -> pd.DataFrame:
    """The frame to draw: ``result.<attribute>`` of a result object, or ``result`` when it is a frame."""
    frame = getattr(result, attribute, result) if not isinstance(result, pd.DataFrame) else result
    if not isinstance(frame, pd.DataFrame):
        hint = "; call it (e.g. result.summary()) or pass the result itself" if callable(result) else ""
        raise ParameterError(
            f"{what} must be a result of csworkbench.gaps or its .{attribute} frame; got {type(result).__name__}{hint}"
        )
    return frame


def _finish(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(template=plots.figure_template(), title=title, modebar_remove=list(NO_SELECT))
    return fig


def padded_range(values: Any, inner: tuple[float, float] = _INNER) -> list[float]:
    """An axis range that puts ``values`` into the ``inner`` share of the axis (paper coordinates).

    >>> padded_range([0.0, 1.0], (0.25, 0.75))
    [-0.5, 1.5]
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
    span = hi - lo if hi > lo else max(abs(hi), 1.0) * 0.2
    total = span / (inner[1] - inner[0])
    return [lo - inner[0] * total, hi + (1 - inner[1]) * total]


def inward_positions(x: Any, x_mid: float) -> list[str]:
    """Text positions that point each label towards the middle of the map, away from the edges.

    >>> inward_positions([1, 5], 3)
    ['top right', 'top left']
    """
    return ["top right" if float(v) < x_mid else "top left" for v in np.asarray(x, dtype=float)]


def _dim_label(d: Any, lang: str) -> str:
    try:
        return t(f"servqual.{d}", lang)
    except KeyError:  # a dimension of the user's own instrument: shown by its name
        return str(d)


def gap_bar_figure(result: Any, *, lang: str = "zh", title: str | None = None, color: str | None = None) -> go.Figure:
    """Bar chart of the SERVQUAL dimension gaps with their confidence intervals.

    Parameters
    ----------
    result : ServqualResult or DataFrame
        A :func:`~csworkbench.gaps.servqual` result or its ``dimensions`` (``dimension, gap,
        ci_low, ci_high``).
    lang : {"zh", "en"}
    title : str, optional
        Default: the dimension-gaps title in ``lang``.
    color : str, optional
        Group column (segment, period) drawn as separate bars.
    """
    check_lang(lang)
    dimensions = _frame(result, "dimensions", "result")
    require(dimensions, ["dimension", "gap", "ci_low", "ci_high", *([color] if color else [])], "the dimension table")
    fig = go.Figure()
    groups = [(None, dimensions)] if color is None else list(dimensions.groupby(color, sort=False))
    for name, sub in groups:
        fig.add_bar(
            x=[_dim_label(d, lang) for d in sub["dimension"]],
            y=sub["gap"],
            name=None if name is None else str(name),
            marker_color=[plots.GOOD if g >= 0 else plots.BAD for g in sub["gap"]] if color is None else None,
            error_y=dict(
                type="data", symmetric=False, array=sub["ci_high"] - sub["gap"], arrayminus=sub["gap"] - sub["ci_low"]
            ),
        )
    fig.update_layout(
        yaxis_title=t("gaps.axis.gap_pe", lang),
        xaxis_title=t("gaps.axis.dimension", lang),
        barmode="group",
        showlegend=color is not None,
    )
    fig.add_hline(y=0, line_width=1)
    return _finish(fig, title or t("gaps.title.dimension_gaps", lang))


#: Font size (px) of the heatmap's labels and values, and the height of one item row.
HEATMAP_FONT = 12
HEATMAP_ROW = 26


def item_heatmap_figure(
    result: Any, *, lang: str = "zh", title: str | None = None, columns: str | None = None
) -> go.Figure:
    """Heatmap of item gaps: items (grouped by dimension) × expectation/perception/gap, or × a group column.

    Parameters
    ----------
    result : ServqualResult or DataFrame
        A :func:`~csworkbench.gaps.servqual` result or its ``items``.
    lang : {"zh", "en"}
    title : str, optional
    columns : str, optional
        A group column (segment, period) to put across; default the measures E, P, P − E
        (coloured by the gap, every value printed).
    """
    check_lang(lang)
    items = _frame(result, "items", "result")
    require(
        items,
        ["dimension", "item", "expectation", "perception", "gap", *([columns] if columns else [])],
        "the item table",
    )
    rows = [
        f"{_dim_label(d, lang)} · {item_label(it, d, lang)}"
        for d, it in items[["dimension", "item"]].drop_duplicates().itertuples(index=False)
    ]
    if columns is None:
        z = items[["expectation", "perception", "gap"]].to_numpy(dtype=float)
        x = [t("construct.expectation", lang), t("gaps.col.perception", lang), t("gaps.axis.gap_pe", lang)]
        zc = np.column_stack([items["gap"]] * 3)  # scores and gaps on different scales: colour by the gap
    else:
        wide = items.pivot_table(index=["dimension", "item"], columns=columns, values="gap", sort=False, observed=True)
        z = wide.to_numpy(dtype=float)
        x = [str(c) for c in wide.columns]
        zc = z
    lim = float(np.nanmax(np.abs(zc))) if np.isfinite(zc).any() else 1.0
    fig = go.Figure(
        go.Heatmap(
            z=zc,
            x=x,
            y=rows,
            text=[["" if not np.isfinite(v) else f"{v:.2f}" for v in r] for r in z],
            texttemplate="%{text}",
            textfont=dict(size=HEATMAP_FONT),
            colorscale=[[0.0, plots.BAD], [0.5, "#f7f7f7"], [1.0, plots.GOOD]],
            zmin=-lim,
            zmax=lim,
            colorbar=dict(title=t("gaps.axis.gap_pe", lang)),
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    # every item labelled: one tick per row, a row tall enough for a readable font
    fig.update_yaxes(
        autorange="reversed", tickmode="array", tickvals=rows, ticktext=rows, tickfont=dict(size=HEATMAP_FONT)
    )
    fig.update_xaxes(side="top", tickfont=dict(size=HEATMAP_FONT))
    fig.update_layout(height=max(360, HEATMAP_ROW * len(rows) + 160), margin=dict(l=10, r=10, t=110, b=20))
    return _finish(fig, title or t("gaps.title.item_heatmap", lang))


_IPA_CORNERS = (
    ("concentrate", 0.02, 0.98),
    ("keep_up", 0.98, 0.98),
    ("low_priority", 0.02, 0.02),
    ("overkill", 0.98, 0.02),
)
_KANO_CORNERS = (("A", 0.02, 0.98), ("O", 0.98, 0.98), ("I", 0.02, 0.02), ("M", 0.98, 0.02))


def _corner_labels(fig: go.Figure, labels: list[tuple[str, float, float]]) -> None:
    """Quadrant names in the corners of the plot area (paper coordinates), faint."""
    for text, x, y in labels:
        fig.add_annotation(
            text=text,
            xref="paper",
            yref="paper",
            x=x,
            y=y,
            showarrow=False,
            xanchor="left" if x < 0.5 else "right",
            yanchor="top" if y > 0.5 else "bottom",
            opacity=0.6,
        )


def ipa_figure(
    result: pd.DataFrame, *, lang: str = "zh", title: str | None = None, label: Mapping[str, str] | None = None
) -> go.Figure:
    """IPA map: importance × performance with the crosshairs and the quadrant names.

    Parameters
    ----------
    result : DataFrame
        Output of :func:`~csworkbench.gaps.ipa`.
    lang : {"zh", "en"}
    title : str, optional
    label : mapping attribute → display name, optional
    """
    check_lang(lang)
    result = _frame(result, "table", "result")
    require(
        result,
        ["attribute", "importance", "performance", "quadrant_name", "importance_cross", "performance_cross"],
        "the IPA table (output of ipa)",
    )
    names = [(label or {}).get(a, a) for a in result["attribute"]]
    x_cut = float(result["performance_cross"].iloc[0])
    fig = go.Figure(
        go.Scatter(
            x=result["performance"],
            y=result["importance"],
            mode="markers+text",
            text=names,
            textposition=inward_positions(result["performance"], x_cut),
            marker=dict(size=10),
            customdata=result["quadrant_name"],
            hovertemplate="%{text}<br>%{customdata}<extra></extra>",
        )
    )
    fig.add_hline(y=float(result["importance_cross"].iloc[0]), line_dash="dash", line_width=1)
    fig.add_vline(x=x_cut, line_dash="dash", line_width=1)
    _corner_labels(fig, [(t(f"gaps.ipa.{q}", lang), x, y) for q, x, y in _IPA_CORNERS])
    fig.update_xaxes(title=t("gaps.axis.performance", lang), range=padded_range([*result["performance"], x_cut]))
    fig.update_yaxes(title=t("construct.importance", lang), range=padded_range(result["importance"]))
    return _finish(fig, title or t("gaps.title.ipa", lang))


def kano_figure(result: Any, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Kano Better–Worse plot: |Worse| on x, Better on y, quadrants at 0.5.

    Parameters
    ----------
    result : KanoResult or DataFrame
        A :func:`~csworkbench.gaps.kano_classify` result or its ``features`` table.
    lang : {"zh", "en"}
    title : str, optional
    """
    check_lang(lang)
    features = _frame(result, "features", "result")
    require(features, ["feature", "better", "worse", "category_name"], "the Kano feature table")
    fig = go.Figure(
        go.Scatter(
            x=features["worse"].abs(),
            y=features["better"],
            mode="markers+text",
            text=[feature_label(f, lang) for f in features["feature"]],
            textposition=inward_positions(features["worse"].abs(), 0.5),
            marker=dict(size=10),
            customdata=features["category_name"],
            hovertemplate="%{text}<br>%{customdata}<extra></extra>",
        )
    )
    fig.add_hline(y=0.5, line_dash="dash", line_width=1)
    fig.add_vline(x=0.5, line_dash="dash", line_width=1)
    _corner_labels(fig, [(t(f"gaps.kano.{c}", lang), x, y) for c, x, y in _KANO_CORNERS])
    ticks = dict(tickmode="array", tickvals=[0, 0.25, 0.5, 0.75, 1])
    fig.update_xaxes(range=padded_range([0, 1]), title=t("gaps.axis.worse", lang), **ticks)
    fig.update_yaxes(range=padded_range([0, 1]), title=t("gaps.axis.better", lang), **ticks)
    return _finish(fig, title or t("gaps.title.kano", lang))
