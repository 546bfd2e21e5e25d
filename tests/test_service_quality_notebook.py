"""The service_quality analysis notebook executes with papermill (defaults on synthetic data, and a data file)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

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
            text.append(
                data.get("text/plain", "")
                + data.get("text/html", "")
                + data.get("text/markdown", "")
                + o.get("text", "")
            )
    return "\n".join(text), figures


def test_notebook_runs_on_synthetic_defaults(tmp_path):
    # a batch-wide period (csw report --period) must not break the synthetic default, which has no periods
    nb = _run(tmp_path, lang="en", n_respondents=60, title="Test run", period="2026-10")
    text, figures = _texts(nb)
    assert figures == 4  # gap bars, item heatmap, IPA map, Kano Better–Worse
    assert "Test run" in text and "No data problems found" in text
    assert "Reliability" in text and "Convenience" in text and "-18.0" in text
    assert "Key experience: Convenience" in text


def test_notebook_on_a_data_file_with_segment_period_and_problems(tmp_path):
    df = make_servqual_survey(80, random_state=2, segments=["north", "south"], periods=["2026-09", "2026-10"])
    df["score"] = df["score"].astype(object)
    first_north = df.index[(df["segment"] == "north") & (df["period"] == "2026-09") & (df["kind"] == "P")][0]
    df.loc[first_north, "score"] = 12  # off the 1–7 scale
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
    # no importance points for the user's own dimension: IPA is skipped with a sentence, not a crash
    assert figures == 3 and "跳过重要性–绩效分析" in text
    assert "超出量表范围" in text
    assert "可靠性" in text and "移情性" in text and "有形性" not in text  # the adapted mapping is used
    assert "网点环境" in text  # a dimension of the user's own (no label in i18n) is shown by its name
    assert "不在" in text or "not in the instrument mapping" in text  # answers to q1–q4 etc. are reported
    assert "便利性" in text
