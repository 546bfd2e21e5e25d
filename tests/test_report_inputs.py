"""The report notebooks' input side: the user's file, headers, sheet and period (issue 15, item 5)."""

from __future__ import annotations

import pandas as pd
import pytest

from csworkbench.errors import DataError, ParameterError
from csworkbench.reporting.inputs import (
    cite_ids,
    complaints_input,
    problem_summary,
    read_input,
    transactions_input,
)

MAP = {"会员号": "customer_id", "消费日期": "date", "消费金额": "amount"}


@pytest.fixture
def log():
    return pd.DataFrame(
        {
            "会员号": ["000123", "000123", "0456", "456", "0456", "0789", "0456"],
            "消费日期": [
                "2026-09-03",
                "2026-10-01",
                "2026-10-07",
                "not a date",
                "2026-10-07",
                "2026-10-20",
                "2026-11-02",
            ],
            "消费金额": ["10.5", "5", "20", "3", "20", "-4", "7"],
        }
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx", "parquet"])
def test_ids_keep_their_zeros_in_every_format(tmp_path, log, kind):
    path = tmp_path / f"sales.{kind}"
    if kind == "csv":
        log.to_csv(path, index=False, encoding="utf-8")
    elif kind == "xlsx":
        with pd.ExcelWriter(path) as xl:
            pd.DataFrame({"x": [1]}).to_excel(xl, sheet_name="说明", index=False)
            log.to_excel(xl, sheet_name="销售", index=False)
    else:
        log.to_parquet(path)
    got = transactions_input(path, sheet="销售" if kind == "xlsx" else "", column_map=MAP, today="2027-01-01")
    # 0456 and 456 stay two customers; 000123 is not 123
    assert sorted(got.data["customer_id"].unique()) == ["000123", "0456", "0789"]
    assert got.rows_read == 7 and got.source == f"sales.{kind}"
    cited = got.problems.set_index("code")["id"]
    assert cited["not_a_date"] == "456" and cited["duplicate_row"] == "0456" and cited["negative_amount"] == "0789"


def test_period_selects_rows_history_and_previous(tmp_path, log):
    path = tmp_path / "sales.csv"
    log.to_csv(path, index=False)
    got = transactions_input(path, column_map=MAP, period="2026-10", today="2027-01-01")
    assert got.data["date"].dt.strftime("%Y-%m").unique().tolist() == ["2026-10"]
    assert len(got.data) == 4 and len(got.history) == 5 and len(got.previous) == 1
    assert got.period.text == "2026-10"
    everything = transactions_input(path, column_map=MAP, today="2027-01-01")
    assert len(everything.data) == 6 and everything.previous is None
    with pytest.raises(DataError, match="2025-01.*2026-09-03 to 2026-11-02"):
        transactions_input(path, column_map=MAP, period="2025-01", today="2027-01-01")
    with pytest.raises(ParameterError, match="period must be"):
        transactions_input(path, column_map=MAP, period="October")


def test_bad_parameters_are_named(tmp_path, log):
    path = tmp_path / "sales.csv"
    log.to_csv(path, index=False)
    with pytest.raises(ParameterError, match="'会员号' to 'client'"):
        transactions_input(path, column_map={"会员号": "client"})
    with pytest.raises(ParameterError, match="two headers to the field 'date'"):
        transactions_input(path, column_map={"消费日期": "date", "会员号": "date"})
    with pytest.raises(ParameterError, match="sheet='销售' applies to Excel"):
        read_input(path, sheet="销售")
    with pytest.raises(DataError, match="消费金额"):  # unmapped: the required column is missing
        transactions_input(path, column_map={"会员号": "customer_id", "消费日期": "date"})


def test_complaints_cited_by_their_own_ids(tmp_path):
    raw = pd.DataFrame(
        {
            "投诉编号": ["000017", "17", "000018", "000019"],
            "日期": ["2026-10-02", "2026-10-03", "", "2026-10-05"],
            "投诉内容": ["快递太慢了", "客服态度差", "退款没到账", ""],
        }
    )
    path = tmp_path / "c.csv"
    raw.to_csv(path, index=False, encoding="gb18030")
    got = complaints_input(path, today="2027-01-01")
    assert got.data["complaint_id"].tolist() == ["000017", "17"]  # two complaints, not one
    assert sorted(got.problems["id"]) == ["000018", "000019"]
    summary = problem_summary(got.problems, "zh")
    assert summary["count"].sum() == 2 and set(summary["examples"]) == {"000018", "000019"}


def test_problem_summary_counts_by_kind_and_cites_examples():
    from csworkbench.problems import Problems

    found = Problems()
    found.add("duplicate_row", rows=list(range(2, 23)), column="customer_id", action="flagged")
    found.add("negative_amount", rows=[30], column="amount", values=[-4], action="flagged")
    raw = pd.DataFrame({"customer_id": [f"{i:05d}" for i in range(40)]})
    summary = problem_summary(cite_ids(found.frame(), raw, "customer_id"), "en", examples=2)
    assert summary["count"].tolist() == [21, 1]  # 21 duplicate rows become one line
    assert summary["examples"].tolist() == ["00001, 00002", "00029"]
    assert problem_summary(found.frame().iloc[:0], "en").empty
