"""A published report opened in headless Chromium: the plotly charts really render offline.

Needs the Debian package ``chromium`` (see tests/browser.py; CI installs it).  The
test is skipped, with that reason, only when ``/usr/bin/chromium`` is absent — unless
``CSW_REQUIRE_CHROMIUM=1`` is set (CI after installing it), which turns the skip into an error.
``CSW_CHROMIUM`` points to another binary.  Chromium
runs with ``--no-sandbox`` (CI containers run as root) and loads the page from ``file://``:
plotly.js comes from the run folder's ``plotly.min.js``; there is no network involved.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import chromium_command, chromium_or_skip

from csworkbench.reporting import load_run, run_reports

pytestmark = pytest.mark.notebook

CHROMIUM = chromium_or_skip()
ROOT = Path(__file__).resolve().parent.parent


def _dump_dom(page: Path, tmp: Path) -> str:
    profile = tmp / "chromium-profile"
    cmd = chromium_command(CHROMIUM, profile, page, "--dump-dom")
    env = dict(os.environ, HOME=str(tmp))
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    shutil.rmtree(profile, ignore_errors=True)
    if out.returncode != 0 or not out.stdout:
        pytest.fail(f"chromium failed ({out.returncode}): {out.stderr[-2000:]}")
    return out.stdout


@pytest.fixture(scope="module")
def overview_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("chromium")
    spec = load_run(
        {
            "output": str(tmp),
            "run_id": "view",
            "notebooks": [{"name": "overview", "grid": [{"lang": "zh", "period": "1997"}]}],
        },
        base=ROOT,
    )
    result = run_reports(spec, workers=1, progress=False, timeout=300, base=ROOT)
    assert result.n_failed == 0, result.records
    return tmp, spec.run_dir / result.records[0]["html"]


def _parse(dom: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(dom, "html.parser")


def _chart_titles(page: str) -> list[str]:
    """The layout titles of the page's plotly figures, read from the page source."""
    from test_report_text import plotly_calls

    titles = []
    for _, layout in plotly_calls(page):
        title = layout.get("title")
        text = title.get("text") if isinstance(title, dict) else title
        if text:
            titles.append(re.sub(r"<[^>]+>", "", str(text)))
    return titles


def test_plotly_charts_render_offline_with_chinese_text(overview_run):
    tmp, page = overview_run
    dom = _dump_dom(page, tmp)
    # plotly drew real SVG charts with traces, not empty divs
    assert dom.count('class="main-svg"') >= 2
    assert 'class="trace bars"' in dom or "trace bars" in dom
    assert dom.count('class="point"') >= 5
    # the charts' Chinese titles (they state the finding) reached the rendered SVG
    titles = _chart_titles(page.read_text(encoding="utf-8"))
    assert len(titles) >= 2 and all(re.search(r"[\u4e00-\u9fff]", t) for t in titles), titles
    svg_text = " ".join(el.get_text() for el in _parse(dom).select("svg.main-svg .gtitle"))
    assert all(t.split()[0] in svg_text for t in titles), (titles, svg_text)
    # dates on axes in Chinese (plotly's zh-CN locale), no English month names
    ticks = " ".join(el.get_text() for el in _parse(dom).select("svg .xtick text, svg .ytick text"))
    assert ticks.strip()
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", ticks), ticks
    assert "顾客数" in dom and "数据问题" in dom
    assert "Traceback" not in dom
    assert "read_table(" not in dom  # no code
    assert "csw-no-plotly" not in (_parse(dom).html.get("class") or [])


def test_summary_comes_first_then_tables_toc_and_back_link_work(overview_run):
    tmp, page = overview_run
    soup = _parse(_dump_dom(page, tmp))
    main = soup.find("main")
    order = [el for el in main.find_all(True) if el.name == "table" or "csw-summary" in (el.get("class") or [])]
    body = [el for el in order if el.find_parent(["header", "nav"]) is None]
    assert body and "csw-summary" in (body[0].get("class") or []), "the summary must precede the first table"
    assert soup.select(".csw-kpis .csw-kpi"), "key-figure tiles"
    # contents: every entry points at an element of the page
    links = [a["href"] for a in soup.select("nav.csw-toc a")]
    assert len(links) >= 3
    for href in links:
        assert href.startswith("#") and soup.find(id=href[1:]) is not None, href
    # the back link reaches the run's index page
    back = soup.select_one("a.csw-back")["href"]
    index = (page.parent / back).resolve()
    assert back == "../index.html" and index.is_file()
    assert "报告索引" in _dump_dom(index, tmp)
    # long tables became sortable, searchable, paged (DataTables from the run folder's bundle)
    if soup.select("table.csw-long"):
        assert soup.select(".dt-container .dt-search input"), "the long table was not enhanced"
    # the appendix is at the end, in collapsible sections
    appendix = soup.select_one("#csw-appendix")
    if appendix is not None:
        assert appendix.select("details > summary")
        after = [el for el in appendix.find_all_next(["h2", "h3", "table"]) if appendix not in el.parents]
        assert after == [], "nothing of the body may follow the appendix"


def test_a_page_copied_alone_says_what_is_missing(overview_run, tmp_path):
    tmp, page = overview_run
    alone = tmp_path / "alone" / page.name
    alone.parent.mkdir()
    shutil.copy(page, alone)  # no ../plotly.min.js next to it
    soup = _parse(_dump_dom(alone, tmp))
    assert "csw-no-plotly" in soup.html.get("class", [])
    notice = soup.select_one(".csw-plotly-missing")
    assert notice is not None and "plotly.min.js" in notice.get_text()
    assert "@font-face" in alone.read_text(encoding="utf-8")  # Chinese still renders without a system font


def test_index_page_opens(overview_run):
    tmp, page = overview_run
    dom = _dump_dom(page.parent.parent / "index.html", tmp)
    assert "报告索引" in dom and "成功" in dom and 'href="overview/' in dom


# ----------------------------------------------------------------------------- A4 print

MM = 72 / 25.4  # points per millimetre
A4 = (595.28, 841.89)  # points
MARGIN_RIGHT, MARGIN_BOTTOM = 14 * MM, 18 * MM  # report.css: @page { margin: 15mm 14mm 18mm }
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


@pytest.fixture(scope="module")
def tiers_run(tmp_path_factory):
    """customer_tiers in zh and en: a long page with wide tables, charts and an appendix."""
    tmp = tmp_path_factory.mktemp("print")
    spec = load_run(
        {
            "output": str(tmp),
            "run_id": "print",
            "notebooks": [{"name": "customer_tiers", "grid": {"lang": ["zh", "en"]}}],
        },
        base=ROOT,
    )
    result = run_reports(spec, workers=1, progress=False, timeout=300, base=ROOT)
    assert result.n_failed == 0, result.records
    return tmp, {rec["parameters"]["lang"]: spec.run_dir / rec["html"] for rec in result.records}


def _print_pdf(page: Path, tmp: Path) -> Path:
    """The page printed by headless Chromium as the reader's browser prints it (no header/footer of its own)."""
    pdf = tmp / f"{page.parent.name}-{page.stem}.pdf"
    profile = tmp / "chromium-print-profile"
    cmd = chromium_command(CHROMIUM, profile, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=dict(os.environ, HOME=str(tmp)))
    shutil.rmtree(profile, ignore_errors=True)
    if out.returncode != 0 or not pdf.is_file():
        pytest.fail(f"chromium --print-to-pdf failed ({out.returncode}): {out.stderr[-2000:]}")
    return pdf


def _runs(page) -> list[tuple[float, float, float, str, object]]:
    """Text runs of a PDF page: (x, y, font size, text, font), in points from the bottom left; upright text only."""
    runs = []

    def visit(text, cm, tm, font, size):
        a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
        if not text.strip() or abs(b) > 1e-6 * abs(a):  # rotated text (chart axis labels) is not a text line
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append((x, y, size * abs(a), text, font))

    page.extract_text(visitor_text=visit)
    return runs


def _lines(runs) -> dict[int, str]:
    """Text per line (runs on the same baseline, left to right, white space dropped), keyed by height."""
    rows: dict[int, list] = {}
    for x, y, _, text, _ in runs:
        rows.setdefault(round(y), []).append((x, text))
    return {y: re.sub(r"\s+", "", "".join(text for _, text in sorted(row))) for y, row in rows.items()}


def _width(text: str, size: float) -> float:
    """A lower bound of a run's printed width: CJK characters are one em, others at least 0.45 em."""
    return sum(size if CJK.match(ch) else 0.45 * size for ch in text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip("¶")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a4_print_has_page_numbers_wrapped_tables_and_no_heading_alone(tiers_run, lang):
    from pypdf import PdfReader

    tmp, pages = tiers_run
    html = pages[lang].read_text(encoding="utf-8")
    soup = _parse(html)
    reader = PdfReader(_print_pdf(pages[lang], tmp))
    n = len(reader.pages)
    assert n > 1, "a long report prints on more than one page"
    headings = [_squash(h.get_text()) for h in soup.select("main h2, main h3")]
    assert len(headings) >= 4
    all_lines: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 2 and abs(height - A4[1]) <= 2, (number, width, height)
        runs = _runs(page)
        lines = _lines(runs)
        # the foot of every page carries "n / N" (report.css @bottom-center), centred
        foot = {y: text for y, text in lines.items() if y < MARGIN_BOTTOM}
        assert list(foot.values()) == [f"{number}/{n}"], (number, foot)
        foot_x = [x for x, y, _, _, _ in runs if y < MARGIN_BOTTOM]
        assert abs((min(foot_x) + max(foot_x)) / 2 - width / 2) < 20
        # nothing runs beyond the right margin (wide tables wrap)
        for x, _y, size, text, _ in runs:
            assert x + _width(_squash(text), size) <= width - MARGIN_RIGHT + 1.5, (number, text, x, size)
        # a heading is never the last line of a page (it keeps with what follows)
        body = {y: text for y, text in lines.items() if y >= MARGIN_BOTTOM}
        if number < n and body:
            last = body[min(body)]
            assert not any(last == h or (len(last) >= 6 and h.endswith(last)) for h in headings), (number, last)
        all_lines += body.values()
    text = "\n".join(all_lines)
    # the page's title and every section heading are in the PDF as text
    for heading in [_squash(soup.select_one("header h1").get_text()), *headings]:
        assert heading in text, heading
    # numbers and ids in tables stay whole: the first row of every table is on one line each cell
    for table in soup.select("main table"):
        row = table.select_one("tbody tr")
        cells = [_squash(td.get_text()) for td in row.select("td.gt_right")] if row else []
        for cell in cells:
            assert any(cell in line for line in all_lines), (cell, [_squash(h.get_text()) for h in row.select("td")])
    if lang == "zh":
        # Chinese is extracted as Chinese and drawn in a font that carries its glyphs: the page's
        # embedded subset (Chromium writes it as a Type 3 font), not a system font without CJK glyphs
        assert len(CJK.findall(text)) > 500
        fonts = {
            (str(font.get("/Subtype")), str(font.get("/BaseFont", "")), len(font.get("/CharProcs", {})))
            for page in reader.pages
            for _, _, _, run, font in _runs(page)
            if font is not None and CJK.search(run)
        }
        assert fonts and all(kind == "/Type3" and glyphs > 0 for kind, _, glyphs in fonts), fonts
    else:
        assert not CJK.search(text.replace("¥", "")), "an en page prints no Chinese"
