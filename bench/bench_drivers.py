"""Benchmark of the drivers capability (csworkbench.pls, csworkbench.drivers).

Measures, in one run:

1. ``PLSPM`` fit on the ECSI bank survey (250 × 27, centroid, unscaled — R plspm's reference
   set-up) and 1,000 bootstrap resamples; with the max |difference| to R plspm's published
   outputs (the reference tables of ``tests/test_pls.py``).
2. The same with the Python port plspm 0.5.7 (GPL; needs pandas < 3) installed in a
   benchmark-only venv ``bench/_work/plspm-venv`` and run in a subprocess: both times, the ratio
   and the max |difference| of the path estimates.  If the venv cannot be made, this is said.
3. ``dominance`` with 12 predictors on 100,000 rows (exact, all 4,095 subsets from the
   correlation matrix) against refitting statsmodels OLS on every subset (``--subsets N``
   refits only N random subsets and extrapolates, stated in the output).

Writes its section of ``bench/RESULTS.md`` between ``<!-- bench_drivers -->`` markers.
Run: ``.venv/bin/python bench/bench_drivers.py`` (about 8 minutes, mostly the OLS baseline).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

from csworkbench.config import RAW_DIR
from csworkbench.drivers import dominance
from csworkbench.pls import PLSPM, ecsi_model

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS.md"
WORK = BENCH / "_work"
VENV = WORK / "plspm-venv"
ECSI = RAW_DIR / "drivers" / "ecsi_satisfaction.csv"

OLD_PLSPM_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    import pandas as pd
    import plspm.config as c
    from plspm.plspm import Plspm
    from plspm.scheme import Scheme
    from plspm.mode import Mode
    data = pd.read_csv(sys.argv[1])
    n_boot = int(sys.argv[2])
    s = c.Structure()
    s.add_path(["IMAG"], ["EXPE", "SAT", "LOY"]); s.add_path(["EXPE"], ["QUAL", "VAL", "SAT"])
    s.add_path(["QUAL"], ["VAL", "SAT"]); s.add_path(["VAL"], ["SAT"]); s.add_path(["SAT"], ["LOY"])
    cfg = c.Config(s.path(), scaled=False)
    for lv, pre in [("IMAG", "imag"), ("EXPE", "expe"), ("QUAL", "qual"), ("VAL", "val"), ("SAT", "sat"), ("LOY", "loy")]:
        cfg.add_lv_with_columns_named(lv, Mode.A, data, pre)
    times = []
    for _ in range(5):
        t = time.perf_counter(); m = Plspm(data, cfg, Scheme.CENTROID); m.path_coefficients(); times.append(time.perf_counter() - t)
    paths = m.path_coefficients()
    out = {"fit": sorted(times)[len(times) // 2], "gof": m.goodness_of_fit(),
           "paths": {f"{src}->{dst}": float(paths.loc[dst, src]) for dst in paths.index for src in paths.columns if paths.loc[dst, src] != 0}}
    if n_boot:
        t = time.perf_counter()
        b = Plspm(data, cfg, Scheme.CENTROID, bootstrap=True, bootstrap_iterations=n_boot, processes=2)
        b.bootstrap().paths()
        out["boot"] = time.perf_counter() - t
    print(json.dumps(out))
    """
)


def _median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def _r_reference_diff(model: PLSPM) -> float:
    """Max |difference| to R plspm over every weight, loading, path/effect and R² (tests' tables)."""
    spec = importlib.util.spec_from_file_location("_ref", BENCH.parent / "tests" / "test_pls.py")
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    outer = ref._csv(ref.R_OUTER_CENTROID).merge(model.outer_, on="indicator", suffixes=("_r", ""))
    eff = ref._csv(ref.R_EFFECTS).merge(model.effects_, on=["source", "target"], suffixes=("_r", ""))
    summ = ref._csv(ref.R_INNER_SUMMARY).set_index("construct")["r2"]
    diffs = [np.abs(outer[c] - outer[c + "_r"]).max() for c in ("weight", "loading")]
    diffs += [np.abs(eff[c] - eff[c + "_r"]).max() for c in ("direct", "indirect", "total")]
    diffs.append(np.abs(model.r2_ - summ[model.r2_.index]).max())
    diffs.append(abs(model.gof_ - 0.609741624338411))
    return float(max(diffs))


def bench_pls(n_boot: int) -> dict:
    data = pd.read_csv(ECSI)
    spec = ecsi_model()
    PLSPM(**spec, scaled=False).fit(data)  # warm-up (imports)
    fit = _median_time(lambda: PLSPM(**spec, scaled=False).fit(data), 20)
    model = PLSPM(**spec, scaled=False).fit(data)
    model.bootstrap(n_boot=50, random_state=0, progress=False)
    boot = _median_time(lambda: model.bootstrap(n_boot=n_boot, random_state=1, progress=False), 3)
    return {"fit": fit, "boot": boot, "model": model, "r_diff": _r_reference_diff(model)}


def bench_old_plspm(n_boot: int) -> dict:
    python = VENV / "bin" / "python"
    if not python.exists():
        WORK.mkdir(exist_ok=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=300)
            subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "plspm==0.5.7", "pandas<3"],
                           check=True, capture_output=True, timeout=900)
        except (subprocess.SubprocessError, OSError) as exc:
            return {"error": f"could not install plspm 0.5.7 with pandas<3 in {VENV.relative_to(BENCH.parent)}: {exc}"}
    script = WORK / "run_old_plspm.py"
    script.write_text(OLD_PLSPM_SCRIPT, encoding="utf-8")
    proc = subprocess.run([str(python), str(script), str(ECSI), str(n_boot)], capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        return {"error": f"plspm 0.5.7 failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr else proc.returncode}"}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    versions = subprocess.run([str(python), "-c", "import pandas, numpy; print(pandas.__version__, numpy.__version__)"],
                              capture_output=True, text=True).stdout.split()
    out["pandas"], out["numpy"] = versions
    return out


def bench_dominance(n: int, p: int, subsets: int | None) -> dict:
    import itertools

    import statsmodels.api as sm

    rng = np.random.default_rng(2026)
    cov = 0.4 * np.ones((p, p)) + 0.6 * np.eye(p)
    X = rng.multivariate_normal(np.zeros(p), cov, size=n)
    beta = np.linspace(1.0, 0.1, p)
    cols = [f"x{i}" for i in range(p)]
    data = pd.DataFrame(X, columns=cols).assign(y=X @ beta + 2 * rng.standard_normal(n))
    dominance(data.head(200), "y", cols)  # warm-up
    t = time.perf_counter()
    res = dominance(data, "y", cols)
    ours = time.perf_counter() - t
    all_subsets = [s for k in range(1, p + 1) for s in itertools.combinations(cols, k)]
    todo = all_subsets
    if subsets and subsets < len(all_subsets):
        pick = rng.choice(len(all_subsets), size=subsets, replace=False)
        todo = [all_subsets[i] for i in pick]
    t = time.perf_counter()
    r2 = {s: sm.OLS(data["y"], sm.add_constant(data[list(s)])).fit().rsquared for s in todo}
    base = (time.perf_counter() - t) * len(all_subsets) / len(todo)
    full = r2.get(tuple(cols))
    return {"ours": ours, "base": base, "n_subsets": len(all_subsets), "refitted": len(todo),
            "r2_diff": abs(full - res.r2) if full is not None else None, "r2": res.r2}


def _write_section(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n\nEach `bench/bench_*.py` script replaces its own section.\n"
    start, end = "<!-- bench_drivers -->", "<!-- /bench_drivers -->"
    block = f"{start}\n{section.strip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--subsets", type=int, default=None, help="refit only this many random subsets (extrapolated)")
    parser.add_argument("--skip-old", action="store_true", help="do not run plspm 0.5.7")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    pls = bench_pls(args.n_boot)
    print(f"PLSPM ECSI fit: {pls['fit'] * 1e3:.1f} ms; {args.n_boot} bootstrap resamples: {pls['boot']:.2f} s; "
          f"max |difference| to R plspm: {pls['r_diff']:.1e}")
    old = {"error": "skipped (--skip-old)"} if args.skip_old else bench_old_plspm(args.n_boot)
    ours_paths = {f"{s}->{t}": v for s, t, v in pls["model"].paths_[["source", "target", "estimate"]].itertuples(index=False)}
    if "error" in old:
        print(old["error"])
        old_rows = f"| plspm 0.5.7 (separate venv) | {old['error']} | | |\n"
    else:
        path_diff = max(abs(ours_paths[k] - v) for k, v in old["paths"].items())
        old["path_diff"] = path_diff
        print(f"plspm 0.5.7 fit: {old['fit'] * 1e3:.1f} ms (ratio {old['fit'] / pls['fit']:.1f}×); "
              f"bootstrap: {old.get('boot', float('nan')):.2f} s (ratio {old.get('boot', float('nan')) / pls['boot']:.1f}×); "
              f"max |path difference|: {path_diff:.1e}")
        old_rows = (
            f"| plspm 0.5.7 fit (pandas {old['pandas']}, NumPy {old['numpy']}, subprocess) | {old['fit'] * 1e3:.1f} ms | "
            f"**{old['fit'] / pls['fit']:.1f}×** slower | max \\|path difference\\| {path_diff:.1e} |\n"
            f"| plspm 0.5.7 bootstrap, {args.n_boot} resamples (2 processes) | {old['boot']:.2f} s | "
            f"**{old['boot'] / pls['boot']:.1f}×** slower | |\n"
        )
    dom = bench_dominance(100_000, 12, args.subsets)
    extrap = "" if dom["refitted"] == dom["n_subsets"] else f" (timed {dom['refitted']} random subsets, extrapolated to {dom['n_subsets']})"
    print(f"dominance 12 predictors × 100,000 rows: {dom['ours']:.3f} s; statsmodels OLS on every subset: "
          f"{dom['base']:.1f} s{extrap}; ratio {dom['base'] / dom['ours']:.0f}×")
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    r2_note = f"full-model R² agrees to {dom['r2_diff']:.1e}" if dom["r2_diff"] is not None else ""
    section = f"""
## drivers — PLS-PM (ECSI) and dominance analysis (`bench/bench_drivers.py`)

Run {now}, Python {platform.python_version()}, pandas {pd.__version__}, NumPy {np.__version__},
{platform.machine()} ({os.cpu_count()} CPUs, load average {load:.1f} at the end; other jobs may share the machine).

| step | time | ratio | check |
|---|---|---|---|
| `PLSPM(**ecsi_model(), scaled=False).fit` (250 × 27, centroid; median of 20) | {pls['fit'] * 1e3:.1f} ms | | max \\|difference\\| to R plspm (all weights, loadings, effects, R², GoF) {pls['r_diff']:.1e} |
| `.bootstrap(n_boot={args.n_boot})` (all resamples batched; median of 3) | {pls['boot']:.2f} s | | target ≤ 3 s |
{old_rows}| `dominance` 12 predictors × 100,000 rows (exact, {dom['n_subsets']:,} subsets from the correlation matrix) | {dom['ours']:.3f} s | | {r2_note} |
| baseline: statsmodels OLS refit on every subset{extrap} | {dom['base']:.1f} s | **{dom['base'] / dom['ours']:.0f}×** slower | |

Both sides of each ratio were timed in the same run while other jobs shared the 2 CPUs (load
above 2), so absolute times are pessimistic; plspm 0.5.7's bootstrap used its 2 worker processes,
ours one process.  plspm 0.5.7 cannot run on pandas 3 (ValueError in pandas indexing, checked);
it was installed with pandas 2.3 in `bench/_work/plspm-venv` (git-ignored).
"""
    if not args.no_write:
        _write_section(section)
        print(f"wrote {RESULTS.relative_to(BENCH.parent)}")


if __name__ == "__main__":
    main()
