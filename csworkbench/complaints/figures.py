"""Figures of the complaint report (投诉报告图表): Pareto, control chart, SLA, escalation funnel.

Each function takes the tidy table of :mod:`csworkbench.complaints.analytics` and returns
a plotly figure (no display side effects), labelled through :mod:`csworkbench.i18n` and
styled with the shared theme of :mod:`csworkbench.plots`.  Category names that come from
users' data are HTML-escaped before they reach the figure (plotly renders a subset of
HTML in text).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import plots
from ..i18n import check_language, t
from ..plots import BAD, COLORS, INK, NEUTRAL, figure_template
from .tables import category_label

__all__ = ["pareto_figure", "control_chart_figure", "sla_figure", "funnel_figure"]


def pareto_figure(
    pareto: pd.DataFrame, by: str = "category", *, lang: str = "zh", title: str | None = None, vital_share: float = 80.0
) -> go.Figure:
    """Pareto chart (排列图) of :func:`complaint_pareto`, the vital few in a warning colour."""
    check_language(lang)
    data = pareto.assign(**{by: [category_label(v, lang) for v in pareto[by]]})
    fig = plots.pareto_figure(
        data,
        by,
        "count",
        lang=lang,
        threshold=vital_share,
        title=title if title is not None else t("complaints.pareto_title", lang),
        labels={by: t(f"complaints.col.{by}", lang) if f"complaints.col.{by}" in _keys() else by},
    )
    if title is None and "vital" in pareto.columns and bool(pareto["vital"].any()):
        vital = pareto[pareto["vital"]]
        sep = "、" if lang == "zh" else ", "
        fig.update_layout(
            title_text=t(
                "pages.cx.t_pareto",
                lang,
                names=sep.join(str(v) for v in data.loc[vital.index, by]),
                share=f"{float(vital['cumulative_percent'].iloc[-1]):.0f}%",
            )
        )
    if "vital" in pareto.columns:
        fig.data[0].marker.color = [BAD if v else COLORS[0] for v in pareto["vital"]]
        # the cumulative line in the theme's text colour: in BAD (its default colour) it vanished
        # where it crossed the vital few's bars
        fig.data[1].line.color = INK
        fig.data[0].showlegend = False
        for color, key in ((BAD, "pages.cx.vital"), (COLORS[0], "pages.cx.other")):  # legend of the bar colours
            fig.add_trace(go.Bar(x=[None], y=[None], marker_color=color, name=t(key, lang), hoverinfo="skip"))
    return fig


def _period_label(text: str, lang: str) -> str:
    """``2025-01`` → 2025年1月 / Jan 2025; ``2025Q1``/``2025-Q1`` → 2025年第1季度 / Q1 2025; else as is."""
    from ..errors import ParameterError
    from ..periods import Period

    try:
        return Period.parse(str(text).replace("Q", "-Q").replace("--", "-")).label(lang)
    except ParameterError:
        return str(text)


def _keys():
    from ..i18n import load_catalog

    return load_catalog()


def control_chart_figure(chart: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Control chart of :func:`control_chart`: values, centre line, limits, signals marked."""
    check_language(lang)
    fig = go.Figure(layout={"template": figure_template()})
    x = [_period_label(p, lang) for p in chart["period"].astype(str)]
    fig.add_trace(
        go.Scatter(
            x=x, y=chart["value"], mode="lines+markers", name=t("complaints.value", lang), line={"color": COLORS[0]}
        )
    )
    fig.add_trace(
        go.Scatter(x=x, y=chart["center"], mode="lines", name=t("complaints.center", lang), line={"color": NEUTRAL})
    )
    for col, key in (("ucl", "complaints.ucl"), ("lcl", "complaints.lcl")):
        fig.add_trace(
            go.Scatter(x=x, y=chart[col], mode="lines", name=t(key, lang), line={"color": BAD, "dash": "dash"})
        )
    sig = chart[chart["signal"]]
    fig.add_trace(
        go.Scatter(
            x=[_period_label(p, lang) for p in sig["period"].astype(str)],
            y=sig["value"],
            mode="markers",
            name=t("complaints.signal", lang),
            marker={"color": BAD, "size": 12, "symbol": "x"},
        )
    )
    high = [_period_label(p, lang) for p in chart.loc[chart["signal"] & (chart["value"] > chart["center"]), "period"]]
    sep = "、" if lang == "zh" else ", "
    found = t("pages.cx.t_control_high", lang, periods=sep.join(high)) if high else t("pages.cx.t_control_ok", lang)
    fig.update_layout(
        title=title if title is not None else found,
        modebar_remove=["lasso2d", "select2d"],
        xaxis_title=t("complaints.period", lang),
        yaxis_title=t("complaints.value", lang),
    )
    return fig


def sla_figure(sla: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Median and 90th-percentile hours per handling step against the SLA target."""
    check_language(lang)
    steps = [t(f"complaints.step.{s}", lang) for s in sla["step"]]
    fig = go.Figure(layout={"template": figure_template()})
    fig.add_trace(
        go.Bar(x=steps, y=sla["median_hours"], name=t("complaints.median_hours", lang), marker_color=COLORS[0])
    )
    fig.add_trace(go.Bar(x=steps, y=sla["p90_hours"], name=t("complaints.p90_hours", lang), marker_color=COLORS[5]))
    fig.add_trace(
        go.Scatter(
            x=steps,
            y=sla["target_hours"],
            mode="markers",
            name=t("complaints.target_hours", lang),
            marker={"color": BAD, "symbol": "line-ew-open", "size": 30, "line": {"width": 3}},
        )
    )
    worst = sla.sort_values("within_sla", kind="stable").iloc[0] if len(sla) else None
    found = (
        t(
            "pages.cx.t_sla",
            lang,
            step=t(f"complaints.step.{worst['step']}", lang),
            share=f"{100 * float(worst['within_sla']):.0f}%",
            hours=f"{float(worst['target_hours']):g}",
        )
        if worst is not None
        else t("complaints.sla_title", lang)
    )
    fig.update_layout(
        barmode="group",
        modebar_remove=["lasso2d", "select2d"],
        title=title if title is not None else found,
        yaxis_title=t("complaints.hours", lang),
    )
    return fig


def funnel_figure(funnel: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Escalation funnel: complaints reaching at least each level (1 silent … 5 legal)."""
    check_language(lang)
    fig = go.Figure(
        go.Funnel(
            y=[t(f"complaints.level.{lv}", lang) for lv in funnel["level"]],
            x=funnel["at_least"],
            marker={"color": COLORS[0]},
        ),
        layout={"template": figure_template()},
    )
    high = funnel.loc[funnel["level"] == 4, "share_at_least"] if "share_at_least" in funnel.columns else pd.Series()
    found = (
        t("pages.cx.t_funnel", lang, share=f"{100 * float(high.iloc[0]):.0f}%")
        if len(high)
        else t("complaints.funnel_title", lang)
    )
    fig.update_layout(title=title if title is not None else found)
    return fig
