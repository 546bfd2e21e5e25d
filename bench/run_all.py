"""Run the whole benchmark suite and rewrite bench/RESULTS.md as one table (``make bench``).

Runs every ``bench/bench_*.py`` one after another, each in a fresh Python process (so one
script's imports, caches and memory do not colour the next), with ``CSW_BENCH_RESULTS_DIR``
pointing at the results directory.  Each script writes ``<results dir>/<script>.json`` through
``bench/_suite.py``; afterwards the JSON files are rendered into one Markdown page: machine and
date in the header, one table (bench, work, size, time, peak memory, baseline, baseline time,
ratio), then each script's detail.  A script that fails or times out gets a "failed" row (its
output is in ``logs/`` next to the results directory, e.g. ``bench/_work/logs/``) and the runner
exits non-zero after rendering the rest.

Usage::

    python bench/run_all.py                 # full sizes → bench/RESULTS.md (tens of minutes)
    python bench/run_all.py --quick         # small sizes → bench/_work/RESULTS-quick.md (minutes)
    python bench/run_all.py --only gaps,drivers --quick --output /tmp/R.md --results-dir /tmp/res
    python bench/run_all.py --render        # re-render from the JSON files, run nothing

``make bench`` = the first line; ``make bench BENCH_QUICK=1`` the second; ``BENCH_ONLY=gaps``
restricts either to some scripts.  The output path can also be given as ``$CSW_BENCH_OUTPUT``.
Scripts not run this time keep their previous JSON (with its own date) in the page.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import _suite

BENCH = _suite.BENCH


def scripts() -> dict[str, Path]:
    """``{"gaps": bench/bench_gaps.py, …}`` for every benchmark script, sorted by name."""
    return {p.stem.removeprefix("bench_"): p for p in sorted(BENCH.glob("bench_*.py"))}


def _shown(path: Path) -> Path:
    """``path`` relative to the project when inside it (no absolute local paths in the page)."""
    try:
        return path.relative_to(BENCH.parent)
    except ValueError:
        return path


def run_one(name: str, path: Path, quick: bool, results: Path, logs: Path, timeout: float) -> str | None:
    """Run one script in a fresh process, echo and log its output; None on success else why not."""
    cmd = [sys.executable, str(path)] + (["--quick"] if quick else [])
    env = os.environ | {_suite.ENV_RESULTS_DIR: str(results), "MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"}
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}{'-quick' if quick else ''}.log"
    tail: collections.deque[str] = collections.deque(maxlen=30)
    print(f">> {name}: {' '.join([Path(cmd[0]).name, *cmd[1:]])}", flush=True)
    t0 = time.monotonic()
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.Popen(
            cmd,
            cwd=BENCH.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        timer = threading.Timer(timeout, proc.kill)  # a silent hang is killed too
        timer.start()
        try:
            for line in proc.stdout or ():
                print("   " + line, end="", flush=True)
                fh.write(line)
                tail.append(line.rstrip())
            code = proc.wait()
        finally:
            timer.cancel()
    elapsed = time.monotonic() - t0
    print(f"<< {name}: exit {code} after {_suite.fmt_seconds(elapsed)}", flush=True)
    log_shown = _shown(log)
    if elapsed >= timeout and code != 0:
        return f"timed out after {timeout:.0f} s (log: `{log_shown}`)"
    if code != 0:
        last = next((line for line in reversed(tail) if line.strip()), "")
        return f"exit code {code}: {last[:200]} (log: `{log_shown}`)"
    if not (results / f"{name}.json").exists():
        return f"wrote no rows (log: `{log_shown}`)"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (minutes, not tens of minutes)")
    parser.add_argument("--only", default="", help="comma-separated script names (gaps, batch, …)")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="Markdown to rewrite (default $CSW_BENCH_OUTPUT, else bench/RESULTS.md, "
        "or bench/_work/RESULTS-quick.md with --quick)",
    )
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=None,
        help="JSON rows directory (default $CSW_BENCH_RESULTS_DIR, else bench/_work/results[-quick])",
    )
    parser.add_argument("--render", action="store_true", help="only re-render the page from the JSON files")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per script (default 3600; quick 900)")
    args = parser.parse_args(argv)

    available = scripts()
    chosen = [s.strip().removeprefix("bench_").removesuffix(".py") for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in available]
    if unknown:
        parser.error(f"unknown bench script(s) {', '.join(unknown)}; available: {', '.join(available)}")
    todo = chosen or list(available)
    results = (args.results_dir or _suite.results_dir(args.quick)).resolve()
    default_out = _suite.WORK / "RESULTS-quick.md" if args.quick else _suite.RESULTS_MD
    output = (args.output or Path(os.environ.get("CSW_BENCH_OUTPUT") or default_out)).resolve()
    timeout = args.timeout or (900.0 if args.quick else 3600.0)

    failures: dict[str, str] = {}
    suite_seconds = None
    started = _suite.now_utc()
    if not args.render:
        results.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        for name in todo:
            (results / f"{name}.json").unlink(missing_ok=True)  # never render a stale row as this run's
            why = run_one(name, available[name], args.quick, results, results.parent / "logs", timeout)
            if why:
                failures[name] = why
        suite_seconds = time.monotonic() - t0

    records = [r for r in _suite.load_records(results) if r["script"] in available]
    missing = {
        name: f"no rows in `{_shown(results)}` (not run yet, or it failed earlier)"
        for name in available
        if name not in failures and all(r["script"] != name for r in records)
    }
    if args.render:
        command = "python bench/run_all.py --render" + (" --quick" if args.quick else "")
    else:
        command = (
            "make bench"
            + (" BENCH_QUICK=1" if args.quick else "")
            + (f" BENCH_ONLY={','.join(chosen)}" if chosen else "")
        )
    text = _suite.render(
        records,
        generated=started,
        suite_seconds=suite_seconds,
        quick=args.quick,
        failures=failures,
        missing=missing,
        command=command,
        n_run=None if args.render else len(todo),
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)
    print(
        f"\nwrote {output} ({len(records)} script(s)"
        + (f"; suite wall time {_suite.fmt_seconds(suite_seconds)}" if suite_seconds is not None else "")
        + ")"
    )
    if failures:
        print("failed: " + "; ".join(f"{k}: {v}" for k, v in failures.items()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
