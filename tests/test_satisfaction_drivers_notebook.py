"""The satisfaction_drivers notebook runs unattended (papermill) with small parameters."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from csworkbench.config import RAW_DIR

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "analysis" / "satisfaction_drivers.ipynb"


def _run(tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    import papermill

    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters=parameters, kernel_name="python3", progress_bar=False, cwd=str(tmp_path)
    )
    return nbformat.read(str(out), as_version=4)


def _text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(
                str(data.get("text/plain", "")) + str(data.get("text/markdown", "")) + str(output.get("text", ""))
            )
    return "\n".join(parts)


@pytest.mark.notebook
def test_notebook_runs_on_bundled_ecsi(tmp_path):
    nb = _run(tmp_path, n_boot=30, lang="en", title="ECSI drivers")
    text = _text(nb)
    assert "ECSI drivers" in text
    assert "Cronbach's alpha" in text and "Importance (per 0-100 point)" in text
    plotly_outputs = sum(
        "application/vnd.plotly.v1+json" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])
    )
    assert plotly_outputs == 4  # relative weights, Shapley, path diagram, IPMA


@pytest.mark.notebook
def test_notebook_runs_on_a_file_with_the_acsi_model(tmp_path):
    path = RAW_DIR / "drivers" / "ecsi_mobi.csv"
    nb = _run(
        tmp_path,
        data_path=str(path),
        model="acsi",
        target="LOY",
        ipma_target="SAT",
        scheme="path",
        scaled=True,
        n_boot=20,
        lang="zh",
        scale_min=1,
        scale_max=10,
        interactive=True,
    )
    assert "重要性（每 0–100 分）" in _text(nb)
    widgets = [
        o
        for c in nb.cells
        for o in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widgets) == 1
