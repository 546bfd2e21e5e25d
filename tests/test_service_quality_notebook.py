"""The service_quality analysis notebook executes with papermill (defaults on synthetic data, and a data file)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbtext import text_defects, visible_text

from csworkbench.datasets.servqual import make_servqual_survey

papermill = pytest.importorskip("papermill")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "analysis" / "service_quality.ipynb"
pytestmark = pytest.mark.notebook


def _run(tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters=parameters, kernel_name="python3", cwd=str(tmp_path), progress_bar=False
    )
    return nbformat.read(str(out), as_version=4)


def _texts(nb: nbformat.NotebookNode) -> tuple[str, int]:
    text, figures = [], 0
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.get("output_type") != "error", o
            data = o.get("data", {})
            if "application/vnd.plotly.v1+json" in data:
                figures += 1
                text.append(str(data["application/vnd.plotly.v1+json"]["layout"].get("title", {}).get("text", "")))
            text.append(
                data.get("text/plain", "")
                + data.get("text/html", "")
                + data.get("text/markdown", "")
                + o.get("text", "")
            )
    return "\n".join(text), figures


def test_notebook_runs_on_synthetic_defaults(tmp_path):
    # a batch-wide period (csw report --period) must not break the synthetic default, which has no dates
    nb = _run(tmp_path, lang="en", n_respondents=60, title="Test run", period="2026-10")
    text, figures = _texts(nb)
    assert figures == 4  # gap bars, item heatmap, IPA map, Kano Better–Worse (demo data: course sections shown)
    assert "Test run" in text and "no interview date column" in text
    assert "Key findings" in text and "Recommended actions" in text or "Actions" in text
    assert text.index("Key findings") < text.index("Gaps per dimension")  # the summary opens the page
    assert "Reliability" in text and "Convenience" in text
    assert "Parameters:" not in text and "interactive" not in text
    appendix = [c for c in nb.cells if "appendix" in c.metadata.get("tags", [])]
    assert appendix and any("Cronbach" in str(c.get("outputs")) for c in appendix)
    assert text_defects(visible_text(nb), "en") == {}
    assert "On-board Wi-Fi" in text and "Performs the service right the first time" in visible_text(nb)


def test_chinese_page_speaks_chinese(tmp_path):
    nb = _run(tmp_path, lang="zh", n_respondents=60)
    seen = visible_text(nb)
    assert text_defects(seen, "zh") == {}, text_defects(seen, "zh")
    assert "车上无线网络" in seen and "满意系数" in seen  # Kano features and coefficients by their names
    assert "可靠性 · 第一次就把服务做好" in seen  # heatmap rows by the item's wording
    assert "步骤名称" in seen and "英文名称" not in seen


def test_notebook_on_a_data_file_with_segment_period_and_problems(tmp_path):
    df = make_servqual_survey(80, random_state=2, segments=["north", "south"], periods=["2026-09", "2026-10"])
    df["date"] = df["period"] + "-15"  # interview dates: the period is selected through periods.filter_period
    df["score"] = df["score"].astype(object)
    first_north = df.index[(df["segment"] == "north") & (df["period"] == "2026-09") & (df["kind"] == "P")][0]
    df.loc[first_north, "score"] = 12  # off the 1–7 scale
    bad_id = str(df.loc[first_north, "respondent"])
    path = tmp_path / "answers.csv"
    df.to_csv(path, index=False)
    nb = _run(
        tmp_path,
        data_path=str(path),
        segment_column="segment",
        segment_value="north",
        period="2026-09",
        lang="zh",
        mapping={
            "reliability": ["q5", "q6", "q7", "q8", "q9"],
            "empathy": ["q18", "q19", "q20", "q21", "q22"],
            "网点环境": ["q1", "q2", "q3", "q4"],
        },
    )
    text, figures = _texts(nb)
    # no importance points for the user's own dimension: no IPA; no Kano/CEM demo sections on the user's data
    assert figures == 2, figures
    assert "超出量表范围" in text or "量表" in text
    assert "可靠性" in text and "移情性" in text and "有形性" not in text  # the adapted mapping is used
    assert "网点环境" in text  # a dimension of the user's own (no label in i18n) is shown by its name
    assert "便利性" not in text and "卡诺" not in text  # course examples stay in the lessons
    assert bad_id in text  # the problem is cited by the respondent's id
    assert "2026年9月" in text
    # the unmapped items are listed by the names in the user's file (data names, allowed)
    unmapped = tuple(f"q{i}" for i in range(10, 18))
    assert text_defects(visible_text(nb), "zh", allow=unmapped) == {}, text_defects(visible_text(nb), "zh", unmapped)


def test_notebook_on_a_gb18030_wide_chinese_survey(tmp_path):
    rng = np.random.default_rng(5)
    n = 120
    wide = pd.DataFrame({"问卷编号": [f"{i:06d}" for i in range(1, n + 1)], "门店": rng.choice(["一店", "二店"], n)})
    truth = {1: -1.0, 2: -1.0, 3: 0.0, 4: 0.5}
    for i, shift in truth.items():
        e = rng.integers(4, 7, n)
        wide[f"期望{i}"] = e
        wide[f"感知{i}"] = np.clip(e + np.round(shift + rng.normal(0, 0.6, n)), 1, 7).astype(int)
    wide.loc[4, "感知3"] = 9  # off the scale: respondent 000005
    path = tmp_path / "酒店问卷.csv"
    wide.to_csv(path, index=False, encoding="gb18030")
    nb = _run(tmp_path, data_path=str(path), mapping={"前台服务": [1, 2], "客房": [3, 4]}, lang="zh")
    text, figures = _texts(nb)
    assert figures == 2 and "卡诺" not in text and "便利性" not in text
    assert "000005" in text and "感知3" in text  # cited by the user's id and header, zeros kept
    assert "“前台服务”差距最大" in text  # the chart title states the finding
    assert text_defects(visible_text(nb), "zh") == {}, text_defects(visible_text(nb), "zh")


def test_a_mapping_that_fits_nothing_fails_the_report(tmp_path):
    wide = pd.DataFrame({"id": ["01", "02"], "期望1": [5, 6], "感知1": [4, 6]})
    path = tmp_path / "s.csv"
    wide.to_csv(path, index=False)
    with pytest.raises(papermill.PapermillExecutionError, match="instrument mapping"):
        _run(tmp_path, data_path=str(path), mapping={"可靠性": ["a1"]})


def test_segment_comparison_finds_a_planted_gap_difference(tmp_path):
    # three regions, weighted; in "south" every reliability perception is one point lower
    df = make_servqual_survey(240, random_state=5, segments=["north", "south", "west"])
    rel = df["item"].isin(["q5", "q6", "q7", "q8", "q9"]) & (df["kind"] == "P") & (df["segment"] == "south")
    df.loc[rel, "score"] = (df.loc[rel, "score"] - 1).clip(lower=1)
    rng = np.random.default_rng(0)
    weight = {r: float(rng.uniform(0.5, 2.0)) for r in df["respondent"].unique()}
    df["weight"] = df["respondent"].map(weight)
    path = tmp_path / "regions.csv"
    df.to_csv(path, index=False)
    nb = _run(tmp_path, data_path=str(path), segment_column="segment", weights="weight", lang="en")
    text, figures = _texts(nb)
    assert figures == 4  # gap bars, heatmap, IPA, segment bars
    assert "Segment comparison" in text and "Weighted by the column weight" in text
    # the headline names the planted difference, and it is in the summary at the top
    head = "south has a gap on Reliability"
    assert head in text and text.index(head) < text.index("Gaps per dimension")
    assert "lower than the rest (adjusted p < 0.001)" in text
    table = next(
        o["data"]["application/vnd.csworkbench.table+json"]
        for c in nb.cells
        for o in c.get("outputs", [])
        if "Adjusted p (Holm)" in str(o.get("data", {}).get("application/vnd.csworkbench.table+json", ""))
    )
    assert len(table["cells"]) == 15  # 3 segments × 5 dimensions
    assert text_defects(visible_text(nb), "en", allow=("north", "south", "west")) == {}


def test_segment_comparison_with_two_segments_tests_each_dimension_once(tmp_path):
    df = make_servqual_survey(120, random_state=6, segments=["north", "south"])
    path = tmp_path / "two.csv"
    df.to_csv(path, index=False)
    nb = _run(tmp_path, data_path=str(path), segment_column="segment", lang="zh")
    text, _ = _texts(nb)
    assert "分群比较" in text and "没有显著差异" in text  # no planted difference: none claimed
    assert text.count("north") >= 5 and "其余受访者" not in text  # south is compared with north
