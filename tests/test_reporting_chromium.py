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
from browser import chromium_or_skip

from csworkbench.reporting import load_run, run_reports

pytestmark = pytest.mark.notebook

CHROMIUM = chromium_or_skip()
ROOT = Path(__file__).resolve().parent.parent


def _dump_dom(page: Path, tmp: Path) -> str:
    profile = tmp / "chromium-profile"
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--allow-file-access-from-files",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        page.as_uri(),
    ]
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
