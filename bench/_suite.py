"""The benchmark suite's one shared helper (基准测试): timing, peak memory, machine facts, rows, RESULTS.md.

Every ``bench/bench_<name>.py`` script builds a :class:`Bench`, adds one :class:`Row` per timed
piece of work (with the baseline timed in the same run of the same script, never a figure from
another day), attaches its prose detail, and calls :meth:`Bench.save`.  That writes
``<results dir>/<name>.json`` and prints the rows; it does not touch ``bench/RESULTS.md``.
``bench/run_all.py`` (``make bench``) runs every script in a fresh process, then calls
:func:`render` on the JSON files to rewrite RESULTS.md as one table with the machine and date.

Results directory: ``$CSW_BENCH_RESULTS_DIR`` if set, else ``bench/_work/results`` (full sizes)
or ``bench/_work/results-quick`` (``--quick``); ``bench/_work`` is git-ignored.

Peak memory is reported with how it was measured, because the methods measure different things:

* ``traced`` — :mod:`tracemalloc` peak of Python/NumPy allocations made during the call (above
  what was allocated before it), measured in a second, untimed run so tracing does not slow the
  timed one.  Native allocations outside Python's allocator (DuckDB, BLAS work space) are missing.
* ``RSS`` — peak resident set size (``getrusage(...).ru_maxrss``) of a fresh process that did only
  this step; interpreter, imports, input and result included.
* ``RSS, largest process`` — for commands that start further processes (kernels, CLIs): the peak
  RSS of the largest single process in the tree, not the sum.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "_work"
RESULTS_MD = BENCH / "RESULTS.md"
ENV_RESULTS_DIR = "CSW_BENCH_RESULTS_DIR"
TABLE_COLUMNS = ("bench", "work", "size", "time", "peak memory", "baseline", "baseline time", "ratio")


def results_dir(quick: bool) -> Path:
    """Where the scripts write their JSON rows (``$CSW_BENCH_RESULTS_DIR`` wins)."""
    env = os.environ.get(ENV_RESULTS_DIR)
    if env:
        return Path(env)
    return WORK / ("results-quick" if quick else "results")


# --------------------------------------------------------------------------- measuring


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[Any, float]:
    """Run ``fn`` ``repeat`` times; return the last result and the fastest wall time in seconds."""
    best = float("inf")
    out = None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def traced_peak_mb(fn: Callable[[], Any]) -> float:
    """Peak MB of Python/NumPy allocations made while ``fn`` runs (tracemalloc; run untimed)."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return max(0.0, peak - before) / 1e6


def _maxrss_mb(who: int) -> float:
    rss = resource.getrusage(who).ru_maxrss
    return rss / 1e6 if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB on Linux


def process_peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return _maxrss_mb(resource.RUSAGE_SELF)


_MEASURE = r"""
import json, resource, subprocess, sys, time
cmds, cwd = json.loads(sys.argv[1]), sys.argv[2] or None
t0 = time.perf_counter()
codes, tails = [], []
for cmd in cmds:
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    codes.append(p.returncode)
    tails.append((p.stdout[-2000:], p.stderr[-2000:]))
    if p.returncode:
        break
seconds = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "maxrss": rss, "codes": codes, "tails": tails}))
"""


def run_measured(
    commands: list[list[str]], cwd: Path | None = None, env: dict | None = None, timeout: float | None = None
) -> dict:
    """Run shell-free commands one after another in a fresh wrapper process.

    Returns ``{"seconds", "peak_mb", "codes", "tails"}``: wall time of the commands (the
    wrapper's own start-up excluded), the peak RSS of the largest single process among them and
    their descendants (``RUSAGE_CHILDREN`` of the wrapper), exit codes, and the last 2,000
    characters of each command's stdout/stderr.  Stops at the first command that fails.
    """
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, json.dumps(commands), str(cwd or "")],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"measuring wrapper failed: {proc.stderr[-2000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    rss = out.pop("maxrss")
    out["peak_mb"] = rss / 1e6 if sys.platform == "darwin" else rss / 1024
    return out


# --------------------------------------------------------------------------- machine


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _memory_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def cores_available() -> int:
    """CPUs this process may run on (affinity / container limit), else ``os.cpu_count()``."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def load_average() -> float | None:
    """1-minute load average, or None where the OS has none."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def machine() -> dict:
    """Facts about this machine and the library versions (versions of what is importable)."""
    versions = {"Python": platform.python_version()}
    for label, module in (("pandas", "pandas"), ("NumPy", "numpy")):
        try:
            versions[label] = __import__(module).__version__
        except ImportError:
            versions[label] = "not installed"
    return {
        "cpu_model": _cpu_model(),
        "cores": cores_available(),
        "logical_cpus": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "system": f"{platform.system()} {platform.machine()}",
        "versions": versions,
    }


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    """One line of the results table.

    ``seconds``/``baseline_seconds`` are wall times of the same work (same input, same output)
    timed in the same run; ``ratio`` = baseline / csworkbench (above 1: csworkbench is faster).
    ``note`` says why something is missing (e.g. a baseline not run because it would exceed
    the cap) or adds a check (agreement of the two results, a throughput).
    """

    work: str
    size: str
    seconds: float | None
    peak_mb: float | None = None
    memory: str = "traced"
    baseline: str | None = None
    baseline_seconds: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.seconds and self.baseline_seconds is not None and self.seconds > 0:
            return self.baseline_seconds / self.seconds
        return None


@dataclass
class Bench:
    """Collects one script's rows; :meth:`save` writes them as JSON for the runner."""

    name: str
    quick: bool = False
    rows: list[Row] = field(default_factory=list)
    detail: str = ""
    started: str = field(default_factory=now_utc)
    load_start: float | None = field(default_factory=load_average)
    _t0: float = field(default_factory=time.perf_counter)

    def add(self, *args, **kwargs) -> Row:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        print("  row:", _row_cells(self.name, row), flush=True)
        return row

    def save(self) -> Path:
        out_dir = results_dir(self.quick)
        out_dir.mkdir(parents=True, exist_ok=True)
        record = {
            "script": self.name,
            "quick": self.quick,
            "started": self.started,
            "finished": now_utc(),
            "seconds": time.perf_counter() - self._t0,
            "load_start": self.load_start,
            "load_end": load_average(),
            "machine": machine(),
            "rows": [asdict(r) | {"ratio": r.ratio} for r in self.rows],
            "detail": self.detail.strip(),
        }
        path = out_dir / f"{self.name}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
        print("\n" + _table([record]))
        try:
            shown = path.relative_to(ROOT)
        except ValueError:
            shown = path
        print(f"\nrows written to {shown}; `python bench/run_all.py --render` rebuilds bench/RESULTS.md from them")
        return path


# --------------------------------------------------------------------------- rendering


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "—"
    if s < 0.1:
        return f"{s * 1e3:.1f} ms"
    if s < 10:
        return f"{s:.2f} s"
    if s < 100:
        return f"{s:.1f} s"
    return f"{s:,.0f} s"


def _fmt_mb(mb: float | None, how: str) -> str:
    if mb is None:
        return "—"
    return f"{mb:,.0f} MB ({how})" if mb >= 10 else f"{mb:.1f} MB ({how})"


def _fmt_ratio(r: float | None) -> str:
    if r is None:
        return "—"
    return f"**{r:.1f}×**" if r < 100 else f"**{r:,.0f}×**"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _row_cells(script: str, row: Row | dict) -> str:
    r = row if isinstance(row, dict) else asdict(row) | {"ratio": row.ratio}
    work = r["work"] + (f" — {r['note']}" if r.get("note") else "")
    cells = [
        f"`{script}`",
        work,
        r["size"],
        fmt_seconds(r["seconds"]),
        _fmt_mb(r["peak_mb"], r["memory"]),
        r["baseline"] or "—",
        fmt_seconds(r["baseline_seconds"]) if r["baseline"] else "—",
        _fmt_ratio(r["ratio"]),
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(records: list[dict], failures: dict[str, str] | None = None, missing: dict[str, str] | None = None) -> str:
    lines = ["| " + " | ".join(TABLE_COLUMNS) + " |", "|" + "---|" * len(TABLE_COLUMNS)]
    for rec in records:
        lines += [_row_cells(rec["script"], row) for row in rec["rows"]]
    for label, problems in (("failed", failures), ("no results", missing)):
        for script, why in (problems or {}).items():
            lines.append("| " + " | ".join([f"`{script}`", _cell(f"**{label}**: {why}")] + ["—"] * 6) + " |")
    return "\n".join(lines)


def _machine_line(m: dict) -> str:
    mem = f"{m['memory_gib']:.1f} GiB memory" if m.get("memory_gib") else "memory unknown"
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    return (
        f"{m['cpu_model']}, {m['cores']} cores available ({m['logical_cpus']} logical CPUs), {mem}, "
        f"{m['system']}; {versions}"
    )


def load_records(directory: Path) -> list[dict]:
    """Every ``<script>.json`` in ``directory`` (sorted by script name)."""
    if not directory.exists():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))]


def render(
    records: list[dict],
    *,
    generated: str | None = None,
    suite_seconds: float | None = None,
    quick: bool = False,
    failures: dict[str, str] | None = None,
    missing: dict[str, str] | None = None,
    command: str = "make bench",
    n_run: int | None = None,
) -> str:
    """RESULTS.md text: header (date, machine, loads, legend), one table, then each script's detail."""
    generated = generated or now_utc()
    n_run = len(records) if n_run is None else n_run
    machines = {json.dumps(r["machine"], sort_keys=True): r["machine"] for r in records}
    lines = [
        "# Benchmarks (基准测试)" + (" — quick mode (small sizes)" if quick else ""),
        "",
        f"Generated {generated} by `{command}` (`bench/run_all.py`): the `bench/bench_*.py` scripts ran one",
        "after another, each in a fresh process, wrote their rows to `bench/_work/results*/<script>.json`, and",
        "this page was rewritten from them.  Do not edit by hand; a script run on its own updates only its JSON",
        "(`python bench/run_all.py --render` rebuilds this page).",
        "",
    ]
    if len(machines) == 1:
        lines.append(f"**Machine:** {_machine_line(next(iter(machines.values())))}.")
    else:
        for m in machines.values():
            who = ", ".join(r["script"] for r in records if r["machine"] == m)
            lines.append(f"**Machine ({who}):** {_machine_line(m)}.")
    if suite_seconds is not None:
        lines += [
            "",
            f"**Whole suite:** {fmt_seconds(suite_seconds)} wall time for {n_run} script"
            f"{'s' if n_run != 1 else ''} run one after another"
            + (f" ({len(failures)} failed)" if failures else "")
            + ".",
        ]
    if records:
        lines += [
            "",
            "**Runs** (script: start–end, wall time of the script's own work, 1-minute load average at start → end):",
            "",
        ]
        lines += [
            f"- `{r['script']}`: {r['started'][:16]}–{r['finished'][11:16]} UTC, {fmt_seconds(r['seconds'])}, "
            f"load {_load(r['load_start'])} → {_load(r['load_end'])}" + (" (quick mode)" if r.get("quick") else "")
            for r in records
        ]
    lines += [
        "",
        "The machine is shared (other people's test runs), so absolute times move with the load above;",
        "each **ratio** = baseline time / csworkbench time, both timed in the same run of the same script on the",
        "same input (above 1: csworkbench is faster).  Baselines that would take more than about a minute are",
        "not run at that size, and the row says so; nothing is extrapolated.  **Peak memory**: *traced* =",
        "tracemalloc peak of Python/NumPy allocations during the call (untimed second run; native DuckDB/BLAS",
        "memory not seen); *RSS* = peak resident set of a fresh process that did only this step (interpreter,",
        "imports and data included); *RSS, largest process* = the biggest single process of a command tree.",
        "",
        _table(records, failures, missing),
        "",
    ]
    for rec in records:
        if rec.get("detail"):
            lines += [rec["detail"].strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def _load(x: float | None) -> str:
    return "?" if x is None else f"{x:.1f}"


def cli_quick(argv: list[str] | None = None) -> bool:
    """True when ``--quick`` is among the arguments (for scripts without their own parser)."""
    return "--quick" in (sys.argv[1:] if argv is None else argv)
