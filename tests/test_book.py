"""The course book (课程讲义) — issue 17 item 4: ``make book`` builds it offline and a test builds it.

The whole book is built once per session into a temporary folder with Sphinx + myst-nb +
sphinx-book-theme (every lesson executed; a failing cell fails the build), and the pages are
checked for what a student needs: chapter titles (not file names) in the sidebar, a search
page with a Chinese index, code present but collapsible, a download of each chapter's
notebook, numbered figures/tables enabled, the zh/en glossary assembled from the lessons, no
report header, nothing fetched from the network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p for p in (ROOT / "notebooks" / "lessons").glob("[0-9][0-9]_*.ipynb"))


def _builder():
    return load_script(ROOT / "book" / "build.py", "csw_book_build")


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book") / "html"
    status = _builder().build(out, ROOT / "notebooks" / "lessons")
    assert status == 0, "sphinx-build failed: run `make book` to see why"
    return out


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _title(nb_path: Path) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    return re.sub(r"\s+", " ", first.source.splitlines()[0].lstrip("# ")).strip()


def test_every_lesson_is_a_page_titled_by_its_chapter(book):
    sidebar = _soup(book / "index.html").select_one("nav.bd-links") or _soup(book / "index.html")
    text = re.sub(r"\s+", " ", sidebar.get_text(" "))
    for path in LESSONS:
        assert (book / "lessons" / f"{path.stem}.html").is_file(), path.name
        assert _title(path) in text, f"{_title(path)!r} missing from the sidebar"
        assert path.stem not in text, f"file name {path.stem} shown in the navigation"


def test_search_page_and_chinese_index(book):
    assert (book / "search.html").is_file()
    text = (book / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    assert "顾客" in index["terms"], "the search index holds no Chinese words (jieba segmentation)"


def test_code_is_collapsible_and_notebook_downloadable(book):
    for path in LESSONS:
        page = (book / "lessons" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert "显示代码" in page and "Show code cell source" not in page, path.name
        assert f"{path.stem}.ipynb" in page, f"{path.name}: no download of the notebook"
        assert (book / "_sources" / "lessons" / f"{path.stem}.ipynb").is_file()


def test_glossary_collects_the_lessons_terms(book):
    rows = _builder().glossary_rows(LESSONS)
    assert len(rows) >= 50, f"only {len(rows)} glossary terms"
    page = (book / "glossary.html").read_text(encoding="utf-8")
    for zh, en, _ in rows[:: max(1, len(rows) // 10)]:
        assert (
            zh in page and BeautifulSoup(en, "html.parser").get_text() in BeautifulSoup(page, "html.parser").get_text()
        )


def test_offline_and_no_report_header(book):
    for page in book.rglob("*.html"):
        soup = _soup(page)
        for tag in soup.find_all(["script", "link"]):
            url = tag.get("src") or tag.get("href") or ""
            if tag.name == "link" and "stylesheet" not in (tag.get("rel") or []):
                continue
            assert not url.startswith(("http://", "https://", "//")), f"{page.name} loads {url}"
        assert soup.select_one(".csw-report-header, .csw-provenance") is None, f"{page.name} has a report header"


def test_a_failing_lesson_fails_the_build(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 第 1 章　坏的一章"), nbformat.v4.new_code_cell("1 / 0")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, lessons / "01_broken.ipynb")
    assert _builder().build(tmp_path / "html", lessons) != 0


def test_datatables_loaded_exactly_where_a_long_table_is(book):
    """Long tables (``table.csw-long``) are paged like in reports; other pages load no bundle."""
    assert (book / "_static" / "csw-datatables.js").is_file() and (book / "_static" / "csw-page-zh.js").is_file()
    for page in book.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert ('<table class="csw-long' in text) == ("_static/csw-datatables.js" in text), page.name


def test_every_chinese_character_of_the_book_has_a_glyph_in_its_own_font(book):
    """A reader without a Chinese font must not see boxes: every page loads the book's CJK font
    (one subset of the bundled font for all pages, first in the theme's font stack), and that
    font has a glyph for every CJK character the pages show."""
    import io

    from fontTools.ttLib import TTFont

    css = (book / "_static" / "csw-cjk.css").read_text(encoding="utf-8")
    for stack in ("base", "heading", "monospace"):  # text, titles, and Chinese in code and its comments
        assert f"--pst-font-family-{stack}: 'CSW CJK'," in css, stack
    assert "src: url(csw-cjk.woff2)" in css
    cmap = TTFont(io.BytesIO((book / "_static" / "csw-cjk.woff2").read_bytes())).getBestCmap()
    shown: set[str] = set()
    for page in book.rglob("*.html"):
        if "_static" in page.relative_to(book).parts:  # theme template files, not pages
            continue
        soup = _soup(page)
        links = [tag.get("href", "") for tag in soup.find_all("link", rel="stylesheet")]
        assert any(href.endswith("_static/csw-cjk.css") for href in links), f"{page.name} does not load the font"
        shown |= {c for c in soup.get_text() if ord(c) > 0x2E7F}
    assert len(shown) > 1000  # the course is Chinese: thousands of distinct characters
    missing = sorted(c for c in shown if ord(c) not in cmap)
    assert not missing, f"no glyph for {''.join(missing[:20])}"


def test_lessons_show_their_plotly_charts_offline(book):
    """A lesson's ``fig.show()`` leaves plotly's JSON, which myst-nb alone does not render: the
    book showed none of its charts.  Each figure is now a plotly chart drawn from the book's own
    plotly.js (no CDN), after the book's CJK font (``cswDraw``); pages without a chart load none."""
    assert (book / "_static" / "plotly.min.js").stat().st_size > 1_000_000
    assert "window.cswDraw" in (book / "_static" / "csw-plotly.js").read_text(encoding="utf-8")
    charts = {}
    for page in (book / "lessons").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        charts[page.stem] = text.count('class="plotly-graph-div"')
        scripts = [tag.get("src", "") for tag in _soup(page).find_all("script")]
        loads = any(src.endswith("_static/plotly.min.js") for src in scripts)
        assert loads == (charts[page.stem] > 0), page.name
        assert text.count("cswDraw(function () { Plotly.newPlot(") == charts[page.stem], page.name
    assert charts["06_pyramid_abc_care"] >= 2 and sum(charts.values()) >= 10, charts
    pyramid = (book / "lessons" / "06_pyramid_abc_care.html").read_text(encoding="utf-8")
    assert '"type":"funnel"' in pyramid  # the customer pyramid itself


def test_the_plotly_renderer_answers_only_for_a_book_that_asks():
    """Installed as a myst-nb plugin, it must leave every other myst-nb project as it was."""
    from types import SimpleNamespace

    from csworkbench.reporting.book import PLOTLY_MIME, PlotlyFigures

    def renderer(flag):
        config = SimpleNamespace(csw_plotly_figures=flag)
        return SimpleNamespace(
            renderer=SimpleNamespace(
                document=SimpleNamespace(settings=SimpleNamespace(env=SimpleNamespace(config=config)))
            )
        )

    fig = {"data": [{"type": "bar", "x": ["甲"], "y": [1]}], "layout": {"title": {"text": "t"}}}
    data = SimpleNamespace(mime_type=PLOTLY_MIME, content=fig, cell_index=3, output_index=0)
    (node,) = PlotlyFigures.handle_mime(renderer(True), data, False)
    assert 'id="csw-fig-3-0"' in node.astext() and 'Plotly.newPlot("csw-fig-3-0"' in node.astext()
    assert PlotlyFigures.handle_mime(renderer(False), data, False) is None
    assert PlotlyFigures.handle_mime(renderer(True), data, True) is None  # inline: not a figure
    assert PlotlyFigures.mime_priority_overrides == []  # no other project's priorities change


def test_no_lesson_shows_a_raw_numpy_scalar(book):
    """NumPy 2 shows a bare scalar as ``np.float64(0.14168710363808001)``: a student reading the
    book should see a number (or a labelled sentence), not the type's repr."""
    for page in (book / "lessons").glob("*.html"):
        text = _soup(page).get_text()
        found = re.findall(r"np\.(?:float|int|bool)\w*\([^)]*\)", text)
        assert not found, f"{page.name}: {found[:3]}"
