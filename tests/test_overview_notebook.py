"""The end-to-end overview notebook (issue 3, item 9) and its helper functions."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbtext import outputs_text

from csworkbench.errors import DataError
from csworkbench.problems import Problems
from csworkbench.reporting import overview

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "analysis" / "overview.ipynb"


@pytest.fixture
def tx():
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "c"],
            "date": pd.to_datetime(["2026-01-03", "2026-02-01", "2026-02-07", "2026-02-09", "2026-03-01"]),
            "amount": [10.0, 5.0, 20.0, -4.0, 7.5],
            "is_return": [False, False, False, True, False],
        }
    )


def test_monthly_and_customer_revenue_by_hand(tx):
    monthly = overview.monthly_revenue(tx)
    assert monthly["month"].tolist() == ["2026-01", "2026-02", "2026-03"]
    assert monthly["revenue"].tolist() == [10.0, 21.0, 7.5]
    assert monthly["customers"].tolist() == [1, 3, 1]
    per = overview.customer_revenue(tx)
    assert per["customer_id"].tolist() == ["b", "a", "c"]
    assert per["revenue"].tolist() == [20.0, 15.0, 3.5]
    head = overview.headline_figures(tx, "en").set_index("key")["value"]
    assert head["customers"] == "3" and head["transactions"] == "5" and head["returns"] == "1"
    assert head["revenue"] == "38.50" and head["revenue_per_customer"] == "12.83"
    assert head["first_date"] == "2026-01-03" and head["last_date"] == "2026-03-01"
    assert overview.headline_figures(tx, "zh")["metric"].iloc[0] == "顾客数"


def test_period_filter_and_empty_period_error(tx):
    assert len(overview.filter_period(tx, "2026-02")) == 3
    assert len(overview.filter_period(tx, "2026")) == 5
    assert len(overview.filter_period(tx, "")) == 5
    with pytest.raises(DataError, match="1990-01.*2026-01-03 to 2026-03-01"):
        overview.filter_period(tx, "1990-01")
    with pytest.raises(DataError, match="period must look like"):
        overview.filter_period(tx, "soon")


def test_figures_and_problem_view(tx):
    fig = overview.monthly_revenue_figure(overview.monthly_revenue(tx), "zh")
    assert fig.layout.title.text == "月度销售额" and list(fig.data[0].y) == [10.0, 21.0, 7.5]
    hist = overview.customer_revenue_figure(overview.customer_revenue(tx), "en")
    assert hist.data[0].type == "histogram" and hist.layout.xaxis.title.text == "Customer's total revenue"
    none = overview.problem_view(pd.DataFrame(columns=["row", "column", "value", "problem", "action"]), "zh")
    assert "未发现数据问题" in none.data
    problems = pd.DataFrame(
        {"row": [3], "column": ["amount"], "value": ["x"], "problem": ["not a number"], "action": ["dropped"]}
    )
    html = overview.problem_view(problems, "zh").to_html()  # a caller's own table: no code to render from
    assert "行" in html and "列" in html and "not a number" in html and "dropped" not in html and "已删除" in html
    coded = Problems()
    coded.add("not_numeric_field", rows=[3], column="amount", values=["x"], action="dropped", field="amount")
    html = overview.problem_view(coded.frame(), "zh").to_html()
    assert "不是数字：amount 必须是数字" in html and "已删除" in html and "not a number" not in html


def test_notebook_hygiene():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in ("data_path", "lang", "title", "period"):
        assert f"{name} =" in tagged[0].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None
            for word in ("def ", "class ", "lambda"):
                assert word not in cell.source
    assert nb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"
    assert (NOTEBOOK.with_suffix(".py")).is_file()


@pytest.mark.notebook
def test_overview_runs_on_a_small_file_with_problems(tmp_path):
    import papermill

    csv = tmp_path / "sales.csv"
    csv.write_text(
        "customer_id,date,amount\n"
        "c1,2026-09-03,10.5\nc1,2026-10-01,5\nc2,2026-10-07,20\nc3,not a date,3\nc2,2026-10-07,20\nc4,2026-10-20,-4\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"data_path": str(csv), "lang": "en", "period": "2026-10"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    nb = nbformat.read(out, as_version=4)
    text = outputs_text(nb)
    assert "Data problems" in text
    assert "expected e.g. 2024-03-31" in text and "duplicate row" in text and "negative amount" in text
    assert "Data problems** (3)" in text
    assert "application/vnd.plotly.v1+json" in text
    assert "Monthly revenue" in text and "Revenue per customer (total)" in text
    assert "2026-10" in text


@pytest.mark.notebook
def test_overview_fails_cleanly_on_an_empty_period(tmp_path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as err:
        papermill.execute_notebook(
            str(NOTEBOOK),
            str(tmp_path / "o.ipynb"),
            parameters={"period": "1990-01"},
            kernel_name="python3",
            progress_bar=False,
        )
    assert err.value.ename == "DataError" and "1990-01" in err.value.evalue
