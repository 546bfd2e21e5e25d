"""Fast tests of csworkbench.reporting that run no kernel: run description, slugs, HTML pieces."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from csworkbench.errors import ReportError
from csworkbench.reporting import spec as specmod
from csworkbench.reporting.cli import build_parser, main
from csworkbench.reporting.files import atomic_write_text, remove_stale_temporaries
from csworkbench.reporting.html import PlotlyOfflinePreprocessor, export_html, report_header
from csworkbench.reporting.index import write_index

HERE = Path(__file__).resolve().parent
NB_DIR = HERE / "data" / "notebooks"


def test_expand_grid_product_and_explicit_list():
    grid = {"lang": ["zh", "en"], "period": ["2026-09", "2026-10"], "title": "x"}
    sets = specmod.expand_grid(grid)
    assert len(sets) == 4
    assert {(s["lang"], s["period"]) for s in sets} == {
        ("zh", "2026-09"),
        ("zh", "2026-10"),
        ("en", "2026-09"),
        ("en", "2026-10"),
    }
    assert all(s["title"] == "x" for s in sets)
    assert specmod.expand_grid([{"a": 1}, {"a": 2, "b": 3}]) == [{"a": 1}, {"a": 2, "b": 3}]
    assert specmod.expand_grid(None) == [{}]
    with pytest.raises(ReportError, match="empty list"):
        specmod.expand_grid({"lang": []})
    with pytest.raises(ReportError, match="grid item 2"):
        specmod.expand_grid([{"a": 1}, "b"])


def test_resolve_period():
    today = dt.date(2026, 3, 15)
    assert specmod.resolve_period("last-month", today) == "2026-02"
    assert specmod.resolve_period("this-month", today) == "2026-03"
    assert specmod.resolve_period("last-month", dt.date(2026, 1, 1)) == "2025-12"
    assert specmod.resolve_period("2026-10") == "2026-10"
    assert specmod.resolve_period("") == ""
    for bad in ("2026-13", "10/2026", "last month", "2026-1"):
        with pytest.raises(ReportError, match="period must be a period like"):
            specmod.resolve_period(bad)


def test_slug_is_safe_and_unique():
    assert specmod.parameter_slug({"lang": "zh", "period": "2026-10"}, ["lang", "period"]) == "lang-zh_period-2026-10"
    a = specmod.parameter_slug({"region": "华东"}, ["region"])
    b = specmod.parameter_slug({"region": "华南"}, ["region"])
    assert a != b and a.isascii() and "/" not in a
    c = specmod.parameter_slug({"data_path": "../x/y.csv"}, ["data_path"])
    assert "/" not in c and ".." not in c.split("-")[0]
    assert specmod.parameter_slug({}, []) == "report"


def _desc(**over):
    desc = {
        "notebooks_dir": str(NB_DIR),
        "output": "out",
        "run_id": "t1",
        "parameters": {"lang": "zh"},
        "notebooks": [{"name": "tiny_report", "grid": {"lang": ["zh", "en"], "fail": [False]}}],
    }
    desc.update(over)
    return desc


def test_load_run_expands_grid_and_shared_parameters(tmp_path):
    spec = specmod.load_run(_desc(), base=tmp_path, period="2026-10")
    assert [j.slug for j in spec.jobs] == ["lang-zh", "lang-en"]
    assert spec.jobs[0].parameters == {"lang": "zh", "period": "2026-10", "fail": False}
    assert spec.run_dir == tmp_path / "out" / "t1"
    # run id falls back to the period, then to today's date
    spec2 = specmod.load_run(_desc(run_id=""), base=tmp_path, period="2026-10")
    assert spec2.run_id == "2026-10"
    spec3 = specmod.load_run(_desc(run_id=""), base=tmp_path, today=dt.date(2026, 5, 2))
    assert spec3.run_id == "2026-05-02"


def test_all_picks_up_every_notebook_in_the_folder(tmp_path):
    spec = specmod.load_run({"notebooks_dir": str(NB_DIR), "notebooks": ["all"]}, base=tmp_path)
    names = {j.notebook for j in spec.jobs}
    assert names == {p.stem for p in NB_DIR.glob("*.ipynb")}
    # omitting 'notebooks' means all as well
    assert {j.notebook for j in specmod.load_run({"notebooks_dir": str(NB_DIR)}, base=tmp_path).jobs} == names


def test_unknown_parameter_rejected_naming_notebook_and_parameter(tmp_path):
    desc = _desc(notebooks=[{"name": "tiny_report", "grid": {"regoin": ["north"]}}])
    with pytest.raises(ReportError) as err:
        specmod.load_run(desc, base=tmp_path)
    assert "tiny_report" in str(err.value) and "regoin" in str(err.value)
    desc = _desc(notebooks=[{"name": "tiny_report", "parameters": {"colour": "red"}}])
    with pytest.raises(ReportError, match="colour"):
        specmod.load_run(desc, base=tmp_path)
    with pytest.raises(ReportError, match="unused_shared"):
        specmod.load_run(_desc(parameters={"lang": "zh", "unused_shared": 1}), base=tmp_path)


def test_bad_descriptions(tmp_path):
    with pytest.raises(ReportError, match="not found"):
        specmod.load_run(_desc(notebooks=["no_such_notebook"]), base=tmp_path)
    with pytest.raises(ReportError, match="unknown key"):
        specmod.load_run(_desc(notebok=["x"]), base=tmp_path)
    with pytest.raises(ReportError, match="language"):
        specmod.load_run(_desc(parameters={"lang": "fr"}), base=tmp_path)
    bad = tmp_path / "bad.yml"
    bad.write_text("notebooks: [unclosed", encoding="utf-8")
    with pytest.raises(ReportError, match="bad.yml"):
        specmod.load_run(bad, base=tmp_path)
    with pytest.raises(ReportError, match="run_id"):
        specmod.load_run(_desc(run_id="../escape"), base=tmp_path)


def test_unknown_parameter_cli_exit_2_and_nothing_runs(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = tmp_path / "run.yml"
    run.write_text(json.dumps(_desc(notebooks=[{"name": "tiny_report", "grid": {"nope": [1]}}])), encoding="utf-8")
    assert main(["report", str(run), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "tiny_report" in err and "nope" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_project_run_description_lists_every_analysis_notebook():
    root = HERE.parent
    spec = specmod.load_run(root / "reports" / "reports.yml", base=root)
    analysis = {p.stem for p in (root / "notebooks" / "analysis").glob("*.ipynb")}
    assert analysis and {j.notebook for j in spec.jobs} == analysis


def test_cli_parser_help_is_readable(capsys):
    parser = build_parser()
    args = parser.parse_args(["report", "run.yml", "--period", "last-month", "--engine", "dask", "--self-contained"])
    assert args.run == "run.yml" and args.engine == "dask" and args.self_contained
    with pytest.raises(SystemExit):
        parser.parse_args(["report", "--help"])
    out = capsys.readouterr().out
    assert "--scheduler" in out and "--force" in out and "(default: None)" not in out


def test_cli_list_shows_parameters(capsys):
    assert main(["list", "--dir", str(NB_DIR)]) == 0
    out = capsys.readouterr().out
    assert "tiny_report" in out and "fail" in out and "lang" in out


def test_cli_lessons_without_lessons_exits_0(tmp_path, capsys):
    assert main(["lessons", "--dir", str(tmp_path)]) == 0
    assert "no lesson notebooks" in capsys.readouterr().out


# ----------------------------------------------------------------------------- HTML pieces


def test_header_escapes_user_strings():
    evil = '<script>alert("x")</script>'
    out = report_header(
        evil, {"region": evil, evil: 1}, lang="en", record={"data_file": evil + ".csv", "data_sha256": "ab" * 32}
    )
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "Parameters" in out and "Data source" in out


def _plotly_nb():
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=["可靠性", "移情性"], y=[1, 2]))
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("fig.show()")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"application/vnd.plotly.v1+json": json.loads(fig.to_json()), "text/plain": "Figure"}
        ),
        nbformat.v4.new_output("stream", name="stderr", text="/home/me/secret.py:1: UserWarning: x\n"),
        nbformat.v4.new_output("stream", name="stdout", text="正常输出\n"),
    ]
    hidden = nbformat.v4.new_markdown_cell("HIDDEN-NOTE", metadata={"tags": ["report-hide"]})
    nb.cells = [nbformat.v4.new_markdown_cell("# 标题"), hidden, nbformat.v4.new_code_cell("secret_code = 1"), code]
    return nb


def test_export_html_offline_no_code_no_cdn():
    page = export_html(_plotly_nb(), title="T <b>", parameters={"lang": "zh"}, lang="zh")
    assert '<script src="../plotly.min.js" type="text/javascript"></script>' in page or 'src="../plotly.min.js"' in page
    assert "Plotly.newPlot" in page and ("可靠性" in page or "\\u53ef\\u9760\\u6027" in page)
    assert "secret_code" not in page and "fig.show()" not in page
    assert "UserWarning" not in page and "正常输出" in page
    assert "HIDDEN-NOTE" not in page
    assert 'lang="zh-CN"' in page and "T &lt;b&gt;" in page
    import re

    srcs = re.findall(r"<script[^>]*\ssrc=[\"']([^\"']+)", page)
    assert srcs == ["../plotly.min.js"]
    assert "cdn.plot.ly" not in page and "cdn.jsdelivr" not in page and "require.min.js" not in page


def test_export_html_self_contained_inlines_plotlyjs():
    page = export_html(_plotly_nb(), title="T", parameters={}, lang="en", plotly_src=None)
    import re

    assert re.findall(r"<script[^>]*\ssrc=", page) == []
    assert len(page) > 3_000_000  # plotly.js itself


def test_preprocessor_is_an_nbconvert_preprocessor():
    from nbconvert.preprocessors import Preprocessor

    nb, _ = PlotlyOfflinePreprocessor().preprocess(_plotly_nb(), {})
    data = nb.cells[3].outputs[0]["data"]
    assert list(data) == ["text/html"] and "csw-plot-1" in data["text/html"]
    assert isinstance(PlotlyOfflinePreprocessor(), Preprocessor)


def test_index_lists_failures_with_message_escaped(tmp_path):
    records = [
        {"notebook": "a", "parameters": {"lang": "zh"}, "status": "ok", "duration_s": 2.5, "html": "a/lang-zh.html"},
        {
            "notebook": "b<i>",
            "parameters": {"x": "<y>"},
            "status": "failed",
            "duration_s": 1.0,
            "error": "cell 3: ValueError: bad <thing>",
        },
    ]
    path = write_index(tmp_path, records, lang="en", run_id="r1")
    page = path.read_text(encoding="utf-8")
    assert 'href="a/lang-zh.html"' in page
    assert "ValueError: bad &lt;thing&gt;" in page and "b&lt;i&gt;" in page and "<y>" not in page
    assert "2 reports: 1 OK, 1 failed" in page
    zh = write_index(tmp_path, records, lang="zh").read_text(encoding="utf-8")
    assert "失败" in zh and 'lang="zh-CN"' in zh


def test_atomic_write_and_stale_temporaries(tmp_path):
    atomic_write_text(tmp_path / "x" / "a.html", "ok")
    assert (tmp_path / "x" / "a.html").read_text() == "ok"
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["a.html"]
    (tmp_path / "x" / ".b.html.abc.tmp").write_text("half")
    assert remove_stale_temporaries(tmp_path) == 1
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["a.html"]


def test_cdn_plotly_script_in_html_output_is_removed():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": '<div>chart</div><script src="https://cdn.plot.ly/plotly-3.0.1.min.js" charset="utf-8"></script>'
            },
        )
    ]
    nb.cells = [cell]
    page = export_html(nb, title="t", parameters={}, lang="en")
    assert "cdn.plot.ly" not in page and "<div>chart</div>" in page


def test_cli_lab_execs_jupyterlab_on_the_notebooks(monkeypatch):
    import os

    from csworkbench import config

    calls = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append((path, argv)))
    main(["lab", "--no-browser"])
    ((path, argv),) = calls
    assert Path(path).name in ("jupyter-lab", "jupyter")
    assert f"--ServerApp.root_dir={config.NOTEBOOKS_DIR}" in argv and argv[-1] == "--no-browser"


def test_empty_shared_value_leaves_the_notebook_default(tmp_path):
    spec = specmod.load_run(_desc(parameters={"lang": "en", "period": ""}), base=tmp_path)
    assert all("period" not in j.parameters and j.parameters["lang"] for j in spec.jobs)
    spec = specmod.load_run(_desc(parameters={"lang": "en", "period": ""}), base=tmp_path, period="2026-10")
    assert all(j.parameters["period"] == "2026-10" for j in spec.jobs)


# --------------------------------------------------------------------------- csw lab / make lab


def test_lab_command_allows_root_only_as_root_and_hides_paired_scripts(tmp_path):
    import asyncio

    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
    from jupyterlab.labapp import LabApp
    from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

    from csworkbench.reporting.cli import lab_command

    (tmp_path / "sub").mkdir()
    for name in ("a", "sub/b"):
        shutil.copy(NB_DIR / "tiny_report.ipynb", tmp_path / f"{name}.ipynb")
        (tmp_path / f"{name}.py").write_text("# %%\n1\n")
    (tmp_path / "own_script.py").write_text("print(1)\n")  # not paired: stays visible
    as_user = lab_command(["--no-browser"], notebooks_dir=tmp_path, uid=1000)
    as_root = lab_command(["--no-browser"], notebooks_dir=tmp_path, uid=0)
    assert "--allow-root" not in as_user and as_root.count("--allow-root") == 1
    assert as_root.count("--no-browser") == 1
    # the options parse as JupyterLab parses them, and its (jupytext) contents manager lists
    # every notebook once, hides the paired .py and keeps the user's own script
    app = LabApp()
    app.parse_command_line([a for a in as_root[1:] if a != "lab"])
    assert app.config.ServerApp.allow_root is True and app.config.ServerApp.root_dir == str(tmp_path)
    manager_class = build_async_jupytext_contents_manager_class(AsyncLargeFileManager)
    manager = manager_class(config=app.config, root_dir=str(tmp_path))
    top = asyncio.run(manager.get("", content=True))
    sub = asyncio.run(manager.get("sub", content=True))
    assert sorted(item["name"] for item in top["content"]) == ["a.ipynb", "own_script.py", "sub"]
    assert [item["name"] for item in sub["content"]] == ["b.ipynb"]
    assert "__pycache__" in app.config.ContentsManager.hide_globs  # jupyter_server's defaults kept


def test_make_lab_runs_csw_lab():
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    recipe = [line.strip() for line in makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]]
    assert recipe == ['"$(BIN)/csw" lab']  # csw lab decides about --allow-root (tested above)


def test_csw_lab_passes_jupyterlab_options_in_order(monkeypatch):
    import os

    calls = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append(argv))
    main(["lab", "--no-browser", "--port", "8899"])
    assert calls[0][-3:] == ["--no-browser", "--port", "8899"]


def test_run_index_pairs_languages_and_shows_status_period_and_figure(tmp_path):
    from csworkbench.reporting.index import write_index as write_run_index
    from csworkbench.reporting.store import ResultsStore

    nb = tmp_path / "sales.ipynb"
    nb.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "markdown",
                        "source": "# 销售月报 · Monthly sales\n\n本月销售与上月比较。其余略。\nThis month against the last. More.",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    fig = {"key": "revenue", "label": "Revenue", "value": 1200.0, "kind": "money", "better": "higher"}
    ResultsStore(tmp_path).record("sales", {"period": "2026-Q2", "lang": "en"}, [dict(fig, value=1500.0)])
    base = {"notebook": "sales", "duration_s": 1.5, "kpis": [fig]}
    records = [
        dict(base, parameters={"lang": "zh", "period": "2026-Q3"}, slug="zh", status="ok", html="sales/zh.html"),
        dict(base, parameters={"lang": "en", "period": "2026-Q3"}, slug="en", status="ok", html="sales/en.html"),
        dict(
            base,
            parameters={"lang": "en", "period": "2026-Q3", "region": "<b>x</b>"},
            slug="r",
            status="failed",
            error="cell 3: DataError: <script>",
            kpis=[],
        ),
        dict(base, parameters={"lang": "en", "period": "2026-Q3", "region": "y"}, slug="y", status="interrupted"),
    ]
    page = write_run_index(tmp_path / "run", records, lang="en", run_id="r1", output=tmp_path, notebooks={"sales": nb})
    text = page.read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", text.split("<tbody>", 1)[1], flags=re.S)
    assert len(rows) == 3  # zh + en paired; the failed and the interrupted report alone
    assert "Monthly sales" in rows[0] and "This month against the last." in rows[0] and "销售月报" not in rows[0]
    assert "Q3 2026" in rows[0] and "Revenue: " in rows[0]
    assert '<div class="change bad">▼ 300.00 vs Q2 2026</div>' in rows[0]
    assert ">中文</a> · <a" in rows[0] and 'href="sales/zh.html"' in rows[0] and 'href="sales/en.html"' in rows[0]
    assert 'class="status-failed"' in rows[1] and "&lt;script&gt;" in rows[1] and "<script>" not in rows[1]
    assert 'class="status-interrupted"' in rows[2] and "interrupted" in rows[2]
    assert "1 interrupted" in text
