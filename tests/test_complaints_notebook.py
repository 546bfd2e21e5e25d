"""The complaints report notebook runs (papermill) and keeps hostile complaint text inert in HTML."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbtext import run_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "analysis" / "complaints.ipynb"
PAYLOADS = ("<script>alert('xss')</script>", '<img src=x onerror="alert(1)">')


def test_notebook_is_clean_and_paired():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in (
        "data_path",
        "sheet",
        "column_map",
        "period",
        "freq",
        "lang",
        "label",
        "model_path",
        "keyword_mode",
        "title",
    ):
        assert f"{name} =" in tagged[0].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None
            assert "def " not in cell.source and "lambda" not in cell.source
    assert nb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Run once on a hostile English log with Chinese-free custom headers and PII in every story."""
    import papermill

    from csworkbench.datasets.complaints import make_complaints

    tmp = tmp_path_factory.mktemp("nb")
    log = make_complaints(150, lang="en", pii_share=1.0, random_state=7)
    log["story"] = log["story"] + " " + PAYLOADS[0] + " " + PAYLOADS[1]
    log = log.rename(columns={"complaint_id": "Ticket", "story": "Text"})
    path = tmp / "log.csv"
    log.to_csv(path, index=False)
    out = tmp / "out.ipynb"
    params = {
        "data_path": str(path),
        "column_map": {"Ticket": "complaint_id", "Text": "story"},
        "lang": "en",
        "title": "Report " + PAYLOADS[0],
    }
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters=params, kernel_name="python3", progress_bar=False, cwd=str(tmp)
    )
    return nbformat.read(out, as_version=4), log, params


def test_notebook_runs_with_every_section(executed):
    nb, log, _ = executed
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    text = "\n".join(json.dumps(o.get("data", {}), ensure_ascii=False) for c in nb.cells for o in c.get("outputs", []))
    assert text.count("application/vnd.plotly.v1+json") >= 4  # Pareto, control chart, SLA, funnel
    for heading in (
        "Key findings",
        "Data problems",
        "The vital few",
        "Counts per period",
        "control limits",
        "Handling time",
        "Escalation",
        "Repeat complainers",
        "masked",
    ):
        assert heading in text, heading
    assert "word of mouth" not in text  # a course section (lesson 09), not part of a report
    assert "application/vnd.csworkbench.kpi+json" in text
    outs = [json.dumps(o.get("data", {}), ensure_ascii=False) for c in nb.cells for o in c.get("outputs", [])]
    first = {k: next(i for i, o in enumerate(outs) if k in o) for k in ("csw-summary", "csworkbench.table", "plotly")}
    assert first["csw-summary"] < min(first["csworkbench.table"], first["plotly"])  # findings first
    assert "Macro-F1" in text and "Keyword baseline" in text


def test_html_report_escapes_and_masks(executed):
    from nbconvert import HTMLExporter

    nb, log, params = executed
    pages = [HTMLExporter().from_notebook_node(nb)[0]]
    try:
        from csworkbench.reporting.html import export_html
    except ImportError:  # pragma: no cover - reporting engine absent
        pass
    else:
        pages.append(export_html(nb, title=params["title"], parameters=params, lang="en", plotly_src=None))
    for html in pages:
        assert "&lt;script&gt;alert(" in html or "&lt;script&gt;alert(&#x27;" in html
        assert "<script>alert(" not in html
        assert "<img src=x onerror" not in html and '<img src="x" onerror' not in html
        for phone in log["contact"].astype(str):
            if phone.isdigit():
                assert phone not in html
        for name in log["complainant"].head(20):
            assert name not in html


@pytest.mark.notebook
def test_report_on_200_chinese_complaints_of_a_user(tmp_path):
    """A GB18030 CSV with Chinese headers, ids with leading zeros, no handling steps and no contact."""
    from nbtext import outputs_text

    from csworkbench.datasets.complaints import make_complaints

    log = make_complaints(200, lang="zh", random_state=4)
    log["complaint_id"] = [f"{i:06d}" for i in range(200)]
    raw = log[["complaint_id", "date", "story", "category", "channel"]].rename(
        columns={
            "complaint_id": "投诉编号",
            "date": "投诉日期",
            "story": "投诉内容",
            "category": "类别",
            "channel": "渠道",
        }
    )
    raw.loc[5, "投诉内容"] = ""  # dropped and cited by its id
    path = tmp_path / "投诉.csv"
    raw.to_csv(path, index=False, encoding="gb18030")
    nb = run_notebook(NOTEBOOK, tmp_path, {"data_path": str(path), "label": "类别", "period": "2025-Q3", "lang": "zh"})
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    text = outputs_text(nb)
    in_q3 = raw["投诉日期"].between("2025-07-01", "2025-09-30 23:59:59")
    in_q2 = raw["投诉日期"].between("2025-04-01", "2025-06-30 23:59:59")
    n, before = int(in_q3.sum()), int(in_q2.sum())
    assert f"2025年第3季度：共收到 {n} 件投诉" in text and f"（{before} 件）" in text
    assert "000005" in text  # the blank story is cited by the id the user wrote
    vital = log.loc[in_q3, "category"].value_counts()
    assert "产品质量" in text.split("关键少数")[0] or vital.index[0] != "product_quality"
    # sections whose inputs are absent do not appear; no course sections
    for absent in ("处理时效", "重复投诉的顾客", "沉默的不满顾客", "口碑"):
        assert absent not in text, absent


def test_complaint_findings_compare_with_a_given_previous_count():
    """The count of the previous period may come from the batch runner's previous_kpis (a number,
    with its period) instead of the previous period's rows."""
    import pandas as pd

    from csworkbench.complaints import complaint_findings
    from csworkbench.periods import Period

    log = pd.DataFrame({"category": ["delivery"] * 8 + ["billing"] * 2})
    pareto = pd.DataFrame(
        {
            "category": ["delivery", "billing"],
            "count": [8, 2],
            "cumulative_percent": [80.0, 100.0],
            "vital": [True, False],
        }
    )
    oct_ = Period.parse("2026-10")
    found, _ = complaint_findings(log, 20.0, pareto, oct_, previous_period=Period.parse("2026-08"), lang="en")
    assert found[0] == "Oct 2026: 10 complaints, 50% fewer than Aug 2026 (20)."
    found, _ = complaint_findings(log, log.iloc[:4], pareto, oct_, lang="en")
    assert found[0] == "Oct 2026: 10 complaints, 150% more than Sep 2026 (4)."
    found, _ = complaint_findings(log, None, pareto, oct_, lang="en")
    assert found[0].startswith("Oct 2026: 10 complaints") and "than" not in found[0]


@pytest.mark.notebook
@pytest.mark.parametrize("given", [True, False], ids=["previous_kpis", "same-file"])
def test_report_for_a_period_classifies_once_and_compares_with_the_previous_period(tmp_path, given):
    """A month of the synthetic log: classify_log runs once (on the rows up to the month's end), the
    month's complaints are those of the month, and the change uses the runner's previous_kpis when
    given, else the log's previous month."""
    import papermill

    from csworkbench.periods import Period
    from csworkbench.reporting.inputs import complaints_input

    source = complaints_input("", n_synthetic=300, lang="en")
    months = source.data["date"].dt.to_period("M")
    counts = months.value_counts()
    month = next(m for m in counts.index if (m - 1) in counts.index)  # the busiest month with a month before it
    period = Period.parse(f"{month.year}-{month.month:02d}")
    n = int((months == month).sum())
    before = int((months == month - 1).sum())
    out = tmp_path / "out.ipynb"
    previous = json.dumps({"complaints": {"value": 2 * n, "ci_low": None, "ci_high": None, "period": "2020-01"}})
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={
            "n_synthetic": 300,
            "lang": "en",
            "period": period.text,
            "previous_kpis": previous if given else "",
        },
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    nb = nbformat.read(out, as_version=4)
    assert sum("cx.classify_log(" in c.source for c in nb.cells if c.cell_type == "code") == 1
    text = "\n".join(json.dumps(o.get("data", {}), ensure_ascii=False) for c in nb.cells for o in c.get("outputs", []))
    if given:
        assert f"{n:,} complaints, 50% fewer than Jan 2020 ({2 * n:,})." in text
    else:
        change = n / before - 1
        word = "more" if change >= 0 else "fewer"
        expected = (
            f"{n:,} complaints, {100 * abs(change):.0f}% {word} than {period.previous().label('en')} ({before:,})."
        )
        assert expected in text


@pytest.mark.notebook
def test_report_on_three_unlabelled_complaints_says_why_there_are_no_topics(tmp_path):
    """Three complaints, no categories: the report is published, the topics section says why there
    is no topic model (5 complaints a topic), the complainant's phone is masked."""

    path = tmp_path / "cx.csv"
    path.write_text(
        "投诉编号,日期,投诉内容,联系方式\n"
        "A1,2026-10-01,快递太慢了，三天还没到,13800138000\nA2,2026-10-03,客服态度很差,13800138000\n"
        "A3,2026-10-05,价格比别家贵,010-62345678\n",
        encoding="utf-8",
    )
    nb = run_notebook(NOTEBOOK, tmp_path, {"data_path": str(path), "lang": "en", "n_topics": 4})
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    text = "\n".join(json.dumps(o.get("data", {}), ensure_ascii=False) for c in nb.cells for o in c.get("outputs", []))
    assert "Only 3 complaints: too few to find 4 topics (at least 20 are needed)" in text
    assert "All data: 3 complaints." in text and "1 customers complained more than once." in text
    assert "13800138000" not in text and "62345678" not in text
