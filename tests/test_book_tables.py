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

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from csworkbench.reporting.display import LONG_ROWS
from csworkbench.reporting.page import DATATABLES_JS, page_script, write_datatables

ROOT = Path(__file__).resolve().parent.parent
N_LONG = 40


def _builder():
    spec = importlib.util.spec_from_file_location("csw_book_build_tables", ROOT / "book" / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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


def test_chromium_shows_search_and_paging_in_chinese(book, tmp_path):
    from browser import chromium_or_skip

    chromium = chromium_or_skip()
    page = book / "lessons" / "01_long.html"
    cmd = [
        str(chromium),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--allow-file-access-from-files",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        page.as_uri(),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=dict(os.environ, HOME=str(tmp_path)))
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
    assert out.returncode == 0 and out.stdout, out.stderr[-2000:]
    soup = BeautifulSoup(out.stdout, "html.parser")
    container = soup.select_one(".dt-container")
    assert container is not None, "the long table was not turned into a DataTable"
    assert container.select_one(".dt-search input") is not None
    assert container.select_one(".dt-paging") is not None
    assert len(container.select("table.csw-long tbody tr")) == 15, "not paged by 15"
    info = container.select_one(".dt-info").get_text()
    assert "15" in info and str(N_LONG) in info and "行" in info, info
    assert "搜索" in container.select_one(".dt-search").get_text()
