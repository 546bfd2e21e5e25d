"""Long tables in the course book are DataTables, offline (issue 16 item 3).

A lesson's ``show_table`` of more than ``LONG_ROWS`` rows emits ``<table class="csw-long">``;
the book (book/conf.py) ships the report pages' own DataTables bundle and zh page script
(csworkbench.reporting.page: ``write_datatables``, ``page_script``) as ``_static`` files and
loads them only on pages that hold such a table.  No lesson has a table that long yet, so a
two-lesson fixture book is built: one 40-row table, one 5-row table.  With headless Chromium
(tests/browser.py) the page is opened from ``file://`` and the search box, paging and the
Chinese labels are checked; without it that one test is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from scripts import load_script

from csworkbench.reporting.display import LONG_ROWS
from csworkbench.reporting.page import DATATABLES_JS, page_script, write_datatables

ROOT = Path(__file__).resolve().parent.parent
N_LONG = 40


def _builder():
    return load_script(ROOT / "book" / "build.py", "csw_book_build_tables")


def _lesson(folder: Path, stem: str, title: str, rows: int) -> None:
    nb = nbformat.v4.new_notebook()
    code = (
        "import pandas as pd\n"
        "from csworkbench.reporting.display import show_table\n"
        f"stores = pd.DataFrame({{'门店': [f'门店{{i:02d}}' for i in range({rows})], "
        f"'满意度': [60 + i * 0.5 for i in range({rows})]}})\n"
        "show_table(stores, lang='zh')"
    )
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}"), nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / f"{stem}.ipynb")


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("book_tables")
    lessons = tmp / "lessons"
    lessons.mkdir()
    _lesson(lessons, "01_long", "第 1 章　四十家门店", N_LONG)
    _lesson(lessons, "02_short", "第 2 章　五家门店", 5)
    out = tmp / "html"
    assert _builder().build(out, lessons) == 0, "sphinx-build failed"
    return out


def _scripts(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [s.get("src") or "" for s in soup.find_all("script")]


def test_long_table_page_loads_the_bundle_from_the_books_static_folder(book, tmp_path):
    assert N_LONG > LONG_ROWS
    page = book / "lessons" / "01_long.html"
    assert '<table class="csw-long' in page.read_text(encoding="utf-8")
    scripts = _scripts(page)
    assert f"../_static/{DATATABLES_JS}" in scripts and "../_static/csw-page-zh.js" in scripts, scripts
    assert scripts.index(f"../_static/{DATATABLES_JS}") < scripts.index("../_static/csw-page-zh.js")
    # the very files of the report pages: the same bundle, the same script with the zh labels
    shipped = book / "_static" / DATATABLES_JS
    assert shipped.read_bytes() == write_datatables(tmp_path).read_bytes()
    assert (book / "_static" / "csw-page-zh.js").read_text(encoding="utf-8") == page_script("zh")


def test_pages_without_a_long_table_load_no_bundle(book):
    for page in [book / "index.html", book / "lessons" / "02_short.html"]:
        assert not any("csw-" in src for src in _scripts(page)), page.name


def _dump(chromium: Path, page: Path, tmp: Path) -> BeautifulSoup:
    from browser import chromium_command

    cmd = chromium_command(chromium, tmp / "profile", page, "--dump-dom")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=dict(os.environ, HOME=str(tmp)))
    shutil.rmtree(tmp / "profile", ignore_errors=True)
    assert out.returncode == 0 and out.stdout, out.stderr[-2000:]
    return BeautifulSoup(out.stdout, "html.parser")


def test_chromium_shows_search_and_paging_in_chinese(book, tmp_path):
    from browser import chromium_or_skip

    chromium = chromium_or_skip()
    soup = _dump(chromium, book / "lessons" / "01_long.html", tmp_path)
    container = soup.select_one(".dt-container")
    assert container is not None, "the long table was not turned into a DataTable"
    assert container.select_one(".dt-search input") is not None
    assert container.select_one(".dt-paging") is not None
    assert len(container.select("table.csw-long tbody tr")) == 15, "not paged by 15"
    info = container.select_one(".dt-info").get_text()
    assert "15" in info and str(N_LONG) in info and "行" in info, info
    assert "搜索" in container.select_one(".dt-search").get_text()


# --------------------------------------------------------------------------- JupyterLab


def _shown(monkeypatch, *frames: int) -> list[dict]:
    from csworkbench.reporting import display

    sent: list[dict] = []
    monkeypatch.setattr(display, "_display", lambda bundle: sent.append(dict(bundle)))
    monkeypatch.setattr(display, "_BUNDLE_SENT", [])
    for rows in frames:
        display.show_table(_stores(rows), lang="zh")
    return sent


def _stores(rows: int):
    import pandas as pd

    return pd.DataFrame({"门店": [f"门店{i:02d}" for i in range(rows)], "满意度": [60 + i * 0.5 for i in range(rows)]})


def test_batch_kernels_send_no_datatables_script(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    sent = _shown(monkeypatch, N_LONG, 5)
    assert len(sent) == 2 and all("<script" not in b["text/html"] for b in sent)
    assert '<table class="csw-long' in sent[0]["text/html"]


def test_a_live_notebook_gets_the_bundle_once_and_a_script_per_long_table(monkeypatch):
    from csworkbench.reporting.page import datatables_bundle, output_table_script

    monkeypatch.setenv("JPY_SESSION_NAME", "/home/student/lessons/01.ipynb")
    sent = _shown(monkeypatch, N_LONG, 5, N_LONG)
    assert [list(b) for b in sent][0] == ["application/javascript"]
    assert sent[0]["application/javascript"] == datatables_bundle()
    tables = sent[1:]
    assert len(tables) == 3, "the bundle is sent once per kernel"
    script = f'<script type="text/javascript">{output_table_script("zh")}</script>'
    assert [t["text/html"].endswith(script) for t in tables] == [True, False, True]
    assert "<script" not in tables[1]["text/html"]


def test_the_report_export_drops_what_a_live_notebook_added(monkeypatch):
    from csworkbench.reporting import html

    monkeypatch.setenv("JPY_SESSION_NAME", "x.ipynb")
    bundle, table = _shown(monkeypatch, N_LONG)
    monkeypatch.delenv("JPY_SESSION_NAME")
    (plain,) = _shown(monkeypatch, N_LONG)
    assert set(bundle) == {"application/javascript"}  # html.py drops javascript outputs
    exported, exported_plain = dict(table), dict(plain)
    assert html._display_output(exported) and html._display_output(exported_plain)
    assert exported == exported_plain and "<script" not in exported["text/html"]


def test_chromium_pages_each_notebook_output_once(tmp_path):
    """A JupyterLab notebook simulated: the bundle ran, then two outputs each with its script."""
    from browser import chromium_or_skip

    from csworkbench.reporting.display import table_cells, table_html
    from csworkbench.reporting.page import datatables_bundle, output_table_script

    chromium = chromium_or_skip()
    script = f'<script type="text/javascript">{output_table_script("zh")}</script>'
    outputs = "".join(
        f'<div class="jp-OutputArea-output">{table_html(table_cells(_stores(rows), lang="zh"))}{script}</div>'
        for rows in (N_LONG, N_LONG + 5)
    )
    page = tmp_path / "lab.html"
    page.write_text(
        f'<html><head><meta charset="utf-8"><script>{datatables_bundle()}</script></head><body>{outputs}</body></html>',
        encoding="utf-8",
    )
    dom = _dump(chromium, page, tmp_path)
    containers = dom.select(".dt-container")
    assert len(containers) == 2, "each long table enhanced exactly once"
    infos = [c.select_one(".dt-info").get_text() for c in containers]
    assert str(N_LONG) in infos[0] and str(N_LONG + 5) in infos[1], infos
    assert all(len(c.select("tbody tr")) == 15 for c in containers)
