"""The satisfaction_drivers report runs unattended (papermill): bundled data, and a user's .xlsx with an own PLS model."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbtext import text_defects, visible_text

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
                str(data.get("text/plain", ""))
                + str(data.get("text/html", ""))
                + str(data.get("text/markdown", ""))
                + str(output.get("text", ""))
            )
            if "application/vnd.plotly.v1+json" in data:
                parts.append(str(data["application/vnd.plotly.v1+json"]["layout"].get("title", {}).get("text", "")))
    return "\n".join(parts)


@pytest.mark.notebook
def test_notebook_runs_on_bundled_ecsi(tmp_path):
    nb = _run(tmp_path, n_boot=30, lang="en", title="ECSI drivers")
    text = _text(nb)
    assert "ECSI drivers" in text and "Key findings" in text
    assert text.index("Key findings") < text.index("Driver importance")
    assert "strongest driver of Customer satisfaction" in text and "Glossary" in text
    assert "interactive" not in text and "Parameters" not in text
    plotly_outputs = sum(
        "application/vnd.plotly.v1+json" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])
    )
    assert plotly_outputs == 3  # relative weights, path diagram, IPMA
    appendix = " ".join(str(c.get("outputs")) for c in nb.cells if "appendix" in c.metadata.get("tags", []))
    assert "HTMT" in appendix and "Cronbach" in appendix
    seen = visible_text(nb)
    # indicator names (imag1 …) are the data's column names; the abbreviations only in the glossary
    assert text_defects(seen, "en") == {}, text_defects(seen, "en")


def _outside_glossary(nb: nbformat.NotebookNode) -> str:
    cells = [c for c in nb.cells if "glossary" not in c.get("source", "")]
    return visible_text(nbformat.v4.new_notebook(cells=cells))


@pytest.mark.notebook
def test_chinese_page_names_constructs_in_chinese(tmp_path):
    nb = _run(tmp_path, n_boot=20, lang="zh")
    seen = _outside_glossary(nb)
    assert text_defects(seen, "zh") == {}, text_defects(seen, "zh")
    assert "感知价值" in seen and "反映型（模式 A）" in seen
    whole = visible_text(nb)
    for abbreviation in ("IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY"):
        assert whole.count(abbreviation) == 1, abbreviation  # explained once, in the glossary


@pytest.mark.notebook
def test_segment_comparison_of_the_satisfaction_index(tmp_path):
    from csworkbench.datasets import load_ecsi

    data = load_ecsi()
    rng = np.random.default_rng(3)
    data["region"] = rng.choice(["east", "south", "west"], len(data))
    south = data["region"] == "south"
    for col in ["sat1", "sat2", "sat3", "sat4"]:  # planted: two points lower on 0–10 → about 20 on the index
        data.loc[south, col] = (data.loc[south, col] - 2).clip(lower=0)
    data["w"] = rng.uniform(0.5, 2, len(data))
    path = tmp_path / "regions.csv"
    data.to_csv(path, index=False)
    nb = _run(
        tmp_path,
        data_path=str(path),
        segment_column="region",
        weights="w",
        n_boot=20,
        scale_min=0,
        scale_max=10,
        lang="en",
    )
    text = _text(nb)
    head = "south has a Customer satisfaction index"
    assert head in text and text.index(head) < text.index("Driver importance")  # in the summary
    drop = float(text.split(head)[1].split("points")[0])
    assert 16 < drop < 25  # planted: 20 points less (less where answers were clipped at 0)
    assert "lower than the rest" in text and "Weighted by the column w" in text
    assert "not weighted yet" in text  # the weights' scope is stated
    assert text_defects(_outside_glossary(nb), "en", allow=("east", "south", "west")) == {}


@pytest.mark.notebook
def test_notebook_on_a_users_xlsx_with_an_own_pls_model_in_yaml(tmp_path):
    rng = np.random.default_rng(11)
    n = 150
    service = rng.normal(0, 1, n)
    price = rng.normal(0, 1, n)
    sat = 0.7 * service + 0.2 * price + rng.normal(0, 0.5, n)
    frame = {"问卷编号": [f"{i:05d}" for i in range(1, n + 1)]}
    for name, latent in (("服务", service), ("价格", price), ("满意", sat)):
        for j in (1, 2, 3):
            frame[f"{name}{j}"] = np.clip(np.round(5.5 + 1.5 * latent + rng.normal(0, 0.6, n)), 1, 10)
    wide = pd.DataFrame(frame).astype({"问卷编号": str})
    wide.loc[6, "服务2"] = 15  # off the 1–10 scale: respondent 00007
    path = tmp_path / "drivers.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"说明": ["封面"]}).to_excel(writer, sheet_name="说明", index=False)
        wide.to_excel(writer, sheet_name="问卷", index=False)
    model = tmp_path / "model.yml"
    model.write_text(
        "blocks:\n  服务: [服务1, 服务2, 服务3]\n  价格: [价格1, 价格2, 价格3]\n  满意: [满意1, 满意2, 满意3]\n"
        "paths:\n  - [服务, 满意]\n  - [价格, 满意]\n",
        encoding="utf-8",
    )
    nb = _run(
        tmp_path,
        data_path=str(path),
        sheet="问卷",
        model=str(model),
        target="满意",
        ipma_target="满意",
        scale_min=1,
        scale_max=10,
        n_boot=20,
        lang="zh",
    )
    text = _text(nb)
    assert "“服务”是满意最强的驱动因素" in text  # the planted strongest driver, computed
    assert "00007" in text  # the off-scale answer cited by the respondent's own id
    assert "IMAG" not in text and "术语" not in text  # no ECSI abbreviations and no glossary for the user's names
    assert text_defects(visible_text(nb), "zh") == {}, text_defects(visible_text(nb), "zh")


@pytest.mark.notebook
def test_a_model_naming_a_missing_indicator_fails_with_its_block(tmp_path):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError, match="block 'SAT' names indicator 'sat9'"):
        _run(
            tmp_path,
            model={"blocks": {"QUAL": ["qual1", "qual2"], "SAT": ["sat1", "sat9"]}, "paths": [["QUAL", "SAT"]]},
            target="SAT",
            ipma_target="SAT",
            n_boot=10,
        )
