"""Figures of PLS path models (路径图与重要性-绩效图): :func:`path_model_figure`, :func:`ipma_figure`.

Course concept: drawing the satisfaction research model (顾客满意度研究模型, COURSE.md §2) — the
ECSI/ACSI chain with its path coefficients and R² — and the importance–performance map (IPMA,
重要性-绩效分析) that says which driver to improve first.  Figures are returned, never shown.

Reference: Ringle, C. M., Sarstedt, M. (2016) the importance-performance map analysis.
*Industrial Management & Data Systems* 116, 1865–1886.

Examples
--------
>>> from csworkbench.datasets import load_ecsi
>>> from csworkbench.pls import PLSPM, ecsi_model, ipma_figure, path_model_figure
>>> model = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi())
>>> len(path_model_figure(model, lang="en").layout.annotations)
10
>>> ipma_figure(model.ipma("LOY"), lang="en").layout.xaxis.title.text
'Importance (total effect)'
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .. import plots
from ..i18n import t
from .bootstrap import PLSBootstrap
from .ipma import IPMAResult
from .model import PLSPM
from .specs import construct_label

__all__ = ["path_model_figure", "ipma_figure"]

_LAYOUTS = {
    # hand-placed so that no arrow runs through a construct
    frozenset(["IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY"]): {
        "IMAG": (1.0, 1.5),
        "EXPE": (0.0, 0.0),
        "QUAL": (0.8, -1.6),
        "VAL": (2.3, -1.2),
        "SAT": (3.0, 0.3),
        "LOY": (4.2, 1.5),
    },
    frozenset(["EXPE", "QUAL", "VAL", "SAT", "COMP", "LOY"]): {
        "EXPE": (0.0, 1.0),
        "QUAL": (0.0, -1.0),
        "VAL": (1.2, -1.3),
        "SAT": (2.4, 0.0),
        "COMP": (3.6, -1.2),
        "LOY": (3.6, 1.2),
    },
}


def _positions(names: list[str], adj: np.ndarray) -> dict[int, tuple[float, float]]:
    """Node positions: the hand-made ECSI/ACSI layouts, else layers by longest path (zig-zag)."""
    known = _LAYOUTS.get(frozenset(names))
    if known:
        return {i: known[n] for i, n in enumerate(names)}
    L = adj.shape[0]
    depth = [0] * L
    for _ in range(L):
        for i, j in zip(*np.nonzero(adj)):
            depth[j] = max(depth[j], depth[i] + 1)
    pos = {}
    for d in sorted(set(depth)):
        members = [i for i in range(L) if depth[i] == d]
        shift = 0.0 if len(members) > 1 else (0.6 if d % 2 else -0.6)
        for r, i in enumerate(members):
            pos[i] = (float(d), (len(members) - 1) / 2 - r + shift)
    return pos


def path_model_figure(
    model: PLSPM,
    *,
    bootstrap: PLSBootstrap | None = None,
    lang: str = "zh",
    title: str | None = None,
    digits: int = 2,
) -> go.Figure:
    """Path diagram of a fitted :class:`~csworkbench.pls.PLSPM`: constructs (with R²) and
    coefficients on the arrows (``*``: p < 0.05; blue positive, red negative, width by size).

    Parameters
    ----------
    model : PLSPM
        A fitted model.
    bootstrap : PLSBootstrap, optional
        ``model.bootstrap(...)``: its path intervals are shown on hover.
    lang : {"zh", "en"}
        Language of the construct labels and the title.
    title : str, optional
        Figure title; default "PLS path model (GoF = …)".
    digits : int
        Decimals of the coefficients and R² drawn.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    model.check_fitted("paths_")
    names, adj = model._st.names, model._st.adj
    pos = _positions(names, adj)
    ci = bootstrap.paths.set_index(["source", "target"]) if bootstrap is not None else None
    fig = go.Figure(layout={"template": plots.figure_template()})
    annotations = []
    for _, row in model.paths_.iterrows():
        (x0, y0), (x1, y1) = pos[names.index(row["source"])], pos[names.index(row["target"])]
        annotations.append(_path_arrow(x0, y0, x1, y1, row["estimate"]))
        label = f"{row['estimate']:.{digits}f}" + ("*" if row["p_value"] < 0.05 else "")
        hover = (
            f"{construct_label(row['source'], lang)} → {construct_label(row['target'], lang)}: "
            f"{row['estimate']:.3f} (p {_p_text(row['p_value'])})"
        )
        if ci is not None and bootstrap is not None:
            c = ci.loc[(row["source"], row["target"])]
            pct = f"{100 * bootstrap.confidence:g}"
            hover += f"<br>{t('drivers.ci_pct', lang, pct=pct)}: [{c['ci_low']:.3f}, {c['ci_high']:.3f}]"
        fig.add_trace(
            go.Scatter(
                x=[(x0 + x1) / 2],
                y=[(y0 + y1) / 2],
                mode="text",
                text=[label],
                hovertext=[hover],
                hoverinfo="text",
                textfont=dict(size=13),
                showlegend=False,
            )
        )
    xs = [pos[i][0] for i in range(len(names))]
    ys = [pos[i][1] for i in range(len(names))]
    fig.add_trace(_construct_nodes(model, names, xs, ys, lang, digits))
    fig.update_layout(
        annotations=annotations,
        title=title if title is not None else f"{t('drivers.path_model', lang)} (GoF = {model.gof_:.3f})",
        xaxis=dict(visible=False, range=[min(xs) - 0.5, max(xs) + 0.5]),
        yaxis=dict(visible=False, range=[min(ys) - 0.8, max(ys) + 0.8]),
        height=480,
        margin=dict(l=20, r=20, t=60, b=20),
        dragmode=False,
        modebar_remove=list(_NO_TOOLS),
    )
    return fig


#: A path diagram and a labelled map have no points to select.
_NO_TOOLS = ("lasso2d", "select2d")


def _p_text(p: float) -> str:
    """``< 0.001`` or ``= 0.012`` (never 0.0 or e-notation)."""
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _path_arrow(x0: float, y0: float, x1: float, y1: float, estimate: float) -> dict:
    """The arrow annotation of one path: blue if positive, red if negative, width by size."""
    return dict(
        x=x1,
        y=y1,
        ax=x0,
        ay=y0,
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        showarrow=True,
        arrowhead=3,
        arrowsize=1.2,
        arrowwidth=1 + 4 * abs(estimate),
        standoff=28,
        startstandoff=28,
        arrowcolor="#1f77b4" if estimate >= 0 else "#d62728",
        opacity=0.8,
        text="",
    )


def _construct_nodes(
    model: PLSPM, names: list[str], xs: list[float], ys: list[float], lang: str, digits: int
) -> go.Scatter:
    """The constructs as labelled circles, with R² for the endogenous ones."""
    node_text = [
        construct_label(n, lang) + (f"<br>R²={model.r2_[n]:.{digits}f}" if n in model.r2_.index else "") for n in names
    ]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="markers+text",
        text=node_text,
        textposition="middle center",
        marker=dict(size=78, color="#eef3fb", line=dict(color="#1f4e79", width=2)),
        hovertext=[construct_label(n, lang) for n in names],
        hoverinfo="text",
        showlegend=False,
    )


def ipma_figure(result: IPMAResult, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Importance–performance map from :meth:`PLSPM.ipma <csworkbench.pls.PLSPM.ipma>` (the shared
    :func:`csworkbench.plots.quadrant_figure`).

    x = importance (total effect), y = performance (0–100), cut at the means; quadrants:
    I keep up the good work, II possible overkill, III low priority, IV concentrate here.

    >>> import pandas as pd
    >>> from csworkbench.pls import IPMAResult
    >>> table = pd.DataFrame({"construct": ["IMAG", "VAL"], "importance": [0.1, 0.3],
    ...                       "importance_std": [0.3, 0.5], "performance": [70.0, 60.0]})
    >>> fig = ipma_figure(IPMAResult(table, "SAT", 65.0), lang="en")
    >>> fig.layout.title.text
    'Importance-performance map (IPMA) — Customer satisfaction'
    """
    frame = result.table.assign(label=[construct_label(c, lang) for c in result.table["construct"]])
    default = f"{t('drivers.ipma_title', lang)} — {construct_label(result.target, lang)}"
    fig = plots.quadrant_figure(
        frame,
        "importance",
        "performance",
        "label",
        quadrant_labels=[t(f"drivers.ipma_q{i}", lang) for i in range(1, 5)],
        lang=lang,
        title=title if title is not None else default,
        labels={"importance": t("drivers.importance_total", lang), "performance": t("drivers.performance", lang)},
    )
    return _clear_of_corners(fig, frame["importance"], frame["performance"])


def _clear_of_corners(fig: go.Figure, x, y) -> go.Figure:
    """Labels kept clear of the quadrant names in the corners and of the edges: the points use the
    middle of each axis (paper 0.16–0.78), each label points towards the middle of the map."""
    from ..gaps.figures import inward_positions, padded_range

    x_mid = float(np.nanmean(np.asarray(x, dtype=float)))
    for trace in fig.data:
        trace.textposition = inward_positions(trace.x, x_mid)
    fig.update_xaxes(range=padded_range(x))
    fig.update_yaxes(range=padded_range(y))
    fig.update_layout(modebar_remove=list(_NO_TOOLS))
    return fig
