"""Figures and labels of the survey reports (issue 16 items 4 and 8): every item labelled, point labels
clear of the quadrant names and the edges, no selection tools on bars, one language per figure."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from csworkbench import plots
from csworkbench.codes import SERVQUAL_DIMENSIONS
from csworkbench.datasets import load_ecsi
from csworkbench.datasets.servqual import load_cem_example, make_kano_survey, make_servqual_survey
from csworkbench.drivers import column_labels, importance_figure, label_values, relative_weights
from csworkbench.gaps import (
    cem_steps,
    cem_table,
    gap_bar_figure,
    ipa,
    ipa_figure,
    item_heatmap_figure,
    item_label,
    kano_classify,
    kano_figure,
    servqual,
    table_view,
)
from csworkbench.pls import PLSPM, ecsi_model, ipma_figure, path_model_figure
from csworkbench.reporting.display import table_cells

SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
ABBREVIATIONS = re.compile(r"\b(IMAG|EXPE|QUAL|VAL|SAT|LOY|q\d+)\b")


@pytest.fixture(scope="module")
def survey():
    return servqual(make_servqual_survey(120, random_state=4))


@pytest.fixture(scope="module")
def pls():
    model = PLSPM(**ecsi_model()).fit(load_ecsi())
    return model, model.bootstrap(n_boot=20, random_state=1, progress=False)


def _paper(value: float, axis_range) -> float:
    lo, hi = axis_range
    return (value - lo) / (hi - lo)


def _check_clear_map(fig, x_mid: float) -> int:
    """Every point inside the inner band of both axes (the corner names live in paper y < 0.1 and
    y > 0.9), every label pointing towards the middle; returns the number of points checked."""
    corners = [a for a in fig.layout.annotations if a.xref == "paper" and a.yref == "paper"]
    assert len(corners) == 4
    for a in corners:  # quadrant names sit in the corners, in the outer band
        assert a.y <= 0.05 or a.y >= 0.95, a.text
    n = 0
    for trace in fig.data:
        if trace.x is None or trace.mode is None or "text" not in trace.mode:
            continue
        positions = trace.textposition
        positions = [positions] * len(trace.x) if isinstance(positions, str) else list(positions)
        for x, y, pos in zip(trace.x, trace.y, positions):
            px, py = _paper(x, fig.layout.xaxis.range), _paper(y, fig.layout.yaxis.range)
            assert 0.1 <= px <= 0.9 and 0.1 <= py <= 0.82, (x, y, px, py)
            assert pos == ("top right" if x < x_mid else "top left"), (x, pos)
            n += 1
    return n


def test_heatmap_labels_every_item_in_readable_type(survey):
    fig = item_heatmap_figure(survey, lang="zh")
    heat = fig.data[0]
    n_items = len(survey.items)
    assert n_items == 22
    assert list(fig.layout.yaxis.tickvals) == list(heat.y) and len(heat.y) == n_items  # one tick per item
    assert fig.layout.yaxis.tickfont.size >= 11 and heat.textfont.size >= 11
    assert fig.layout.height >= 22 * n_items  # rows tall enough for an 11 px label
    assert all(len(row) == 3 and all(re.fullmatch(r"-?\d+\.\d\d", v) for v in row) for row in heat.text)
    assert not any(ABBREVIATIONS.search(y) for y in heat.y)  # q-numbers spelled out
    assert heat.y[6] == "可靠性 · 第一次就把服务做好"
    # colours: below expectations in the shared "bad" colour, above in "good"
    assert heat.colorscale[0][1] == plots.BAD and heat.colorscale[-1][1] == plots.GOOD
    assert heat.zmin == -heat.zmax


def test_gap_bars_are_coloured_by_sign_and_have_no_selection_tools(survey):
    fig = gap_bar_figure(survey, lang="en")
    colours = list(fig.data[0].marker.color)
    for gap, colour in zip(fig.data[0].y, colours):
        assert colour == (plots.GOOD if gap >= 0 else plots.BAD)
    assert {plots.GOOD, plots.BAD} <= set(colours)  # the synthetic survey has both signs
    assert {"lasso2d", "select2d"} <= set(fig.layout.modebar.remove)


def test_ipa_labels_clear_of_quadrant_names_and_edges(survey):
    dims = survey.dimensions
    table = ipa(
        dims.rename(columns={"dimension": "attribute", "perception": "performance"}),
        dims.rename(columns={"dimension": "attribute"}),
        lang="en",
    )
    fig = ipa_figure(table, lang="en")
    assert _check_clear_map(fig, float(table["performance_cross"].iloc[0])) == 5
    assert {"lasso2d", "select2d"} <= set(fig.layout.modebar.remove)


def test_ipa_extreme_points_stay_inside():
    # a point at each extreme of both axes: without padding its label would touch the edge
    table = pd.DataFrame(
        {
            "attribute": list("abcd"),
            "importance": [1.0, 50.0, 1.0, 50.0],
            "performance": [1.0, 1.0, 7.0, 7.0],
            "quadrant_name": ["x"] * 4,
            "importance_cross": [25.5] * 4,
            "performance_cross": [4.0] * 4,
        }
    )
    assert _check_clear_map(ipa_figure(table, lang="zh"), 4.0) == 4


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kano_points_and_labels(lang):
    fig = kano_figure(kano_classify(make_kano_survey(200, random_state=2), lang=lang), lang=lang)
    assert _check_clear_map(fig, 0.5) == 5
    texts = list(fig.data[0].text)
    assert not any(SNAKE.search(s) for s in texts)  # wifi_on_board → a label
    if lang == "zh":
        assert "车上无线网络" in texts and "满意系数" == fig.layout.yaxis.title.text
        assert not re.search(r"[A-Za-z]{3,}", fig.layout.title.text + fig.layout.xaxis.title.text)
    else:
        assert "On-board Wi-Fi" in texts


def test_ipma_labels_clear_and_in_chinese(pls):
    model, _ = pls
    result = model.ipma("LOY")
    fig = ipma_figure(result, lang="zh")
    x_mid = float(result.table["importance"].mean())
    assert _check_clear_map(fig, x_mid) == len(result.table)
    assert not any(ABBREVIATIONS.search(str(s)) for tr in fig.data for s in tr.text)


def test_path_diagram_speaks_one_language_and_has_no_selection(pls):
    model, boot = pls
    fig = path_model_figure(model, bootstrap=boot, lang="zh")
    visible = [str(s) for tr in fig.data for s in list(tr.text or []) + list(tr.hovertext or [])]
    assert visible and not any(ABBREVIATIONS.search(s) for s in visible)
    assert not any(re.search(r"\d\.\d+e-?\d", s) or "p=0.000" in s for s in visible)
    assert {"lasso2d", "select2d"} <= set(fig.layout.modebar.remove) and fig.layout.dragmode is False


def test_importance_bars_by_construct_name_without_selection(pls):
    data = load_ecsi()
    blocks = ecsi_model()["blocks"]
    scores = pd.DataFrame({c: data[cols].mean(axis=1) for c, cols in blocks.items()})
    weights = relative_weights(scores, "SAT", ["IMAG", "EXPE", "QUAL", "VAL"], n_boot=0)
    fig = importance_figure(weights, lang="zh")
    assert set(fig.data[0].y) == {"企业形象", "期望感受", "感知质量", "感知价值"}
    assert {"lasso2d", "select2d"} <= set(fig.layout.modebar.remove)


def test_driver_tables_show_construct_names(pls):
    model, boot = pls
    paths = boot.summary()
    shown = label_values(paths, "zh")
    assert not shown[["source", "target"]].stack().str.fullmatch(ABBREVIATIONS).any()
    assert column_labels(paths, "en")["source"] == "From"
    quality = label_values(model.quality_, "en")
    assert set(quality["mode"]) == {"Reflective (mode A)"}
    assert label_values(pd.DataFrame({"construct": ["服务", None]}), "zh")["construct"].tolist()[0] == "服务"


def test_cem_step_table_has_unique_headers_in_both_languages():
    steps = cem_steps(cem_table(load_cem_example()), lang="en")
    for lang in ("zh", "en"):
        view = table_view(steps, lang=lang)
        assert view.columns.is_unique, list(view.columns)
        table_cells(view, lang=lang)  # the display layer refuses duplicate headers


def test_item_labels():
    assert item_label("q7", "reliability", "zh") == "第一次就把服务做好"
    assert item_label("q7", "网点环境", "en") == "Item 7"  # a standard number under another dimension
    assert item_label("感知3", "可靠性", "zh") == "感知3"  # the user's own header
    assert item_label(np.int64(5), "x", "en") == "5"
    labels = {item_label(q, d, "en") for d, items in SERVQUAL_DIMENSIONS.items() for q in items}
    assert len(labels) == 22  # 22 distinct wordings
