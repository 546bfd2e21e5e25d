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


def test_plotly_charts_render_offline_with_chinese_text(overview_run):
    tmp, page = overview_run
    dom = _dump_dom(page, tmp)
    # plotly drew real SVG charts with traces, not empty divs
    assert dom.count('class="main-svg"') >= 2
    assert 'class="trace bars"' in dom or "trace bars" in dom
    assert dom.count('class="point"') >= 5
    # Chinese titles/labels reached the rendered chart and the tables
    assert "月度销售额" in dom and "每位顾客的累计销售额" in dom
    assert "顾客数" in dom and "数据问题" in dom
    assert "Traceback" not in dom
    assert "read_table(" not in dom  # no code


def test_index_page_opens(overview_run):
    tmp, page = overview_run
    dom = _dump_dom(page.parent.parent / "index.html", tmp)
    assert "报告索引" in dom and "成功" in dom and 'href="overview/' in dom
