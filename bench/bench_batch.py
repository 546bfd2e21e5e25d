"""Benchmark: eight reports by ``csw report`` vs the naive way (papermill CLI + nbconvert CLI per report).

Eight reports = the analysis notebooks × two parameter sets (``lang`` zh/en); when there are
fewer than four analysis notebooks, further parameter sets (``title`` variants) fill up to
eight so both sides always render eight reports.  Both sides run in this process, one after
the other, on fresh output folders under ``bench/_work/`` (git-ignored):

* **csw**: ``csw report RUN.yml --force --quiet`` — one process, worker pool (all cores),
  kernels isolated, fast kernel start-up, one shared ``plotly.min.js``;
* **naive**: for each report, ``papermill in.ipynb out.ipynb -p lang …`` then
  ``jupyter nbconvert --to html --no-input out.ipynb``, sequentially.

It also times a bare kernel start plus the first plotly ``fig.show()`` with and without the
start-up fix of :mod:`csworkbench.reporting.batch` (median of 3).

Prints both times, the ratio, the median HTML size of each side, and replaces its section of
bench/RESULTS.md between ``<!-- bench_batch -->`` and ``<!-- /bench_batch -->``.

Run: ``.venv/bin/python bench/bench_batch.py``
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "_work" / "batch"
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench_batch -->", "<!-- /bench_batch -->"
BIN = Path(sys.executable).parent
N_REPORTS = 8


def _parameter_sets() -> list[tuple[Path, dict]]:
    from csworkbench.reporting.spec import analysis_notebooks, notebook_parameters

    notebooks = analysis_notebooks(ROOT / "notebooks" / "analysis")
    jobs: list[tuple[Path, dict]] = []
    k = 0
    while len(jobs) < N_REPORTS:
        for nb in notebooks:
            declared = notebook_parameters(nb)
            for lang in ("zh", "en"):
                params = {"lang": lang} if "lang" in declared else {}
                if k and "title" in declared:
                    params["title"] = f"Bench {k}"
                jobs.append((nb, params))
        k += 1
    return jobs[:N_REPORTS]


def _kernel_startup(arguments: list[str], repeat: int = 3) -> tuple[float, float]:
    from jupyter_client.manager import start_new_kernel

    code = "import plotly.graph_objects as go; go.Figure(go.Scatter(x=[1], y=[2])).show()"
    starts, shows = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", extra_arguments=arguments, stderr=subprocess.DEVNULL)
        t1 = time.perf_counter()
        kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
        t2 = time.perf_counter()
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        starts.append(t1 - t0)
        shows.append(t2 - t1)
    return statistics.median(starts), statistics.median(shows)


def _run_csw(jobs, out: Path) -> float:
    entries = {}
    for nb, params in jobs:
        entries.setdefault(nb.stem, []).append(params)
    desc = {
        "output": str(out),
        "run_id": "csw",
        "notebooks_dir": str(ROOT / "notebooks" / "analysis"),
        "notebooks": [{"name": name, "grid": grid} for name, grid in entries.items()],
    }
    run = out / "run.yml"
    out.mkdir(parents=True, exist_ok=True)
    run.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    t0 = time.perf_counter()
    proc = subprocess.run([str(BIN / "csw"), "report", str(run), "--force", "--quiet"], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    print(proc.stdout.strip())
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit("csw report failed")
    return elapsed


def _run_naive(jobs, out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for i, (nb, params) in enumerate(jobs):
        executed = out / f"{nb.stem}-{i}.ipynb"
        cmd = [str(BIN / "papermill"), str(nb), str(executed), "-k", "python3", "--no-progress-bar"]
        for key, value in params.items():
            cmd += ["-p", key, str(value)]
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t0


def _median_size(paths) -> float:
    sizes = [p.stat().st_size for p in paths]
    return statistics.median(sizes) if sizes else float("nan")


def _write_section(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n\nEach `bench/bench_*.py` script replaces its own section.\n"
    block = f"{START}\n{section.rstrip()}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    from csworkbench.reporting.batch import KERNEL_ARGUMENTS

    shutil.rmtree(WORK, ignore_errors=True)
    jobs = _parameter_sets()
    names = sorted({nb.stem for nb, _ in jobs})
    print(f"{len(jobs)} reports from {len(names)} analysis notebook(s): {', '.join(names)}")

    before = _kernel_startup([])
    after = _kernel_startup(list(KERNEL_ARGUMENTS))
    print(f"kernel start + first fig.show(): default {before[0]:.2f} + {before[1]:.2f} s; with fix {after[0]:.2f} + {after[1]:.2f} s")

    t_csw = _run_csw(jobs, WORK / "csw")
    t_naive = _run_naive(jobs, WORK / "naive")
    csw_pages = [p for p in (WORK / "csw" / "csw").rglob("*.html") if p.name != "index.html"]
    naive_pages = list((WORK / "naive").glob("*.html"))
    plotly_js = (WORK / "csw" / "csw" / "plotly.min.js").stat().st_size
    med_csw, med_naive = _median_size(csw_pages), _median_size(naive_pages)
    ratio = t_naive / t_csw
    print(f"csw report: {t_csw:.1f} s   naive (papermill + nbconvert CLI, sequential): {t_naive:.1f} s   ratio {ratio:.2f}x")
    print(f"median HTML: csw {med_csw / 1e3:.0f} kB (+ one shared plotly.min.js {plotly_js / 1e6:.2f} MB)   naive {med_naive / 1e3:.0f} kB")

    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    section = f"""## batch reports — 8 reports, `csw report` vs papermill CLI + nbconvert CLI (`bench/bench_batch.py`)

Run {now}, Python {platform.python_version()}, {platform.machine()} ({os.cpu_count()} CPUs, load average {load:.1f} at the end;
other jobs may share the machine).  Reports: {', '.join(names)} × parameter sets (lang zh/en{', title variants' if len(names) < 4 else ''}).

| way | wall time | median HTML size |
|---|---|---|
| `csw report` ({os.cpu_count()} workers, isolated IPC kernels, start-up fix) | **{t_csw:.1f} s** | {med_csw / 1e3:.0f} kB + one shared `plotly.min.js` ({plotly_js / 1e6:.2f} MB per run folder) |
| naive: `papermill` CLI then `jupyter nbconvert --to html --no-input` CLI, per report, sequential | {t_naive:.1f} s | {med_naive / 1e3:.0f} kB (plotly charts **not rendered**: nbconvert has no plotly template) |
| **ratio naive / csw** | **{ratio:.2f}×** | |

Kernel start-up (median of 3; start = kernel ready, show = first plotly `fig.show()`):

| kernel | start | first `fig.show()` | total |
|---|---|---|---|
| default (jsonschema imports rfc3987-syntax → lark grammar build) | {before[0]:.2f} s | {before[1]:.2f} s | {sum(before):.2f} s |
| `csw` report kernel (`rfc3987_syntax` blocked, history off) | {after[0]:.2f} s | {after[1]:.2f} s | {sum(after):.2f} s |
"""
    _write_section(section)
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
