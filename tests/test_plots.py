"""The shared theme renders Chinese, and the figure builders draw what they promise."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from csworkbench import plots
from csworkbench.complaints.analytics import pareto_table
from csworkbench.errors import DataError, DataWarning

CHINESE = "顾客满意度"
LABELS = ["有形性", "可靠性", "响应性", "保证性", "移情性"]


@pytest.fixture
def themed():
    """Apply the theme for one test, then restore matplotlib and plotly defaults."""
    old_template = pio.templates.default
    with matplotlib.rc_context():
        plots.apply_theme()
        yield
    pio.templates.default = old_template


def missing_glyphs(font_path: str, text: str) -> list[str]:
    charmap = FT2Font(font_path).get_charmap()
    return [ch for ch in text if not ch.isspace() and ord(ch) not in charmap]


def render_png(fig) -> list[str]:
    """Save to PNG and return the text of every 'Glyph … missing' warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]


# ------------------------------------------------------------------------------ font


def test_cjk_font_is_the_noto_font_shipped_in_mplfonts():
    font = plots.cjk_font()
    assert font.name == "Noto Sans CJK SC"
    assert font.path.is_file()
    assert "mplfonts" in font.path.parts, f"expected the font from the mplfonts wheel, got {font.path}"
    assert missing_glyphs(str(font.path), CHINESE + "".join(LABELS) + "排列图累计百分比") == []


def test_chinese_label_is_drawn_with_a_font_that_has_its_glyphs(themed):
    fig, ax = plt.subplots()
    try:
        ax.plot([-2, -1, 0, 1], [0.5, -0.5, 1, 2])  # negative ticks: the minus sign must render too
        title = ax.set_title(CHINESE)
        xlabel = ax.set_xlabel("重要性 (importance)")
        for text in (title, xlabel):
            used = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
            assert missing_glyphs(used, text.get_text()) == [], f"{Path(used).name} lacks glyphs"
            assert Path(used) == plots.cjk_font().path
        assert render_png(fig) == []
    finally:
        plt.close(fig)


def test_seaborn_plot_with_chinese_categories_renders_without_missing_glyphs(themed):
    import seaborn as sns

    fig, ax = plt.subplots()
    try:
        sns.barplot(x=LABELS, y=[-0.4, 0.2, -1.1, 0.3, 0.0], ax=ax)
        ax.set_ylabel("差距 P − E")
        for tick in ax.get_xticklabels():
            used = font_manager.findfont(tick.get_fontproperties(), fallback_to_default=False)
            assert missing_glyphs(used, tick.get_text()) == []
        assert render_png(fig) == []
    finally:
        plt.close(fig)


def test_the_glyph_checks_do_catch_a_latin_only_font():
    """Negative control: without the theme, DejaVu Sans is used and the checks fail."""
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        try:
            title = ax.set_title(CHINESE)
            used = font_manager.findfont(title.get_fontproperties(), fallback_to_default=False)
            assert Path(used).name.startswith("DejaVuSans")
            assert missing_glyphs(used, CHINESE) == list(CHINESE)
            assert render_png(fig), "expected 'Glyph missing' warnings for Chinese text in DejaVu Sans"
        finally:
            plt.close(fig)


def test_apply_theme_sets_matplotlib_seaborn_and_plotly_defaults(themed):
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    cycle = [matplotlib.colors.to_hex(c["color"]) for c in matplotlib.rcParams["axes.prop_cycle"]]
    assert cycle[:3] == [c.lower() for c in plots.COLORS[:3]]
    assert pio.templates.default == "csworkbench"
    assert go.Figure().layout.template.layout.colorway == tuple(plots.COLORS)
    plots.apply_theme()  # idempotent
    assert matplotlib.rcParams["font.sans-serif"].count("Noto Sans CJK SC") == 1


def test_plotly_template_is_registered_with_palette_and_cjk_font():
    template = plots.plotly_template()
    assert isinstance(template, go.layout.Template)
    assert pio.templates["csworkbench"].layout.colorway == tuple(plots.COLORS)
    assert template.layout.font.family.startswith("CSW CJK, Noto Sans CJK SC")  # the embedded subset first
    assert len(set(plots.COLORS)) == len(plots.COLORS)


def test_figures_use_the_registered_template_built_once():
    """The package's figures take the registered template (built on first use, not per
    figure); a user's own template registered under the name is honoured."""
    built = plots.figure_template()
    assert plots.figure_template() is built is pio.templates["csworkbench"]
    mine = go.layout.Template(built)
    mine.layout.font.size = 31
    saved = pio.templates["csworkbench"]
    pio.templates["csworkbench"] = mine
    try:
        fig = plots.pareto_figure(COMPLAINTS, "category", "n", lang="zh")
        assert fig.layout.template.layout.font.size == 31
    finally:
        pio.templates["csworkbench"] = saved
    assert plots.pareto_figure(COMPLAINTS, "category", "n", lang="zh").layout.template.layout.font.size == 14


# ------------------------------------------------------------------------------ Pareto


COMPLAINTS = pd.DataFrame({"category": ["价格", "态度", "质量", "环境", "设施"], "n": [15, 50, 30, 0, 5]})


def test_pareto_figure_sorts_descending_and_the_cumulative_line_ends_at_100():
    fig = plots.pareto_figure(COMPLAINTS, "category", "n", lang="zh")
    assert len(fig.data) == 2
    bars, line = fig.data
    assert (bars.type, line.type) == ("bar", "scatter")
    assert list(bars.x) == ["态度", "质量", "价格", "设施", "环境"]
    assert list(bars.y) == [50, 30, 15, 5, 0]
    assert np.all(np.diff(bars.y) <= 0)
    np.testing.assert_allclose(line.y, [50, 80, 95, 100, 100])
    assert line.y[-1] == 100.0
    assert line.yaxis == "y2"
    assert fig.layout.yaxis2.overlaying == "y" and fig.layout.yaxis2.side == "right"
    assert fig.layout.title.text == "排列图"
    assert fig.layout.yaxis2.title.text == "累计百分比"
    assert [s.y0 for s in fig.layout.shapes] == [80.0]


def test_pareto_figure_counts_rows_and_speaks_english():
    records = pd.DataFrame({"department": ["repair"] * 3 + ["billing"] * 6 + ["sales"]})
    fig = plots.pareto_figure(records, "department", lang="en", threshold=None)
    assert list(fig.data[0].x) == ["billing", "repair", "sales"]
    np.testing.assert_allclose(fig.data[1].y, [60, 90, 100])
    assert fig.layout.title.text == "Pareto chart"
    assert fig.layout.yaxis.title.text == "Count"
    assert fig.layout.shapes == ()


def test_pareto_table_sums_repeated_categories_and_keeps_ties_in_order():
    frame = pd.DataFrame({"c": ["b", "a", "b", "c"], "n": [1.0, 2.0, 1.0, 4.0]})
    table = pareto_table(frame, "c", "n")
    assert list(table.columns) == ["c", "count", "percent", "cumulative_percent"]
    assert table["c"].tolist() == ["c", "b", "a"]  # b and a tie at 2: first appearance first
    assert table["count"].tolist() == [4.0, 2.0, 2.0]
    np.testing.assert_allclose(table["percent"], [50, 25, 25])


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=30).filter(lambda xs: sum(xs) > 0))
def test_pareto_table_properties(counts):
    frame = pd.DataFrame({"cat": [f"k{i}" for i in range(len(counts))], "n": counts})
    table = pareto_table(frame, "cat", "n")
    assert table["count"].sum() == sum(counts)
    assert np.all(np.diff(table["count"]) <= 0)
    assert np.all(np.diff(table["cumulative_percent"]) >= -1e-9)
    assert table["cumulative_percent"].iloc[-1] == 100.0


@pytest.mark.parametrize(
    ("frame", "count", "column", "row"),
    [
        (pd.DataFrame({"category": ["a", "b"], "n": [3, -1]}), "n", "n", 2),
        (pd.DataFrame({"category": ["a", "b"], "n": [3, np.nan]}), "n", "n", 2),
        (pd.DataFrame({"category": ["a", "b"], "n": [3, "many"]}), "n", "n", 2),
        (pd.DataFrame({"category": ["a", None, "c"], "n": [3, 1, 2]}), "n", "category", 2),
        (pd.DataFrame({"category": ["a", "b"]}), "freq", "freq", None),
        (pd.DataFrame({"category": ["a", "b"], "n": [0, 0]}), "n", "n", None),
    ],
    ids=["negative", "missing-count", "text-count", "missing-category", "no-column", "zero-total"],
)
def test_pareto_bad_input_names_column_and_row(frame, count, column, row):
    with pytest.raises(DataError) as info:
        plots.pareto_figure(frame, "category", count)
    assert info.value.column == column
    assert info.value.row == row


# ------------------------------------------------------------------------------ bars


def test_ci_bar_figure_draws_asymmetric_error_bars():
    frame = pd.DataFrame(
        {"driver": ["质量", "价值", "形象"], "w": [0.5, 0.2, 0.1], "lo": [0.4, 0.1, np.nan], "hi": [0.7, 0.25, np.nan]}
    )
    fig = plots.ci_bar_figure(frame, "driver", "w", "lo", "hi", labels={"w": "权重"})
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert list(bar.x) == ["质量", "价值", "形象"]
    np.testing.assert_allclose(bar.error_y.array[:2], [0.2, 0.05])
    np.testing.assert_allclose(bar.error_y.arrayminus[:2], [0.1, 0.1])
    assert bar.error_y.array[2] is None and bar.error_y.arrayminus[2] is None  # no interval, not zero
    assert fig.layout.yaxis.title.text == "权重"


def test_ci_bar_figure_horizontal_and_missing_estimate_stays_missing():
    frame = pd.DataFrame({"k": ["a", "b"], "y": [1.0, np.nan], "lo": [0.5, np.nan], "hi": [2.0, np.nan]})
    fig = plots.ci_bar_figure(frame, "k", "y", "lo", "hi", orientation="h")
    bar = fig.data[0]
    assert list(bar.y) == ["a", "b"] and list(bar.x) == [1.0, None]
    np.testing.assert_allclose(bar.error_x.array[:1], [1.0])


def test_ci_bar_figure_rejects_an_interval_that_misses_the_estimate():
    frame = pd.DataFrame({"k": ["a", "b"], "y": [1.0, 2.0], "lo": [0.5, 2.5], "hi": [2.0, 3.0]})
    with pytest.raises(DataError) as info:
        plots.ci_bar_figure(frame, "k", "y", "lo", "hi")
    assert (info.value.column, info.value.row) == ("lo", 2)


# ------------------------------------------------------------------------------ quadrants


IPA = pd.DataFrame(
    {
        "attribute": ["响应速度", "价格", "员工态度", "停车", "环境"],
        "performance": [4.5, 2.0, 4.0, 2.5, 3.0],
        "importance": [4.8, 4.6, 3.0, 2.0, 4.0],
    }
)


def test_quadrant_figure_puts_each_point_in_its_quadrant():
    names = ["继续保持", "重点改进", "低优先", "可能过度"]
    fig = plots.quadrant_figure(IPA, "performance", "importance", "attribute", x_cut=3, y_cut=4, quadrant_labels=names)
    members = {trace.name: list(trace.text) for trace in fig.data}
    # on the cut lines (环境: 3.0, 4.0) counts as upper right
    assert members == {
        "继续保持": ["响应速度", "环境"],
        "重点改进": ["价格"],
        "低优先": ["停车"],
        "可能过度": ["员工态度"],
    }
    assert [int(trace.customdata[0]) for trace in fig.data] == [1, 2, 3, 4]
    assert [a.text for a in fig.layout.annotations] == names
    vertical, horizontal = fig.layout.shapes
    assert (vertical.x0, vertical.x1, horizontal.y0, horizontal.y1) == (3, 3, 4, 4)


def test_quadrant_figure_default_cuts_are_the_means_and_empty_quadrants_have_no_trace():
    frame = pd.DataFrame({"k": ["a", "b", "c"], "x": [1.0, 2.0, 6.0], "y": [1.0, 2.0, 6.0]})
    fig = plots.quadrant_figure(frame, "x", "y", "k", lang="en")
    vertical, horizontal = fig.layout.shapes
    assert vertical.x0 == pytest.approx(3.0) and horizontal.y0 == pytest.approx(3.0)
    assert [trace.name for trace in fig.data] == ["Quadrant I", "Quadrant III"]
    assert len(fig.layout.annotations) == 4


def test_quadrant_figure_reports_points_it_cannot_place():
    frame = IPA.assign(importance=[4.8, np.nan, 3.0, 2.0, 4.0])
    with pytest.warns(DataWarning, match=r"rows \[2\] \(价格\)"):
        fig = plots.quadrant_figure(frame, "performance", "importance", "attribute", x_cut=3, y_cut=4)
    assert sum(len(trace.x) for trace in fig.data) == 4


def test_quadrant_figure_bad_input():
    with pytest.raises(DataError, match="4 quadrants"):
        plots.quadrant_figure(IPA, "performance", "importance", "attribute", quadrant_labels=["a", "b"])
    with pytest.raises(DataError) as info:
        plots.quadrant_figure(IPA, "performance", "satisfaction", "attribute")
    assert info.value.column == "satisfaction"
