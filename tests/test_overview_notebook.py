"""The end-to-end overview notebook (issue 3, item 9) and its helper functions."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbtext import outputs_text, run_notebook

from csworkbench.errors import DataError, ParameterError
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


def test_period_filter_is_the_periods_one(tx):
    assert len(overview.filter_period(tx, "2026-02")) == 3
    assert len(overview.filter_period(tx, "2026-Q1")) == 5
    assert len(overview.filter_period(tx, "")) == 5
    with pytest.raises(DataError, match="1990-01.*2026-01-03 to 2026-03-01"):
        overview.filter_period(tx, "1990-01")
    with pytest.raises(ParameterError, match="period must be"):
        overview.filter_period(tx, "soon")


def test_findings_and_kpis_are_computed_from_the_data(tx):
    from csworkbench.periods import Period

    feb = overview.filter_period(tx, "2026-02")
    jan = overview.filter_period(tx, "2026-01")
    found, actions = overview.overview_findings(
        feb, jan, pd.DataFrame(columns=["action"]), Period.parse("2026-02"), "en", "$"
    )
    # February: 20 + 5 - 4 = 21 from 3 customers; January 10 → +110 %
    assert found[0] == "Feb 2026: 3 customers brought $21.00 in revenue."
    assert found[1] == "Revenue rose 110% against Jan 2026 ($10.00)."
    # top 20 % = ceil(0.6) = 1 customer (b, 20 of 21 → 95 %); nobody bought on two days in February
    assert found[2] == "The top 20% of customers brought 95% of revenue." and found[3].startswith("0% of customers")
    assert actions[0].startswith("Look after the top customers") and "second purchase" in actions[1]
    down, actions = overview.overview_findings(
        jan, feb, pd.DataFrame({"action": ["dropped"] * 2}), Period.parse("2026-01"), "zh"
    )
    assert "下降 52%" in down[1] and "2 行" in down[-1] and any("10%" in a for a in actions)
    kpis = {k["key"]: k for k in overview.overview_kpis(tx, "zh", "¥")}
    assert kpis["revenue"]["value"] == 38.5 and kpis["revenue"]["unit"] == "¥" and kpis["customers"]["value"] == 3
    assert kpis["revenue_per_customer"]["value"] == pytest.approx(38.5 / 3) and kpis["customers"]["kind"] == "count"


def test_figures_state_their_finding(tx):
    fig = overview.monthly_revenue_figure(overview.monthly_revenue(tx), "zh", currency="¥")
    assert fig.layout.title.text == "销售额最高的月份：2026年2月（¥21.00）" and list(fig.data[0].y) == [10.0, 21.0, 7.5]
    assert (
        list(fig.data[0].x) == ["2026年1月", "2026年2月", "2026年3月"] and fig.layout.yaxis.title.text == "销售额（¥）"
    )
    assert set(fig.layout.modebar.remove) == {"lasso2d", "select2d"}
    assert fig.layout.yaxis.tickformat == ","  # 40,000 as in the tables, not plotly's SI "40k"
    hist = overview.customer_revenue_figure(overview.customer_revenue(tx), "en", cap=0.5)
    assert hist.data[0].type == "bar" and hist.layout.xaxis.title.text == "Customer's total revenue"
    # capped at the median (15): b's 20 is counted at 15, and the chart says so; binned here
    # (revenues 3.5, 15, 15 in 40 bins: width 0.5 from 3.5), one count per bin, not one value per customer
    assert hist.data[0].width == 0.5 and list(hist.data[0].customdata[0]) == [3.5, 4.0]
    assert list(hist.data[0].customdata[-1]) == [15.0, 15.5] and hist.data[0].y[-1] == 2 and sum(hist.data[0].y) == 3
    assert hist.layout.annotations[0].text == "1 customers ≥ 15.00"
    assert hist.layout.title.text.startswith("Half of customers spent less than 15.00")


def test_notebook_hygiene():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in ("data_path", "sheet", "column_map", "currency", "lang", "title", "period"):
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
    csv = tmp_path / "sales.csv"
    csv.write_text(
        "customer_id,date,amount\n"
        "c1,2026-09-03,10.5\nc1,2026-10-01,5\nc2,2026-10-07,20\nc3,not a date,3\nc2,2026-10-07,20\nc4,2026-10-20,-4\n",
        encoding="utf-8",
    )
    nb = run_notebook(NOTEBOOK, tmp_path, {"data_path": str(csv), "lang": "en", "period": "2026-10"})
    text = outputs_text(nb)
    assert "Data problems (3)" in text
    assert "expected e.g. 2024-03-31" in text and "duplicate row" in text and "negative amount" in text
    assert "application/vnd.plotly.v1+json" in text
    assert "Best month: Oct 2026" in text


@pytest.mark.notebook
def test_overview_on_a_user_parquet_log_cites_ids_as_written(tmp_path):
    """A Parquet export with Chinese headers and ids with leading zeros, mapped by column_map."""

    from csworkbench.datasets.transactions import make_transactions

    tx = make_transactions(300, random_state=5)
    codes = {c: f"{i:06d}" for i, c in enumerate(tx["customer_id"].unique())}
    tx["customer_id"] = tx["customer_id"].map(codes)
    tx = pd.concat([tx, tx.iloc[[3, 7]]], ignore_index=True)  # two duplicate rows
    tx = tx.rename(columns={"customer_id": "会员号", "date": "消费日期", "amount": "实付金额"})
    path = tmp_path / "订单.parquet"
    tx.to_parquet(path)
    dup_ids = tx["会员号"].iloc[[3, 7]].tolist()
    last = pd.Timestamp(tx["消费日期"].max())
    nb = run_notebook(
        NOTEBOOK,
        tmp_path,
        {
            "data_path": str(path),
            "column_map": {"会员号": "customer_id", "消费日期": "date", "实付金额": "amount"},
            "period": f"{last:%Y}",
            "currency": "¥",
            "lang": "zh",
        },
    )
    text = outputs_text(nb)
    assert all(i in text for i in dup_ids)  # cited with their zeros
    assert "重复行" in text and "数据问题 (2)" in text and "销售额（¥）" in text
    appendix = [c for c in nb.cells if "appendix" in c.metadata.get("tags", [])]
    assert appendix and all(i in outputs_text_of(appendix) for i in dup_ids)
    assert summary_comes_first(nb)
    assert "20% 顾客贡献了" in text and "数据文件中有" not in text  # duplicates are flagged, not dropped
    for demo in ("CDNOW", "00004"):  # nothing of the bundled sample in a report on the user's file
        assert demo not in text


def summary_comes_first(nb) -> bool:
    """The findings block precedes the first table and the first chart; the key figures are published."""
    from csworkbench.reporting.display import KPI_MIME, TABLE_MIME

    outs = [json.dumps(o.get("data", {}), ensure_ascii=False) for c in nb.cells for o in c.get("outputs", [])]
    first = {k: next((i for i, o in enumerate(outs) if k in o), 10**6) for k in ("csw-summary", TABLE_MIME, "plotly")}
    return first["csw-summary"] < min(first[TABLE_MIME], first["plotly"]) and any(KPI_MIME in o for o in outs)


def outputs_text_of(cells):
    return "\n".join(str(o.get("data", o.get("text", ""))) for c in cells for o in c.get("outputs", []))


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


@pytest.mark.notebook
def test_overview_reads_the_named_sheet_of_a_workbook(tmp_path):
    path = tmp_path / "导出.xlsx"
    sales = pd.DataFrame(
        {
            "卡号": ["0001", "0001", "001", "0002"],
            "日期": ["2026-10-01", "2026-10-05", "2026-10-06", "2026-10-07"],
            "金额": [10.0, 20.0, 5.0, 7.0],
        }
    )
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"说明": ["导出说明"]}).to_excel(xl, sheet_name="说明", index=False)
        sales.to_excel(xl, sheet_name="销售", index=False)
    text = outputs_text(
        run_notebook(
            NOTEBOOK,
            tmp_path,
            {
                "data_path": str(path),
                "sheet": "销售",
                "column_map": {"卡号": "customer_id", "日期": "date", "金额": "amount"},
                "lang": "zh",
            },
        )
    )
    # 0001 and 001 are two customers: 3 customers, 42 in revenue
    assert "3 位顾客带来销售额 42.00" in text


@pytest.mark.notebook
@pytest.mark.parametrize(
    ("previous", "finding"),
    [
        # the batch runner's published September figure (60) wins over the file's September rows (10)
        (
            '{"revenue": {"value": 60.0, "ci_low": null, "ci_high": null, "period": "2026-09"}}',
            "Revenue fell 50% against Sep 2026 (60.00).",
        ),
        ("", "Revenue rose 200% against Sep 2026 (10.00)."),  # the file's own September: 30 / 10 − 1
    ],
    ids=["previous_kpis", "same-file"],
)
def test_change_since_last_period_uses_previous_kpis_else_the_file(tmp_path, previous, finding):
    csv = tmp_path / "sales.csv"
    csv.write_text("customer_id,date,amount\na,2026-09-03,10\na,2026-10-01,20\nb,2026-10-07,10\n", encoding="utf-8")
    text = outputs_text(
        run_notebook(
            NOTEBOOK, tmp_path, {"data_path": str(csv), "lang": "en", "period": "2026-10", "previous_kpis": previous}
        )
    )
    assert "Oct 2026: 2 customers brought 30.00 in revenue." in text
    assert finding in text


def test_previous_figure_prefers_previous_kpis():
    from csworkbench.errors import ParameterError
    from csworkbench.periods import Period
    from csworkbench.reporting.inputs import previous_figure

    oct_ = Period.parse("2026-10")
    given = {"revenue": {"value": 60.0, "period": "2026-08"}}
    assert previous_figure(given, "revenue", oct_, fallback=10.0) == (60.0, Period.parse("2026-08"))
    assert previous_figure("", "revenue", oct_, fallback=10.0) == (10.0, Period.parse("2026-09"))
    assert previous_figure("{}", "revenue", oct_, fallback=10.0) == (10.0, Period.parse("2026-09"))
    assert previous_figure("", "revenue", oct_) == (None, None)
    # figures given but not this one (or not a number): no change stated, never the file's
    assert previous_figure({"customers": {"value": 3}}, "revenue", oct_, fallback=10.0) == (None, None)
    assert previous_figure({"revenue": {"value": None}}, "revenue", oct_, fallback=10.0) == (None, None)
    with pytest.raises(ParameterError, match="previous_kpis must be JSON"):
        previous_figure("{oops", "revenue", oct_)
    found, _ = overview.overview_findings(
        pd.DataFrame({"customer_id": ["a"], "amount": [30.0], "date": pd.to_datetime(["2026-10-01"])}),
        60.0,
        pd.DataFrame(columns=["action"]),
        oct_,
        "en",
        previous_period=Period.parse("2026-08"),
    )
    assert found[1] == "Revenue fell 50% against Aug 2026 (60.00)."
