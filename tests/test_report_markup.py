"""The lean export: a report page carries its content and little else.

* a notebook built here (no kernel) through :func:`csworkbench.reporting.html.export_html`: one
  light wrapper per cell that shows something, no empty cell, no JupyterLab markup
  (``jp-*`` classes, ``data-mime-type``, ``tabindex``, cell ids, ``¶`` links), short heading ids
  that the contents and the text's own links point to, the appendix tag kept;
* the default reports (``reports/reports.yml``) rendered by the batch runner: the same markup
  rules on every page, every contents link lands on an id of the page, and every page is at most
  150,000 bytes (issue 16, item 9; plotly.js is a shared file next to the pages, not counted).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from csworkbench.reporting import load_run, run_reports
from csworkbench.reporting.html import export_html

ROOT = Path(__file__).resolve().parent.parent
PAGE_LIMIT = 150_000  # bytes, without the shared plotly.min.js


def _markup_problems(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    found = []
    found += [f"jp class {c}" for t in soup.find_all(class_=True) for c in t["class"] if c.startswith("jp-")]
    found += [f"<{t.name} {a}>" for t in soup.find_all(True) for a in ("data-mime-type", "tabindex") if t.has_attr(a)]
    found += [f"cell id {t['id']}" for t in soup.find_all(id=True) if t["id"].startswith("cell-id=")]
    found += [f"percent-encoded id {t['id'][:30]}" for t in soup.find_all(id=True) if "%" in t["id"]]
    found += [
        f"long heading id {h['id']}" for h in soup.select("main [id]") if h.name in ("h2", "h3") and len(h["id"]) > 40
    ]
    found += ["anchor link" for _ in soup.select("a.anchor-link")]
    found += [
        f"empty cell {str(div)[:60]}"
        for div in soup.select("div.csw-cell, div.csw-md")
        if not div.get_text(strip=True) and not div.find(["img", "table", "div"])
    ]
    ids = {t["id"] for t in soup.find_all(id=True)}
    toc = [a["href"] for a in soup.select("nav.csw-toc a")]
    found += [f"contents link {h} has no target" for h in toc if not h.startswith("#") or h[1:] not in ids]
    found += [f"link {a['href']} has no target" for a in soup.select('main a[href^="#"]') if a["href"][1:] not in ids]
    return found


def _notebook() -> nbformat.NotebookNode:
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell("# 测试报告\n\n## 主要发现\n\n见[分群比较](#分群比较)。"),
        v4.new_code_cell("x = 1"),  # no output: not on the page
        v4.new_code_cell(
            "show()",
            outputs=[
                v4.new_output("display_data", data={"text/markdown": "## 分群比较\n\n两个细分的差距相同。"}),
                v4.new_output("stream", name="stdout", text="n = 300\n"),
            ],
        ),
        v4.new_code_cell("y = 2", outputs=[v4.new_output("display_data", data={"text/html": "<p>图</p>"})]),
        v4.new_markdown_cell("### Key findings, in English"),
        v4.new_markdown_cell("## 测量模型\n\n载荷见下表。", metadata={"tags": ["appendix"]}),
        v4.new_code_cell(
            "t", outputs=[v4.new_output("display_data", data={"text/html": "<table><tr><td>0.81</td></tr></table>"})]
        ),
    ]
    cells[-1].metadata["tags"] = ["appendix"]
    return v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})


def test_export_writes_one_light_wrapper_per_shown_cell_and_short_ids():
    page = export_html(_notebook(), title="测试报告", parameters={"lang": "zh"}, lang="zh")
    assert _markup_problems(page) == []
    soup = BeautifulSoup(page, "html.parser")
    main = soup.main
    # four cells show something in the body and two in the appendix; the empty code cell is gone
    cells = main.select("div.csw-cell, div.csw-md")
    assert len(cells) == 6, [str(c)[:80] for c in cells]
    assert "x = 1" not in page and "y = 2" not in page  # code stays hidden
    assert main.select_one("section#csw-appendix div.csw-cell.celltag_appendix td").get_text() == "0.81"
    # every output as it was: Markdown display, stdout, HTML
    assert "两个细分的差距相同。" in main.get_text() and main.select_one("pre.csw-text").get_text() == "n = 300\n"
    headings = {h.get_text(strip=True): h["id"] for h in main.select("h2, h3")}
    assert re.fullmatch(r"h-[0-9a-f]{8}", headings["分群比较"]) and headings["Key findings, in English"] == (
        "key-findings-in-english"
    )
    # the contents and the text's own link point to the new id; the appendix heading (moved to the
    # summary of its section) is listed once as the appendix
    toc = [(a.get_text(), a["href"]) for a in soup.select("nav.csw-toc a")]
    assert ("分群比较", "#" + headings["分群比较"]) in toc and toc[-1][1] == "#csw-appendix"
    assert main.find("a", string="分群比较")["href"] == "#" + headings["分群比较"]
    # the same heading text gets the same id in another run (links stay valid)
    again = export_html(_notebook(), title="测试报告", parameters={"lang": "zh"}, lang="zh")
    assert re.findall(r'<h[23] id="([^"]+)"', again) == re.findall(r'<h[23] id="([^"]+)"', page)


@pytest.mark.notebook
def test_default_report_pages_are_lean_and_at_most_150_kb(tmp_path):
    spec = load_run(ROOT / "reports" / "reports.yml", output=tmp_path, run_id="lean", base=ROOT)
    result = run_reports(spec, workers=2, progress=False, timeout=300, base=ROOT)
    assert result.n_failed == 0, result.records
    pages = sorted(spec.run_dir.glob("*/*.html"))
    assert len(pages) >= 6
    sizes = {str(p.relative_to(spec.run_dir)): p.stat().st_size for p in pages}
    problems = {name: _markup_problems(p.read_text(encoding="utf-8")) for name, p in zip(sizes, pages)}
    assert {name: found for name, found in problems.items() if found} == {}
    assert {name: size for name, size in sizes.items() if size > PAGE_LIMIT} == {}, sizes


def test_charts_are_drawn_once_the_pages_cjk_font_has_loaded():
    """plotly measures each label once; drawn before the embedded CJK font arrived, the labels of
    the customer pyramid ran across its bars.  Every chart waits for the font (``cswDraw``,
    defined in the page head before any chart), and the pyramid's labels sit beside narrow bars."""
    from csworkbench.reporting.page import FONT_FAMILY
    from csworkbench.tiers import customer_pyramid
    from csworkbench.tiers.figures import pyramid_figure

    fig = pyramid_figure(customer_pyramid(pd.Series(range(1, 101), dtype=float)), lang="zh")
    assert fig.data[0].textposition == "auto"
    nb = _notebook()
    nb.cells[1].outputs.append(
        nbformat.v4.new_output("display_data", data={"application/vnd.plotly.v1+json": fig.to_plotly_json()})
    )
    page = export_html(nb, title="测试报告", parameters={"lang": "zh"}, lang="zh")
    calls = re.findall(r"<script[^>]*>([^<]*Plotly\.newPlot[^<]*)</script>", page)
    assert len(calls) == 1 and calls[0].startswith("if (window.Plotly) { cswDraw(function () { Plotly.newPlot(")
    defined = page.index("window.cswDraw = function")
    assert defined < page.index(calls[0]) and f"f.load('1em \"{FONT_FAMILY}\"'" in page
    assert f"font-family: '{FONT_FAMILY}'" in page  # the font it waits for is on the page
