"""The customer_tiers analysis notebook runs end to end (papermill) on CDNOW and on a Parquet file."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbtext import outputs_text, run_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "analysis" / "customer_tiers.ipynb"


def test_notebook_is_clean_and_paired():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in (
        "data_path",
        "sheet",
        "column_map",
        "period",
        "currency",
        "care_programme",
        "experiment_path",
        "previous_kpis",
        "value_column",
        "cuts",
        "calibration_end",
        "horizon_months",
        "annual_discount_rate",
        "clv_draws",
        "lang",
        "title",
    ):
        assert f"{name} =" in tagged[0].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None
            assert "def " not in cell.source and "lambda" not in cell.source
    assert nb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"


@pytest.mark.notebook
def test_notebook_runs_on_the_cdnow_sample(tmp_path):
    text = outputs_text(nb := run_notebook(NOTEBOOK, tmp_path, {"lang": "en"}))
    assert "application/vnd.plotly.v1+json" in text
    for heading in (
        "Key findings",
        "Customer pyramid",
        "Pareto curve",
        "RFM segments",
        "Customer lifetime value",
    ):
        assert heading in text, heading
    # calibration_end "" splits the history halfway: 1997-09-30, and the published BG/NBD fit follows
    assert "1997-09-30" in text
    assert "0.2425" in text or "0.2426" in text
    assert "4.41" in text and "buys on average 0.055 times per week" in text  # r/alpha = 0.2426 / 4.414
    # the finding headlines are computed: 33 % of CDNOW customers bring 80 % of value, Gini 0.63
    assert "33% of customers bring 80% of the value (Gini 0.63)" in text
    # no course sections on a report: the stock care budget and the synthetic bank tree are lessons 06 and 08
    assert "ABC customer-care budget" not in text and "decision-tree" not in text and "uplift" not in text
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    assert [c for c in nb.cells if "appendix" in c.metadata.get("tags", [])]


@pytest.mark.notebook
def test_notebook_runs_in_chinese_on_a_parquet_file(tmp_path):
    from csworkbench.datasets.transactions import make_transactions

    path = tmp_path / "tx.parquet"
    tx = make_transactions(800, random_state=3)
    # customer ids that are mobile numbers (personal data): the report masks them
    codes = {c: f"139{i:08d}" for i, c in enumerate(tx["customer_id"].unique())}
    tx["customer_id"] = tx["customer_id"].map(codes)
    tx.to_parquet(path)
    text = outputs_text(
        run_notebook(
            NOTEBOOK,
            tmp_path,
            {
                "data_path": str(path),
                "calibration_end": "2024-09-30",
                "lang": "zh",
                "value_column": "margin",
                "margin_rate": 0.3,
                "title": "测试报告",
            },
        )
    )
    assert "测试报告" in text and "客户金字塔" in text and "超重量级" in text
    assert "139****" in text  # the top-customer table shows masked ids …
    leaked = [phone for phone in codes.values() if phone in text]
    assert leaked == []  # … and no mobile number anywhere in the outputs


@pytest.mark.notebook
def test_report_on_a_user_parquet_log_with_period_care_and_experiment(tmp_path):
    """A Parquet export with Chinese headers and ids with leading zeros, one quarter, the user's own care
    programme and experiment file: those sections appear, cited ids keep their zeros."""
    import pandas as pd

    from csworkbench.datasets.transactions import make_bank_customers, make_transactions

    tx = make_transactions(800, random_state=3)
    codes = {c: f"{i:07d}" for i, c in enumerate(tx["customer_id"].unique())}
    tx["customer_id"] = tx["customer_id"].map(codes)
    tx = pd.concat([tx, tx.iloc[[10]]], ignore_index=True)  # one duplicate row, cited by its id
    dup = tx["customer_id"].iloc[10]
    tx = tx.rename(columns={"customer_id": "会员编号", "date": "下单时间", "amount": "实付金额"})
    path = tmp_path / "订单.parquet"
    tx.to_parquet(path)
    last = pd.Timestamp(tx["下单时间"].max())
    quarter = f"{last.year}-Q{last.quarter}"
    bank = tmp_path / "实验.csv"
    make_bank_customers(3000, random_state=1).to_csv(bank, index=False)
    nb = run_notebook(
        NOTEBOOK,
        tmp_path,
        {
            "data_path": str(path),
            "column_map": {"会员编号": "customer_id", "下单时间": "date", "实付金额": "amount"},
            "period": quarter,
            "currency": "¥",
            "care_programme": {
                "A": [["quarterly_visit", 4, 50]],
                "B": [["holiday_message", 2, 1]],
                "C": [["holiday_message", 2, 1]],
            },
            "experiment_path": str(bank),
            "experiment_features": ["age", "salary", "owns_car"],
            "clv_draws": 0,
            "lang": "zh",
        },
    )
    text = outputs_text(nb)
    in_quarter = tx[(tx["下单时间"].dt.year == last.year) & (tx["下单时间"].dt.quarter == last.quarter)]
    n = in_quarter["会员编号"].nunique()
    assert "位客户，价值合计" in text and f"{n:,} 位客户" in text
    assert "ABC 客户关怀预算" in text and "季度拜访" in text and "营销实验" in text
    assert dup in text  # the duplicate row is cited by the id as written (leading zeros)
    assert "（¥）" in text  # currency on money headings


def _repeat_log(seed: int, customers: int = 40):
    """Customers each buying 4–8 times at random days over 640 days, each at one fixed amount."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    rows = []
    for i in range(customers):
        for day in np.sort(rng.integers(0, 640, size=int(rng.integers(4, 9)))):
            rows.append([f"K{i}", pd.Timestamp("2025-01-02") + pd.Timedelta(days=int(day)), 50.0 + i])
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


@pytest.mark.filterwarnings("ignore::csworkbench.errors.DataWarning")
def test_lifetime_value_is_left_out_with_its_reason():
    import pandas as pd

    from csworkbench.datasets.transactions import make_transactions
    from csworkbench.errors import ParameterError
    from csworkbench.reporting.inputs import MIN_REPEAT_CUSTOMERS, lifetime_value

    one_day = pd.DataFrame({"customer_id": ["a", "b"], "date": pd.to_datetime(["2026-10-01"] * 2), "amount": [1.0, 2]})
    got = lifetime_value(one_day, lang="zh")
    assert got.table is None and got.reason.startswith("未估计客户终身价值：数据的时间跨度太短")
    # 4 customers, 2026-09-01 … 10-20: halfway 09-25; only a buys again before it → 1 repeat customer
    few = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "d", "a"],
            "date": pd.to_datetime(
                ["2026-09-03", "2026-09-10", "2026-10-07", "2026-10-09", "2026-10-20", "2026-09-01"]
            ),
            "amount": [10.0, 5, 20, 3, 40, 8],
        }
    )
    got = lifetime_value(few, lang="en")
    assert got.reason == (
        "Lifetime value is not estimated: 1 customers bought again before 2026-09-25; "
        f"the models need at least {MIN_REPEAT_CUSTOMERS}."
    )
    assert got.bgnbd is None and str(got.calibration_end.date()) == "2026-09-25"
    # 40 repeat customers, each at one fixed amount: the fit does not converge (seed 1) → stated
    got = lifetime_value(_repeat_log(1), lang="en")
    assert got.table is None and "did not converge" in got.reason
    # a date the user gave outside the data stays an error
    with pytest.raises(ParameterError, match="calibration_end"):
        lifetime_value(few, calibration_end="2020-01-01")
    # enough repeat customers: fitted, one row per customer, no reason
    tx = make_transactions(800, random_state=3)
    got = lifetime_value(tx, lang="en")
    assert got.reason == "" and len(got.table) == tx["customer_id"].nunique()


@pytest.mark.notebook
@pytest.mark.parametrize(
    ("previous", "change"),
    [
        # the batch runner's figure for September (136) wins over the file's September rows
        (
            '{"value": {"value": 136.0, "ci_low": null, "ci_high": null, "period": "2026-09"}}',
            "50% less than Sep 2026",
        ),
        ("", "548% more than Sep 2026"),  # no previous_kpis: the file's September, 10.50 → 68 / 10.5 − 1
    ],
    ids=["previous_kpis", "same-file"],
)
def test_report_on_a_very_small_file_states_why_lifetime_value_is_missing(tmp_path, previous, change):
    """Four customers over two months: the report is published without the CLV models, says why (a
    flagged finding and the section's text); the change since last period comes from the batch
    runner's previous_kpis when given, else from the file's previous period."""

    csv = tmp_path / "tiny.csv"
    csv.write_text(
        "customer_id,date,amount\n"
        "13800138000,2026-09-03,10.5\n13800138000,2026-10-01,5\nc2,2026-10-07,20\nc3,2026-10-09,3\nc4,2026-10-20,40\n",
        encoding="utf-8",
    )
    nb = run_notebook(
        NOTEBOOK, tmp_path, {"data_path": str(csv), "lang": "en", "period": "2026-10", "previous_kpis": previous}
    )
    text = outputs_text(nb)
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    # halfway through 2026-09-03 … 10-20 is 09-26; the one repeat customer's second purchase is after it
    reason = "Lifetime value is not estimated: 0 customers bought again before 2026-09-26; the models need at least 20."
    assert f"⚠ {reason}" in text  # a flagged finding …
    assert text.count(reason) >= 2  # … and the lifetime-value section's text
    assert "Customer lifetime value" in text and "BG/NBD and Gamma-Gamma parameters" not in text  # no appendix
    # October: 5 + 20 + 3 + 40 = 68
    assert f"Oct 2026: 4 customers worth 68.00, {change}." in text
    assert "13800138000" not in text
