"""Batch runs end to end with a tiny purpose-built notebook: failure isolation, status, re-run skip, timeout, dask."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csworkbench.reporting import load_run, run_reports
from csworkbench.reporting.cli import main

pytestmark = pytest.mark.notebook

HERE = Path(__file__).resolve().parent
NB_DIR = HERE / "data" / "notebooks"


def _write_run(folder: Path, grid) -> Path:
    run = folder / "run.yml"
    desc = {
        "notebooks_dir": str(NB_DIR),
        "output": "out",
        "run_id": "grid",
        "parameters": {"lang": "zh"},
        "notebooks": [{"name": "tiny_report", "grid": grid}],
    }
    run.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    return run


def _hold_code_fingerprint(mp) -> None:
    """Hold the package's code fingerprint still: the tree may be edited while a test runs (the
    fingerprint enters every re-run key; test_code_change_changes_every_key checks that)."""
    from csworkbench.reporting import batch

    mp.setattr(batch, "code_fingerprint", lambda: "held")


def test_code_change_changes_every_key(tmp_path, monkeypatch):
    from csworkbench.reporting import batch

    spec = load_run({"notebooks_dir": str(NB_DIR), "output": str(tmp_path), "notebooks": ["tiny_report"]})
    keys = []
    for fingerprint in ("a", "b"):
        monkeypatch.setattr(batch, "code_fingerprint", lambda f=fingerprint: f)
        records, _, _ = batch._plan(spec, tmp_path, force=False, self_contained=False)
        keys.append([r["key"] for r in records.values()])
    assert keys[0] != keys[1] and all(keys)


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    """One CLI run: three good parameter sets and one that fails; data_path given for provenance."""
    folder = tmp_path_factory.mktemp("batch")
    (folder / "data.csv").write_text("customer_id,date,amount\n1,2026-01-01,3\n", encoding="utf-8")
    grid = [
        {"lang": "zh", "data_path": "data.csv"},
        {"lang": "en"},
        {"lang": "zh", "fail": True, "period": "1990-01"},
        {"lang": "zh", "title": "<b>东区</b> & co"},
    ]
    run = _write_run(folder, grid)
    import os

    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with pytest.MonkeyPatch.context() as mp:
            _hold_code_fingerprint(mp)
            code = main(["report", str(run), "--workers", "2", "--quiet", "--timeout", "120"])
    finally:
        os.chdir(cwd)
    run_dir = folder / "out" / "grid"
    status = json.loads((run_dir / "status.json").read_text(encoding="utf-8"))
    return {"folder": folder, "run": run, "code": code, "run_dir": run_dir, "status": status}


def test_failing_parameter_set_is_isolated(grid_run):
    assert grid_run["code"] == 1  # non-zero because one report failed
    reports = grid_run["status"]["reports"]
    assert [r["status"] for r in reports] == ["ok", "ok", "failed", "ok"]
    failed = reports[2]
    assert "ValueError" in failed["error"] and "deliberate failure" in failed["error"]
    assert "Traceback" not in failed["error"] and "\n" not in failed["error"]
    run_dir = grid_run["run_dir"]
    nb_dir = run_dir / "tiny_report"
    # a failed notebook publishes no HTML; its executed notebook is kept for debugging
    assert not (nb_dir / f"{failed['slug']}.html").exists()
    assert (nb_dir / f"{failed['slug']}.failed.ipynb").exists()
    for r in reports:
        if r["status"] == "ok":
            assert (run_dir / r["html"]).is_file() and (run_dir / r["ipynb"]).is_file()
    # no temporary files left behind
    assert not [p for p in run_dir.rglob("*") if p.name.endswith(".tmp")]


def test_status_records_provenance(grid_run):
    rec = grid_run["status"]["reports"][0]
    assert rec["parameters"] == {"lang": "zh", "data_path": "data.csv"}
    assert rec["data_file"] == "data.csv"
    import hashlib

    assert rec["data_sha256"] == hashlib.sha256((grid_run["folder"] / "data.csv").read_bytes()).hexdigest()
    assert rec["packages"]["papermill"] and rec["packages"]["python"]
    assert isinstance(rec["duration_s"], float) and rec["duration_s"] > 0
    assert "git_commit" in rec
    assert grid_run["status"]["reports"][1]["data_file"] is None  # bundled data


def test_index_shows_failure_message_not_traceback(grid_run):
    index = (grid_run["run_dir"] / "index.html").read_text(encoding="utf-8")
    assert "deliberate failure" in index and "Traceback" not in index
    assert index.count('href="tiny_report/') == 3
    assert "共 4 份报告：成功 3 份，失败 1 份" in index
    assert "&lt;b&gt;东区&lt;/b&gt; &amp; co" in index


def test_report_pages_offline_no_code_no_traceback(grid_run):
    run_dir = grid_run["run_dir"]
    assert (run_dir / "plotly.min.js").stat().st_size > 1_000_000
    pages = sorted(run_dir.rglob("*.html"))
    assert len(pages) == 4  # 3 reports + index
    for page in pages:
        text = page.read_text(encoding="utf-8")
        srcs = re.findall(r"<script[^>]*\ssrc=[\"']([^\"']+)", text)
        assert all(not s.startswith(("http:", "https:", "//")) for s in srcs), srcs
        assert "cdn.plot.ly" not in text and "cdn.jsdelivr" not in text
        assert "Traceback" not in text
        assert (
            'class="jp-CodeMirrorEditor' not in text
            and 'class="highlight' not in text
            and "go.Figure(" not in text
            and "time.sleep" not in text
        )  # no code cells
    page = (run_dir / "tiny_report" / "lang-en.html").read_text(encoding="utf-8")
    assert "Plotly.newPlot" in page and "Customer satisfaction" in page
    titled = [p for p in pages if "title" in p.name][0].read_text(encoding="utf-8")
    assert "<h1>&lt;b&gt;东区&lt;/b&gt; &amp; co</h1>" in titled and "<b>东区</b>" not in titled


def test_rerun_skips_unchanged_reports(grid_run, monkeypatch):
    import os

    _hold_code_fingerprint(monkeypatch)

    folder, run_dir = grid_run["folder"], grid_run["run_dir"]
    before = {p: p.stat().st_mtime_ns for p in run_dir.rglob("*.html") if p.name != "index.html"}
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        spec = load_run(grid_run["run"])
        result = run_reports(spec, workers=1, progress=False, timeout=120)
        assert result.n_reused == 3 and result.n_executed == 1  # only the failed one ran again
        assert result.n_failed == 1
        after = {p: p.stat().st_mtime_ns for p in before}
        assert after == before
        # changing the input data re-runs the report that reads it (and the failed one), nothing else
        (folder / "data.csv").write_text("customer_id,date,amount\n1,2026-01-01,4\n", encoding="utf-8")
        result = run_reports(load_run(grid_run["run"]), workers=1, progress=False, timeout=120)
        assert result.n_executed == 2 and result.n_reused == 2
        assert not result.records[0]["reused"] and result.records[0]["status"] == "ok"
        # --force re-runs everything
        result = run_reports(load_run(grid_run["run"]), workers=2, progress=False, timeout=120, force=True)
        assert result.n_executed == 4
    finally:
        os.chdir(cwd)


def test_timeout_kills_the_kernel_and_fails_the_report(tmp_path):
    spec = load_run(
        {
            "notebooks_dir": str(NB_DIR),
            "output": str(tmp_path),
            "run_id": "slow",
            "notebooks": [{"name": "tiny_report", "grid": [{"sleep": 60.0}]}],
        },
        base=tmp_path,
    )
    result = run_reports(spec, workers=1, progress=False, timeout=6, base=tmp_path)
    rec = result.records[0]
    assert rec["status"] == "failed" and "超时" in rec["error"]
    assert rec["duration_s"] < 40
    assert not list((tmp_path / "slow").rglob("*.html"))[1:]  # only index.html


def test_kernel_that_cannot_start_is_retried_once_then_reported(tmp_path):
    spec = load_run(
        {"notebooks_dir": str(NB_DIR), "output": str(tmp_path), "run_id": "nokernel", "notebooks": ["tiny_report"]},
        base=tmp_path,
    )
    result = run_reports(spec, workers=1, progress=False, timeout=60, base=tmp_path, kernel_name="no-such-kernel")
    rec = result.records[0]
    assert rec["status"] == "failed" and rec["attempts"] == 2
    assert "no-such-kernel" in rec["error"] and "Traceback" not in rec["error"]


def test_dask_local_cluster_two_workers(tmp_path):
    pytest.importorskip("distributed")
    spec = load_run(
        {
            "notebooks_dir": str(NB_DIR),
            "output": str(tmp_path),
            "run_id": "dask",
            "notebooks": [{"name": "tiny_report", "grid": [{"lang": "zh"}, {"lang": "en"}, {"fail": True}]}],
        },
        base=tmp_path,
    )
    result = run_reports(
        spec, engine="dask", workers=2, progress=False, timeout=120, base=tmp_path, self_contained=True
    )
    assert [r["status"] for r in result.records] == ["ok", "ok", "failed"]
    # self-contained: plotly.js inlined in the page, no shared file, no script src at all
    assert not (tmp_path / "dask" / "plotly.min.js").exists()
    page = (tmp_path / "dask" / "tiny_report" / "lang-zh.html").read_text(encoding="utf-8")
    assert not re.findall(r"<script[^>]*\ssrc=", page) and "Plotly.newPlot" in page and len(page) > 3_000_000
    status = json.loads((tmp_path / "dask" / "status.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in status["reports"]] == ["ok", "ok", "failed"]
    assert (tmp_path / "dask" / "tiny_report" / "lang-en.html").is_file()
    assert "deliberate failure" in (tmp_path / "dask" / "index.html").read_text(encoding="utf-8")


def test_lessons_book_has_contents_and_prev_next_links(tmp_path, monkeypatch):
    from csworkbench.reporting.lessons import build_lessons

    _hold_code_fingerprint(monkeypatch)

    lessons = tmp_path / "lessons"
    lessons.mkdir()
    for name in ("01_first", "02_second", "03_third"):
        shutil.copy(NB_DIR / "tiny_report.ipynb", lessons / f"{name}.ipynb")
    result = build_lessons(lessons, output=tmp_path / "out", lang="zh", workers=2, progress=False, timeout=120)
    assert result is not None and result.n_ok == 3
    book = tmp_path / "out" / "book"
    contents = (book / "index.html").read_text(encoding="utf-8")
    assert contents.index("01_first") < contents.index("02_second") < contents.index("03_third")
    middle = (book / "02_second" / "lesson.html").read_text(encoding="utf-8")
    assert 'href="../01_first/lesson.html"' in middle and 'href="../03_third/lesson.html"' in middle
    assert middle.count('class="csw-book-nav"') == 1
    first = (book / "01_first" / "lesson.html").read_text(encoding="utf-8")
    assert "上一讲" not in first and "下一讲" in first
    # rebuilding (all reused) does not stack navigation bars
    again = build_lessons(lessons, output=tmp_path / "out", lang="zh", progress=False)
    assert again.n_reused == 3
    assert (book / "02_second" / "lesson.html").read_text(encoding="utf-8").count('class="csw-book-nav"') == 1


def test_kernel_dying_at_start_is_retried_and_its_message_kept(tmp_path, monkeypatch):
    import sys

    spec_dir = tmp_path / "jupyter" / "kernels" / "broken"
    spec_dir.mkdir(parents=True)
    code = "import sys; sys.stderr.write('broken kernel: no module named foo\\n'); sys.exit(3)"
    (spec_dir / "kernel.json").write_text(
        json.dumps(
            {"argv": [sys.executable, "-c", code, "{connection_file}"], "display_name": "broken", "language": "python"}
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))  # inherited by the spawned workers
    spec = load_run(
        {"notebooks_dir": str(NB_DIR), "output": str(tmp_path), "run_id": "broken", "notebooks": ["tiny_report"]},
        base=tmp_path,
    )
    result = run_reports(spec, workers=1, progress=False, timeout=60, base=tmp_path, kernel_name="broken")
    rec = result.records[0]
    assert rec["status"] == "failed" and rec["attempts"] == 2
    assert "broken kernel: no module named foo" in rec["error"]
    assert rec["duration_s"] < 50


# --------------------------------------------------------------------------- results store, previous period


def _received(ipynb: Path) -> dict:
    """What the notebook printed as the ``previous_kpis`` it received."""
    import nbformat

    nb = nbformat.read(ipynb, as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            if "received previous_kpis:" in text:
                return json.loads(text.split("received previous_kpis:", 1)[1])
    raise AssertionError("the notebook did not print what it received")


def test_second_period_receives_the_first_periods_figures_from_the_store(tmp_path):
    import pandas as pd

    def run(period: str, langs):
        desc = {
            "notebooks_dir": str(NB_DIR),
            "output": str(tmp_path / "out"),
            "parameters": {"period": period},
            "notebooks": [{"name": "kpi_report", "grid": {"lang": langs, "region": ["north", "south"]}}],
        }
        result = run_reports(load_run(desc, base=tmp_path), workers=2, progress=False, timeout=120)
        assert result.n_ok == len(result.records), [r.get("error") for r in result.records]
        return result

    first = run("2026-09", ["zh"])
    assert all(_received(first.run_dir / r["ipynb"]) == {} for r in first.records)  # nothing before 2026-09
    store = pd.read_parquet(tmp_path / "out" / "results.parquet")
    # one row per notebook × parameters-without-period × period × key
    assert len(store) == 2 * 2 and set(store["period"]) == {"2026-09"}
    assert set(store["params_key"]) == {'{"region": "north"}', '{"region": "south"}'}
    north = store[(store["key"] == "satisfaction") & (store["params_key"] == '{"region": "north"}')].iloc[0]
    assert (north["value"], north["ci_low"], north["ci_high"], north["better"]) == (79.0, 77.0, 81.0, "higher")
    assert north["label"] == "满意度" and north["run_id"] == "2026-09" and north["lang"] == "zh"

    # the next month, in both languages: each page gets September's figures of its own region
    second = run("2026-10", ["zh", "en"])
    for rec in second.records:
        got = _received(second.run_dir / rec["ipynb"])
        assert got == {
            "satisfaction": {"value": 79.0, "ci_low": 77.0, "ci_high": 81.0, "period": "2026-09"},
            "complaints": {"value": 91.0, "ci_low": None, "ci_high": None, "period": "2026-09"},
        }, rec["slug"]
        assert json.loads(rec["parameters"]["previous_kpis"]) == got
    store = pd.read_parquet(tmp_path / "out" / "results.parquet")
    assert len(store) == 2 * 2 * 2  # the zh and en pages of one report share their rows
    october = store[(store["period"] == "2026-10") & (store["key"] == "complaints")]
    assert sorted(october["value"]) == [90.0, 90.0]

    # the index: one row per report (zh and en paired), title and description in the run's
    # language, the period's label, the headline figure and its change against September
    index = (second.run_dir / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", index.split("<tbody>", 1)[1], flags=re.S)
    assert len(rows) == 2
    for row in rows:
        assert "关键指标测试报告" in row and "Key-figure test report" not in row
        assert "2026年10月" in row and "满意度: 80" in row
        assert '<div class="change good">▲ 1.00 比2026年9月</div>' in row
        assert re.search(
            r'<a href="kpi_report/[^"]+" hreflang="zh-CN"[^>]*>中文</a> · <a href="kpi_report/[^"]+" hreflang="en"', row
        )
    assert "kpi_report/" in index and "Open" not in index and "Report" not in index.split("<tbody>")[0]


def test_store_replaces_a_reports_rows_and_keeps_others(tmp_path):
    from csworkbench.reporting.store import ResultsStore

    store = ResultsStore(tmp_path)
    fig = {"key": "n", "label": "n", "value": 1}
    store.record("a", {"period": "2026-Q1", "x": 1}, [fig])
    store.record("a", {"period": "2026-Q2", "x": 1}, [fig])
    store.record("a", {"period": "2026-Q2", "x": 1}, [dict(fig, value=5)])  # run again: replaced
    store.record("b", {"period": "2026-Q2", "x": 1}, [dict(fig, value=7)])
    frame = store.read()
    assert len(frame) == 3
    assert store.previous("a", {"period": "2026-Q3", "x": 1, "lang": "en"})["n"]["value"] == 5.0
    assert store.previous("a", {"period": "2026-Q3", "x": 2}) == {}  # other parameters: no comparison
    assert store.previous("a", {"period": "", "x": 1}) == {}  # all data has no previous period


def test_reused_reports_put_their_figures_back_into_a_deleted_store(tmp_path, monkeypatch):
    import pandas as pd

    _hold_code_fingerprint(monkeypatch)

    desc = {
        "notebooks_dir": str(NB_DIR),
        "output": str(tmp_path / "out"),
        "parameters": {"period": "2026-09"},
        "notebooks": [{"name": "kpi_report", "grid": {"lang": ["zh"]}}],
    }
    first = run_reports(load_run(desc, base=tmp_path), workers=1, progress=False, timeout=120)
    assert first.n_ok == 1
    (tmp_path / "out" / "results.parquet").unlink()
    again = run_reports(load_run(desc, base=tmp_path), workers=1, progress=False, timeout=120)
    assert again.n_reused == 1 and again.n_executed == 0
    store = pd.read_parquet(tmp_path / "out" / "results.parquet")
    assert sorted(store["key"]) == ["complaints", "satisfaction"] and set(store["period"]) == {"2026-09"}


def test_a_chain_of_periods_in_one_run_passes_each_period_the_one_before(tmp_path):
    desc = {
        "notebooks_dir": str(NB_DIR),
        "output": str(tmp_path / "out"),
        "run_id": "backfill",
        # listed out of order on purpose; 2026-Q3 and the all-data report take no previous figures
        "notebooks": [{"name": "kpi_report", "grid": {"period": ["2026-11", "2026-09", "2026-10", "", "2026-Q3"]}}],
    }
    result = run_reports(load_run(desc, base=tmp_path), workers=2, progress=False, timeout=120)
    assert result.n_ok == 5, [r.get("error") for r in result.records]
    got = {
        r["parameters"]["period"] if "period" in r["parameters"] else "": _received(result.run_dir / r["ipynb"])
        for r in result.records
    }
    assert got["2026-09"] == {} and got[""] == {} and got["2026-Q3"] == {}
    assert got["2026-10"]["satisfaction"] == {"value": 79.0, "ci_low": 77.0, "ci_high": 81.0, "period": "2026-09"}
    assert got["2026-11"]["satisfaction"] == {"value": 80.0, "ci_low": 78.0, "ci_high": 82.0, "period": "2026-10"}
    assert [r["slug"] for r in result.records] == [
        r["slug"] for r in json.loads((result.run_dir / "status.json").read_text())["reports"]
    ]


def _without_forking(mp) -> None:
    """Run options as on a system that cannot fork: kernels start as new interpreters."""
    from csworkbench.reporting import batch

    plain = batch._worker_options
    mp.setattr(batch, "_worker_options", lambda *a: dict(plain(*a), fork_kernels=False))


@pytest.mark.parametrize("forked", [True, False], ids=["forked", "prestarted"])
def test_every_report_gets_a_kernel_of_its_own(tmp_path, monkeypatch, forked):
    """Forked from its notebook's zygote, or (where forking is off) started while the worker
    exports the report before: every report still gets a kernel of its own (nothing left from
    the report before), and none outlives the run."""
    import nbformat

    if not forked:
        _without_forking(monkeypatch)
    desc = {
        "notebooks_dir": str(NB_DIR),
        "output": str(tmp_path / "out"),
        "run_id": "spare",
        "notebooks": [{"name": "kpi_report", "grid": {"region": ["a", "b", "c"]}}],
    }
    result = run_reports(load_run(desc, base=tmp_path), workers=1, progress=False, timeout=120)
    assert result.n_ok == 3, [r.get("error") for r in result.records]
    assert [r["forked_kernel"] for r in result.records] == [forked] * 3
    # pre-started: the first report's kernel starts with the worker, the others while the one
    # before is exported; forked kernels are not pre-started (forking takes ~0.2 s)
    assert [r["prestarted_kernel"] for r in result.records] == [not forked] * 3
    seen = []
    for rec in result.records:
        nb = nbformat.read(result.run_dir / rec["ipynb"], as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        line = text.split("kernel pid:", 1)[1].split("\n", 1)[0].split()
        seen.append(int(line[0]))
        assert line[2] == "False"  # a fresh namespace
    assert len(set(seen)) == 3
    for pid in seen:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()


def _probe_outputs(tmp_path: Path, name: str, monkeypatch, *, prestart: bool, fork: bool = False) -> tuple[dict, list]:
    """Run warm_probe once on one worker; its record and each code cell's (count, outputs)."""
    import nbformat

    from csworkbench.reporting import batch

    with monkeypatch.context() as mp:
        _hold_code_fingerprint(mp)
        plain = batch._worker_options
        # the cold way: no pre-started (so no warmed) kernel and no forked one
        mp.setattr(batch, "_worker_options", lambda *a: dict(plain(*a), prestart_kernels=prestart, fork_kernels=fork))
        desc = {
            "notebooks_dir": str(NB_DIR),
            "output": str(tmp_path / name),
            "run_id": name,
            "notebooks": [{"name": "warm_probe", "grid": {"lang": ["en"]}}],
        }
        result = run_reports(load_run(desc, base=tmp_path), workers=1, progress=False, timeout=120)
    (rec,) = result.records
    assert rec["status"] == "ok", rec.get("error")
    nb = nbformat.read(result.run_dir / rec["ipynb"], as_version=4)
    cells = [(c.get("execution_count"), c.get("outputs")) for c in nb.cells if c.cell_type == "code"]
    return rec, cells


def test_warm_kernel_gives_the_cold_kernels_outputs_and_no_warm_up_names(tmp_path, monkeypatch):
    """A pre-started kernel imports the heavy modules before its report (overlapping the report
    before); the report sees none of the warm-up's names and every cell output, execution count
    included, is byte-identical to a run in a cold kernel."""
    cold_rec, cold = _probe_outputs(tmp_path, "cold", monkeypatch, prestart=False)
    warm_rec, warm = _probe_outputs(tmp_path, "warm", monkeypatch, prestart=True)
    assert cold_rec["prestarted_kernel"] is False and "warm_up" not in cold_rec["timings"]
    assert warm_rec["prestarted_kernel"] is True and warm_rec["timings"]["warm_up"] > 0
    assert json.dumps(warm, sort_keys=True) == json.dumps(cold, sort_keys=True)
    text = "".join(o.get("text", "") for _, outputs in warm for o in outputs)
    assert "warm-up names: []" in text
    names = eval(text.split("warm-up names:")[0].strip().splitlines()[-1])  # print(sorted(globals()))
    assert {"frame", "pd", "np", "go", "Markdown", "lang"} <= set(names)
    assert not {"WARM", "importlib", "_module", "_m"} & set(names)


def test_forked_kernel_gives_the_cold_kernels_outputs(tmp_path, monkeypatch):
    """A kernel forked from its notebook's zygote (which imported the notebook's modules) gives
    byte-identical cell outputs, execution counts included, to a new interpreter's."""
    cold_rec, cold = _probe_outputs(tmp_path, "cold", monkeypatch, prestart=False)
    forked_rec, forked = _probe_outputs(tmp_path, "forked", monkeypatch, prestart=True, fork=True)
    assert cold_rec["forked_kernel"] is False and forked_rec["forked_kernel"] is True
    assert json.dumps(forked, sort_keys=True) == json.dumps(cold, sort_keys=True)


def test_warm_up_imports_modules_into_the_kernel_silently(tmp_path):
    """_warm_up leaves the modules in sys.modules (submodules named by ``from X import a``
    included), no name in the namespace, no execution count; a failing import is skipped."""
    import asyncio

    from jupyter_client import BlockingKernelClient
    from jupyter_client.manager import AsyncKernelManager

    from csworkbench.reporting.worker import _warm_up

    km = AsyncKernelManager(kernel_name="python3")
    modules = [("email", ("mime",)), ("no_such_module_csw", ()), ("colorsys", ())]
    asyncio.run(km.start_kernel(cwd=str(tmp_path)))
    try:
        asyncio.run(_warm_up(km, modules))
        kc = BlockingKernelClient()
        kc.load_connection_info(km.get_connection_info())
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        seen = []
        code = (
            "import sys\n"
            "print([m in sys.modules for m in ('email', 'email.mime', 'colorsys', 'json.tool')],"
            " sorted(k for k in globals() if not k.startswith('_') and k != 'sys'))"
        )
        reply = kc.execute_interactive(code, timeout=60, output_hook=lambda m: seen.append(m))
        kc.stop_channels()
    finally:
        asyncio.run(km.shutdown_kernel(now=True))
    out = "".join(m["content"].get("text", "") for m in seen if m["msg_type"] == "stream")
    assert out.strip() == "[True, True, True, False] ['In', 'Out', 'exit', 'get_ipython', 'open', 'quit']", out
    assert reply["content"]["execution_count"] == 1  # the warm-up took no execution count


def test_warm_up_modules_are_the_import_statements_every_notebook_shares():
    from csworkbench.reporting.worker import WARM_IMPORTS, warm_up_modules

    base = [(name, ()) for name in WARM_IMPORTS]
    got = warm_up_modules([NB_DIR / "kpi_report.ipynb", NB_DIR / "kpi_report.ipynb"])
    assert got == base + [
        ("json", ()),
        ("os", ()),
        ("IPython.display", ("display",)),
        ("csworkbench.periods", ("Period",)),
    ]
    # two notebooks with no import statement in common: only the base list (a module one report
    # would not import can change its numbers); an unreadable notebook shares nothing
    assert warm_up_modules([NB_DIR / "kpi_report.ipynb", NB_DIR / "warm_probe.ipynb"]) == base
    assert warm_up_modules([NB_DIR / "kpi_report.ipynb", NB_DIR / "missing.ipynb"]) == base


START_METHOD = """
import sys, threading
from csworkbench.reporting.batch import _start_method
print(_start_method())
if sys.argv[1] == "thread":
    threading.Thread(target=threading.Event().wait, daemon=True).start()
    print(_start_method())
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
@pytest.mark.parametrize(
    "env, mode, expected",
    [({}, "plain", ["fork"]), ({}, "thread", ["fork", "spawn"]), ({"CSW_WORKER_START": "spawn"}, "plain", ["spawn"])],
    ids=["single-threaded", "with-a-thread", "asked-to-spawn"],
)
def test_workers_are_forked_only_from_a_single_threaded_run(env, mode, expected):
    """A run's pool forks its workers (no interpreter start, no imports again) only while the
    run has no other thread — a thread's lock would stay locked in the child —, else spawns."""
    out = subprocess.run(
        [sys.executable, "-c", START_METHOD, mode], capture_output=True, text=True, env=dict(os.environ, **env)
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == expected


def test_the_progress_bar_starts_no_thread():
    """The bar exists before the pool starts: a monitor thread would make every run spawn."""
    import threading

    from csworkbench.reporting.batch import _progress

    before = threading.active_count()
    bar = _progress(3, True)
    bar.update(1)
    try:
        assert threading.active_count() == before
    finally:
        bar.close()


WARM_UP = """
import threading
from csworkbench.reporting import html
html.warm_up_export()
print(threading.active_count(), html._exporter.cache_info().currsize)
from csworkbench.reporting.batch import _start_method
print(_start_method())
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_the_warm_up_before_forking_starts_no_thread_so_the_pool_still_forks():
    """The run exports a page per language before its pool forks the workers; a thread started
    by that warm-up (a library's pool) would make every run spawn its workers instead."""
    out = subprocess.run([sys.executable, "-c", WARM_UP], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "2", "fork"]
