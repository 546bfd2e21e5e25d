"""One look for every chart (统一图表风格): theme, Chinese font and shared figure builders.

The course draws the same few pictures again and again: bars with their uncertainty, the
Pareto chart of complaints (排列图: bars by category in descending order and the cumulative
percentage line on a second axis, COURSE.md §4) and four-quadrant maps such as
importance–performance analysis (IPA, 重要性—表现分析; Martilla & James 1977) or the
Peppers & Rogers customer differentiation matrix (客户差异矩阵).  This module gives them
one theme for plotly (interactive reports) and matplotlib/seaborn (static figures):

* :data:`COLORS` — the palette, the colour-blind-safe set of Okabe & Ito (2008,
  "Color Universal Design"), with :data:`GOOD`, :data:`BAD` and :data:`NEUTRAL` for signed
  results such as gaps;
* :func:`plotly_template` — a ``plotly.graph_objects.layout.Template`` registered as
  ``"csworkbench"``;
* :func:`cjk_font` — a font with Chinese glyphs for matplotlib: Noto Sans CJK SC as shipped
  inside the ``mplfonts`` wheel (no system package, no root, nothing downloaded);
* :func:`apply_theme` — sets all of the above as the defaults of plotly, matplotlib and
  seaborn;
* :func:`ci_bar_figure`, :func:`pareto_figure` (over :func:`csworkbench.complaints.analytics.pareto_table`), :func:`quadrant_figure` —
  figure builders that take a tidy frame plus column names and *return* a plotly figure
  (nothing is shown or saved).

Axis and legend labels come from :mod:`csworkbench.i18n` (keys ``plots.*``) in the
language ``lang`` ("zh" or "en").

Examples
--------
>>> import pandas as pd
>>> from csworkbench import plots
>>> plots.apply_theme()
>>> complaints = pd.DataFrame({"category": ["delay", "attitude", "delay", "price", "delay"]})
>>> fig = plots.pareto_figure(complaints, "category", lang="en")
>>> [trace.type for trace in fig.data]
['bar', 'scatter']
>>> list(fig.data[1].y)
[60.0, 80.0, 100.0]
"""

from __future__ import annotations

import importlib.util
import re
import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .errors import CSWError, DataError, DataWarning
from .i18n import check_language, money_text, t

__all__ = [
    "COLORS",
    "GOOD",
    "BAD",
    "NEUTRAL",
    "INK",
    "PLOTLY_FONT",
    "TEMPLATE_NAME",
    "FontInfo",
    "cjk_font",
    "cjk_font_file",
    "plotly_template",
    "figure_template",
    "apply_theme",
    "ci_bar_figure",
    "pareto_figure",
    "quadrant_figure",
    "cap_long_tail",
    "add_cap_note",
    "histogram_edges",
    "histogram_bars",
]

#: The palette (Okabe & Ito 2008, colour-blind safe), in the order traces use it.
COLORS: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#7F7F7F",  # grey
)
#: Colour of a favourable result (e.g. perception above expectation).
GOOD: str = "#009E73"
#: Colour of an unfavourable result (e.g. a negative gap).
BAD: str = "#D55E00"
#: Colour of reference lines and neutral marks.
NEUTRAL: str = "#7F7F7F"
#: The theme's text colour (titles, labels); also for a line drawn across coloured bars.
INK: str = "#2b2b2b"

#: Font stack for plotly (rendered by the browser): CJK-capable fonts first.
PLOTLY_FONT = (
    "CSW CJK, Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, "
    "WenQuanYi Micro Hei, SimHei, Helvetica, Arial, sans-serif"
)
# "CSW CJK" is the subset of the bundled font that a report page embeds (reporting.page.font_face;
# CJK glyphs only, so Latin text falls through to the next family); unknown elsewhere, so skipped.
#: Name under which :func:`plotly_template` registers the theme in ``plotly.io.templates``.
TEMPLATE_NAME = "csworkbench"

# Fonts shipped in the mplfonts wheel, best first (file names under mplfonts/fonts/).
_MPLFONTS_FILES = ("NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf", "SimHei.ttf")
_SYSTEM_CJK_NAMES = re.compile(r"CJK|Source Han Sans|WenQuanYi|SimHei|YaHei|PingFang|Heiti|Droid Sans Fallback")
_PROBE = "顾客满意度"


class FontInfo(NamedTuple):
    """A font registered with matplotlib: its family ``name`` and its file ``path``."""

    name: str
    path: Path


def _has_glyphs(path: Path, text: str) -> bool:
    from matplotlib.ft2font import FT2Font

    charmap = FT2Font(str(path)).get_charmap()
    return all(ord(ch) in charmap for ch in text)


def _mplfonts_file() -> Path | None:
    """Path of a CJK font inside the installed mplfonts package, found without importing it."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for name in _MPLFONTS_FILES:
            candidate = Path(location) / "fonts" / name
            if candidate.is_file():
                return candidate
    return None


def cjk_font_file() -> Path | None:
    """The bundled CJK font file (Noto Sans CJK SC from the mplfonts wheel) without importing
    matplotlib; ``None`` when mplfonts is not installed.  Report pages embed a subset of it.

    >>> path = cjk_font_file()
    >>> path is None or path.suffix in (".otf", ".ttf")
    True
    """
    return _mplfonts_file()


@lru_cache(maxsize=1)
def cjk_font() -> FontInfo:
    """Register a Chinese-capable font with matplotlib and return its name and file.

    The font is Noto Sans CJK SC from the ``mplfonts`` wheel (a regular dependency, so
    ``pip install`` brings it; no root, no download at run time).  Only the font file is
    used; none of mplfonts' functions are called.  Without mplfonts, an installed system
    font with Chinese glyphs (Noto/Source Han, WenQuanYi, SimHei, …) is used instead.

    Returns
    -------
    FontInfo
        ``name`` (the family to put in ``font.sans-serif``) and ``path``.

    Raises
    ------
    CSWError
        If no font with Chinese glyphs can be found.

    Examples
    --------
    >>> font = cjk_font()
    >>> font.name
    'Noto Sans CJK SC'
    >>> font.path.suffix
    '.otf'
    """
    from matplotlib import font_manager

    path = _mplfonts_file()
    if path is None:
        for entry in font_manager.fontManager.ttflist:
            if _SYSTEM_CJK_NAMES.search(entry.name) and _has_glyphs(Path(entry.fname), _PROBE):
                path = Path(entry.fname)
                break
    if path is None:
        raise CSWError(
            "no font with Chinese glyphs found: expected the mplfonts package "
            "(pip install mplfonts, it is in pyproject.toml) or a system CJK font such as Noto Sans CJK"
        )
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    return FontInfo(name=name, path=path)


def plotly_template() -> go.layout.Template:
    """The workbench's plotly template, registered as ``plotly.io.templates["csworkbench"]``.

    Built on ``plotly_white`` with the :data:`COLORS` palette and a CJK-first font stack
    (:data:`PLOTLY_FONT`).  Calling it does not change the default template; see
    :func:`apply_theme`.

    Returns
    -------
    plotly.graph_objects.layout.Template

    Examples
    --------
    >>> import plotly.io as pio
    >>> template = plotly_template()
    >>> template.layout.colorway[0] == COLORS[0]
    True
    >>> "csworkbench" in pio.templates
    True
    """
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.colorway = list(COLORS)
    template.layout.font = {"family": PLOTLY_FONT, "size": 14, "color": INK}
    template.layout.title = {"x": 0.02, "xanchor": "left", "font": {"size": 18}}
    template.layout.hoverlabel = {"font": {"family": PLOTLY_FONT}}
    template.layout.legend = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}
    pio.templates[TEMPLATE_NAME] = template
    return template


def figure_template() -> go.layout.Template:
    """The registered ``plotly.io.templates["csworkbench"]`` (:func:`plotly_template` builds and
    registers it the first time): the template the package's figures use.

    Building the template takes ~0.04 s (it copies ``plotly_white``) and registering it
    another 0.02 s; every figure of a report did both before.  A template registered under
    that name by the user is used as it is.

    >>> figure_template() is figure_template()
    True
    """
    if TEMPLATE_NAME not in pio.templates:
        plotly_template()
    return pio.templates[TEMPLATE_NAME]


def apply_theme() -> None:
    """Make the workbench theme the default for plotly, matplotlib and seaborn.

    * plotly: registers :func:`plotly_template` and makes it ``pio.templates.default``;
    * seaborn: ``seaborn.set_theme(style="whitegrid", palette=COLORS)``;
    * matplotlib (after seaborn, which resets fonts): the :func:`cjk_font` family first in
      ``font.sans-serif`` and ``axes.unicode_minus = False`` (CJK fonts lack U+2212, the
      typographic minus), so Chinese titles and labels render without missing glyphs.

    Call it once at the top of a notebook; it is idempotent.

    Examples
    --------
    >>> import matplotlib
    >>> apply_theme()
    >>> matplotlib.rcParams["font.sans-serif"][0]
    'Noto Sans CJK SC'
    >>> import plotly.io as pio
    >>> pio.templates.default
    'csworkbench'
    """
    import matplotlib as mpl
    import seaborn as sns

    plotly_template()
    pio.templates.default = TEMPLATE_NAME
    sns.set_theme(context="notebook", style="whitegrid", palette=list(COLORS))
    font = cjk_font()
    others = [name for name in mpl.rcParams["font.sans-serif"] if name != font.name]
    mpl.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [font.name, *others],
            "axes.unicode_minus": False,
        }
    )


# ----------------------------------------------------------------------------- helpers


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{where}: expected a pandas DataFrame; got {type(frame).__name__}")
    for column in columns:
        if column not in frame.columns:
            raise DataError(
                f"{where}: expected a column {column!r}; the frame has {list(map(str, frame.columns))}",
                column=column,
            )


def _numeric(frame: pd.DataFrame, column: str, where: str) -> np.ndarray:
    """Column as float (NaN kept); text that is not a number is an error naming the row."""
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"{where}: expected numbers; found {frame[column].iloc[pos]!r}", column=column, row=pos + 1)
    return values.to_numpy(dtype=float)


def _label(column: str, labels: Mapping[str, str] | None) -> str:
    return str(labels.get(column, column)) if labels else str(column)


def _figure(title: str | None) -> go.Figure:
    fig = go.Figure(layout={"template": figure_template()})
    if title:
        fig.update_layout(title_text=title)
    return fig


# ----------------------------------------------------------------------------- figures


def ci_bar_figure(
    frame: pd.DataFrame,
    x: str,
    y: str,
    low: str,
    high: str,
    *,
    color: str | None = None,
    orientation: str = "v",
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Bars with their confidence interval (置信区间) as error whiskers.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per bar.
    x : str
        Column of bar names (categories).
    y : str
        Column of the estimates (bar heights).
    low, high : str
        Columns of the interval bounds; NaN means "no interval" (no whisker, the bar
        is still drawn).  A missing estimate stays a gap, it is not drawn as zero.
    color : str, optional
        Bar colour; default the first of :data:`COLORS`.
    orientation : {"v", "h"}
        Vertical bars (categories on the x axis) or horizontal bars.
    title : str, optional
        Figure title.
    labels : mapping, optional
        Display names for the columns (axis titles), e.g. from :func:`csworkbench.i18n.labels`.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace with asymmetric error bars ``high − y`` and ``y − low``.

    Raises
    ------
    DataError
        A column is missing or not numeric, or a bound lies on the wrong side of the
        estimate (``low > y`` or ``high < y``; the row is named).

    Examples
    --------
    >>> import pandas as pd
    >>> est = pd.DataFrame({"driver": ["quality", "value"], "weight": [0.5, 0.2],
    ...                     "ci_low": [0.4, 0.1], "ci_high": [0.7, 0.25]})
    >>> fig = ci_bar_figure(est, "driver", "weight", "ci_low", "ci_high")
    >>> [round(v, 2) for v in fig.data[0].error_y.array]
    [0.2, 0.05]
    """
    where = "ci_bar_figure"
    _require_columns(frame, [x, y, low, high], where)
    if orientation not in ("v", "h"):
        raise DataError(f"{where}: orientation must be 'v' or 'h'; got {orientation!r}")
    est = _numeric(frame, y, where)
    lo = _numeric(frame, low, where)
    hi = _numeric(frame, high, where)
    with np.errstate(invalid="ignore"):
        for column, wrong in ((low, lo > est), (high, hi < est)):
            if wrong.any():
                pos = int(np.flatnonzero(wrong)[0])
                side = "at most" if column == low else "at least"
                raise DataError(
                    f"{where}: the interval bound must be {side} the estimate {est[pos]:g}; found {frame[column].iloc[pos]!r}",
                    column=column,
                    row=pos + 1,
                )
    plus = [None if np.isnan(v) else float(v) for v in hi - est]
    minus = [None if np.isnan(v) else float(v) for v in est - lo]
    names = frame[x].astype(str).tolist()
    values = [None if np.isnan(v) else float(v) for v in est]
    error = {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus, "color": NEUTRAL}
    bar = go.Bar(
        x=names if orientation == "v" else values,
        y=values if orientation == "v" else names,
        orientation=orientation,
        marker_color=color or COLORS[0],
        error_y=error if orientation == "v" else None,
        error_x=error if orientation == "h" else None,
        customdata=np.column_stack([lo, hi]),
        hovertemplate="%{"
        + ("x" if orientation == "v" else "y")
        + "}: %{"
        + ("y" if orientation == "v" else "x")
        + ":.3g} [%{customdata[0]:.3g}, %{customdata[1]:.3g}]<extra></extra>",
        name=_label(y, labels),
    )
    fig = _figure(title)
    fig.add_trace(bar)
    cat_axis, val_axis = ("xaxis", "yaxis") if orientation == "v" else ("yaxis", "xaxis")
    fig.update_layout(
        {
            cat_axis: {"title": {"text": _label(x, labels)}, "type": "category"},
            val_axis: {"title": {"text": _label(y, labels)}},
            "showlegend": False,
        }
    )
    return fig


def pareto_figure(
    frame: pd.DataFrame,
    category: str,
    count: str | None = None,
    *,
    lang: str = "zh",
    title: str | None = None,
    threshold: float | None = 80.0,
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """The Pareto chart (排列图): bars by category, descending, and the cumulative-% line.

    Parameters
    ----------
    frame, category, count
        As in :func:`~csworkbench.complaints.analytics.pareto_table` (``count=None`` counts rows).
    lang : {"zh", "en"}
        Language of the axis titles and the default title.
    title : str, optional
        Figure title; default "排列图" / "Pareto chart".
    threshold : float or None, default 80
        Draw a dashed reference line at this cumulative percentage (the 80/20 rule);
        ``None`` for none.
    labels : mapping, optional
        Display name of the ``category`` column (x-axis title).

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0: bars (counts, left axis); trace 1: the cumulative percentage line on the
        right axis ``y2`` (0–100 %), which ends at 100.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"dept": ["sales", "repair", "billing"], "n": [5, 30, 15]})
    >>> fig = pareto_figure(counts, "dept", "n", lang="en")
    >>> list(fig.data[0].x), list(fig.data[0].y)
    (['repair', 'billing', 'sales'], [30.0, 15.0, 5.0])
    >>> fig.data[1].yaxis, fig.layout.yaxis2.title.text
    ('y2', 'Cumulative percentage')
    """
    check_language(lang)
    from .complaints.analytics import pareto_table

    table = pareto_table(frame, category, count)
    names = table[category].astype(str).tolist()
    fig = _figure(title if title is not None else t("plots.pareto_title", lang))
    fig.add_trace(
        go.Bar(
            x=names,
            y=table["count"].tolist(),
            name=t("plots.count", lang),
            marker_color=COLORS[0],
            customdata=table["percent"].to_numpy(),
            hovertemplate="%{x}: %{y:.4g} (%{customdata:.1f}%)<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=names,
            y=table["cumulative_percent"].tolist(),
            yaxis="y2",
            mode="lines+markers",
            name=t("plots.cumulative_percent", lang),
            line={"color": COLORS[3]},
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis={
            "title": {"text": _label(category, labels)},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": names,
        },
        yaxis={"title": {"text": t("plots.count", lang)}, "rangemode": "tozero"},
        yaxis2={
            "title": {"text": t("plots.cumulative_percent", lang)},
            "overlaying": "y",
            "side": "right",
            "range": [0, 101],
            "tickmode": "array",
            "tickvals": [0, 20, 40, 60, 80, 100],
            "ticksuffix": "%",
            "showgrid": False,
        },
        showlegend=True,
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0},
        modebar_remove=["lasso2d", "select2d"],
    )
    if threshold is not None:
        fig.add_shape(
            type="line",
            xref="paper",
            x0=0,
            x1=1,
            yref="y2",
            y0=threshold,
            y1=threshold,
            line={"color": NEUTRAL, "dash": "dash", "width": 1},
        )
        fig.add_annotation(  # at the right, above the short bars (at the left it ran into the tallest)
            xref="paper",
            x=1.0,
            yref="y2",
            y=threshold,
            text=t("plots.pareto_threshold", lang, share=f"{threshold:g}"),
            showarrow=False,
            xanchor="right",
            yanchor="bottom",
            font={"color": NEUTRAL, "size": 11},
        )
    return fig


_QUADRANT_KEYS = ("plots.quadrant_1", "plots.quadrant_2", "plots.quadrant_3", "plots.quadrant_4")
_QUADRANT_CORNERS = (
    (0.99, 0.99, "right", "top"),
    (0.01, 0.99, "left", "top"),
    (0.01, 0.01, "left", "bottom"),
    (0.99, 0.01, "right", "bottom"),
)


def quadrant_figure(
    frame: pd.DataFrame,
    x: str,
    y: str,
    label: str,
    x_cut: float | None = None,
    y_cut: float | None = None,
    quadrant_labels: Sequence[str] | None = None,
    *,
    lang: str = "zh",
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """A four-quadrant map (四象限图), e.g. importance–performance or the customer matrix.

    Points are split by the cut lines ``x = x_cut`` and ``y = y_cut`` into the quadrants
    numbered as in mathematics: I upper right (x ≥ x_cut, y ≥ y_cut), II upper left,
    III lower left, IV lower right.  A point on a cut line belongs to the upper / right side.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per point.
    x, y : str
        Numeric columns for the axes (e.g. ``performance`` and ``importance``).
    label : str
        Column of the text drawn next to each point.
    x_cut, y_cut : float, optional
        Where to cut; default the mean of the column (the usual IPA choice; pass the scale
        midpoint for the other convention).
    quadrant_labels : sequence of 4 str, optional
        Names of quadrants I, II, III, IV (legend entries and corner annotations); default
        "第一象限 (I)" … / "Quadrant I" ….  For IPA with x = performance and y = importance:
        ``["继续保持", "重点改进", "低优先", "可能过度"]``.
    lang : {"zh", "en"}
        Language of the default quadrant names.
    title : str, optional
        Figure title.
    labels : mapping, optional
        Display names for ``x`` and ``y`` (axis titles).

    Returns
    -------
    plotly.graph_objects.Figure
        One scatter trace per non-empty quadrant (named by its quadrant label,
        ``customdata`` holds the quadrant number 1–4), a dashed vertical and horizontal cut
        line (``layout.shapes``) and four corner annotations.

    Warns
    -----
    DataWarning
        Rows with a missing ``x`` or ``y`` cannot be placed; they are left out and named.

    Raises
    ------
    DataError
        Missing or non-numeric column, or ``quadrant_labels`` not of length 4.

    Examples
    --------
    >>> import pandas as pd
    >>> ipa = pd.DataFrame({"attribute": ["speed", "price", "staff", "parking"],
    ...                     "performance": [4.5, 2.0, 4.0, 2.5], "importance": [4.8, 4.6, 3.0, 2.0]})
    >>> fig = quadrant_figure(ipa, "performance", "importance", "attribute", x_cut=3, y_cut=4, lang="en")
    >>> {trace.name: list(trace.text) for trace in fig.data}
    {'Quadrant I': ['speed'], 'Quadrant II': ['price'], 'Quadrant III': ['parking'], 'Quadrant IV': ['staff']}
    """
    where = "quadrant_figure"
    check_language(lang)
    _require_columns(frame, [x, y, label], where)
    if quadrant_labels is None:
        quadrant_labels = [t(key, lang) for key in _QUADRANT_KEYS]
    elif isinstance(quadrant_labels, str) or len(quadrant_labels) != 4:
        raise DataError(f"{where}: quadrant_labels must name 4 quadrants (I, II, III, IV); got {quadrant_labels!r}")
    xs, ys = _numeric(frame, x, where), _numeric(frame, y, where)
    texts = frame[label].astype(str).to_numpy()
    missing = np.isnan(xs) | np.isnan(ys)
    if missing.any():
        rows = (np.flatnonzero(missing) + 1).tolist()
        warnings.warn(
            f"{where}: {int(missing.sum())} point(s) without {x!r} or {y!r} left out of the map: "
            f"rows {rows} ({', '.join(texts[missing][:10])})",
            DataWarning,
            stacklevel=2,
        )
    keep = ~missing
    if not keep.any():
        raise DataError(f"{where}: no row has both {x!r} and {y!r}; nothing to draw", column=x)
    x_cut = float(np.mean(xs[keep])) if x_cut is None else float(x_cut)
    y_cut = float(np.mean(ys[keep])) if y_cut is None else float(y_cut)
    right, up = xs >= x_cut, ys >= y_cut
    quadrant = np.select([right & up, ~right & up, ~right & ~up], [1, 2, 3], default=4)
    fig = _figure(title)
    for number, name in enumerate(quadrant_labels, start=1):
        members = keep & (quadrant == number)
        if not members.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=xs[members].tolist(),
                y=ys[members].tolist(),
                text=texts[members].tolist(),
                customdata=np.full(int(members.sum()), number),
                mode="markers+text",
                textposition="top center",
                name=str(name),
                marker={"color": COLORS[(number - 1) % len(COLORS)], "size": 10},
                hovertemplate="%{text}: (%{x:.3g}, %{y:.3g})<extra>" + str(name) + "</extra>",
            )
        )
    line = {"color": NEUTRAL, "dash": "dash", "width": 1}
    fig.add_shape(type="line", xref="x", x0=x_cut, x1=x_cut, yref="paper", y0=0, y1=1, line=line)
    fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=y_cut, y1=y_cut, line=line)
    for name, (px, py, xanchor, yanchor) in zip(quadrant_labels, _QUADRANT_CORNERS):
        fig.add_annotation(
            text=str(name),
            xref="paper",
            yref="paper",
            x=px,
            y=py,
            xanchor=xanchor,
            yanchor=yanchor,
            showarrow=False,
            font={"color": NEUTRAL},
        )
    fig.update_layout(xaxis_title_text=_label(x, labels), yaxis_title_text=_label(y, labels))
    return fig


def cap_long_tail(values: pd.Series, cap: float = 0.99) -> tuple[pd.Series, float, int]:
    """A long-tailed series capped at its ``cap`` quantile for a histogram.

    Returns ``(shown, limit, above)``: the values clipped at ``limit`` (so the customers above it
    are counted in the last bar), the quantile itself, and how many values lie above it.

    >>> shown, limit, above = cap_long_tail(pd.Series([1.0, 2, 3, 100]), cap=0.5)
    >>> float(shown.max()), limit, above
    (2.5, 2.5, 2)
    """
    limit = float(values.quantile(cap)) if len(values) else 0.0
    return values.clip(upper=limit), limit, int((values > limit).sum())


def add_cap_note(fig: go.Figure, limit: float, above: int, *, lang: str, currency: str = "") -> go.Figure:
    """Label the last bar of a :func:`cap_long_tail` histogram: "n customers ≥ limit" (nothing when none)."""
    if above:
        fig.add_annotation(
            x=limit,
            y=1,
            yref="paper",
            text=t("pages.overview.capped", lang, n=f"{above:,}", limit=money_text(limit, currency)),
            showarrow=False,
            xanchor="right",
            yanchor="bottom",
        )
    return fig


def histogram_edges(values: pd.Series | np.ndarray, nbins: int = 50) -> np.ndarray:
    """Bin edges of a histogram with at most about ``nbins`` bins of a round width.

    The width is the smallest of 1, 2 or 5 × 10ᵏ that covers the range in ``nbins`` bins (as
    plotly picks its automatic bins); the first edge is the multiple of the width at or below
    the smallest value and the last edge lies above the largest, so every bin is ``[lo, hi)``.

    >>> histogram_edges(pd.Series([0.3, 7.0, 41.0]), nbins=10).tolist()
    [0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0]
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not len(v):
        return np.array([0.0, 1.0])
    low, high = float(v.min()), float(v.max())
    rough = (high - low) / max(int(nbins), 1) or max(abs(low), 1.0) / max(int(nbins), 1)
    base = 10.0 ** np.floor(np.log10(rough))
    size = base * next(m for m in (1, 2, 5, 10) if m * base >= rough * (1 - 1e-12))
    start = np.floor(low / size) * size
    count = int(np.floor((high - start) / size)) + 1
    edges = start + size * np.arange(count + 1)
    if edges[-1] <= high:  # rounding of start + size·count
        edges = np.append(edges, edges[-1] + size)
    decimals = max(0, -int(np.floor(np.log10(size))))
    return np.round(edges, decimals + 6)


def histogram_bars(values: pd.Series | np.ndarray, *, nbins: int = 50, name: str = "") -> go.Bar:
    """A histogram counted here and drawn as bars: only the bins travel to the page.

    A ``go.Histogram`` ships every value for plotly to bin (27 kB for 2,357 customers); this
    bar trace carries one count per bin of :func:`histogram_edges`.  The hover shows the bin's
    range and its count (``lo - hi`` and the count with thousands separators).  Lay the bars
    out as a histogram with ``bargap=0`` (or the gap wanted).

    >>> bars = histogram_bars(pd.Series([0.3, 7.0, 41.0]), nbins=10)
    >>> bars.y.tolist(), bars.width
    ([1, 1, 0, 0, 0, 0, 0, 0, 1], 5.0)
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    edges = histogram_edges(v, nbins)
    counts = np.bincount(np.searchsorted(edges, v, side="right") - 1, minlength=len(edges) - 1)
    size = float(edges[1] - edges[0])
    digits = max(0, -int(np.floor(np.log10(size))))
    low, high = (f"%{{customdata[{i}]:,.{digits}f}}" for i in (0, 1))
    return go.Bar(
        x=(edges[:-1] + edges[1:]) / 2,
        y=counts[: len(edges) - 1],
        width=size,
        customdata=np.column_stack([edges[:-1], edges[1:]]),
        hovertemplate=f"{low} - {high}<br>%{{y:,}}<extra></extra>",
        marker={"line": {"width": 0}},
        name=name,
    )
