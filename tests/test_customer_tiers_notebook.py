"""The customer_tiers analysis notebook runs end to end (papermill) on CDNOW and on a Parquet file."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbtext import outputs_text

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "analysis" / "customer_tiers.ipynb"


def test_notebook_is_clean_and_paired():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in (
        "data_path",
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
    assert nb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"


@pytest.mark.notebook
def test_notebook_runs_on_the_cdnow_sample(tmp_path):
    import papermill

    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"lang": "en", "bank_n": 4000},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    text = outputs_text(nb := nbformat.read(out, as_version=4))
    assert "application/vnd.plotly.v1+json" in text
    for heading in (
        "Customer pyramid",
        "Pareto curve",
        "RFM segments",
        "Customer lifetime value",
        "Tracking plot",
        "ABC customer-care budget",
        "Bank decision-tree experiment",
    ):
        assert heading in text, heading
    # the fitted BG/NBD parameters are the published ones (r = 0.2426, alpha = 4.414)
    assert "0.2425" in text or "0.2426" in text
    assert "4.413" in text or "4.414" in text
    assert "uplift" in text and "Super-heavyweight" in text
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.notebook
def test_notebook_runs_in_chinese_on_a_parquet_file(tmp_path):
    import papermill

    from csworkbench.datasets.transactions import make_transactions

    path = tmp_path / "tx.parquet"
    tx = make_transactions(800, random_state=3)
    # customer ids that are mobile numbers (personal data): the report masks them
    codes = {c: f"139{i:08d}" for i, c in enumerate(tx["customer_id"].unique())}
    tx["customer_id"] = tx["customer_id"].map(codes)
    tx.to_parquet(path)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={
            "data_path": str(path),
            "calibration_end": "2024-09-30",
            "lang": "zh",
            "bank_n": 3000,
            "value_column": "margin",
            "margin_rate": 0.3,
            "title": "测试报告",
        },
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    text = outputs_text(nbformat.read(out, as_version=4))
    assert "测试报告" in text and "客户金字塔" in text and "超重量级" in text and "提升" in text
    assert "139****" in text  # the top-customer table shows masked ids …
    leaked = [phone for phone in codes.values() if phone in text]
    assert leaked == []  # … and no mobile number anywhere in the outputs
