"""Benchmark of the CLV pipeline at scale: Parquet transactions → summary → BG/NBD → Gamma-Gamma → CLV.

Goal (issue "Speed at scale"): 10 M transactions → summary + BG/NBD + Gamma-Gamma + 12-month CLV
for every customer in ≤ 30 s and < 4 GB peak on 2 cores, from a Parquet file.

Data: ``make_transactions`` (BG/NBD + Gamma-Gamma with the CDNOW parameters, seed 2024) at
36 k / 364 k / 3.64 M customers ≈ 100 k / 1 M / 10 M transactions, written once to
``bench/_work/tx_<size>.parquet`` (git-ignored; the same files as ``bench_tiers.py``) and reused.

For each size, each step runs in a fresh Python process, so that its peak resident memory
(``ru_maxrss``: interpreter, imports, input and result included) belongs to that step alone; the
time is the call only (imports and reading the previous step's output excluded):

* ``summary_from_transactions(path, calibration_end)`` (DuckDB on the Parquet file);
* ``BetaGeoModel().fit(summary)`` and ``GammaGammaModel().fit(summary)``;
* ``ParetoNBDModel().fit(summary)`` (not part of the goal: the other purchase model, fitted the same way);
* ``clv(summary, bgnbd, gamma_gamma, horizon_months=12, monthly_discount_rate=0.01)``;
* the end-to-end run, all four in one process from the Parquet file (the goal row).

Baselines, timed in the same run on the same input:

* a vectorised pandas summary (``pd.read_parquet`` + ``groupby().agg``; same columns, compared);
* lifetimes 0.11.3 (``summary_data_from_transaction_data``, ``BetaGeoFitter``, ``ParetoNBDFitter``,
  ``GammaGammaFitter`` and its ``customer_lifetime_value``) in a benchmark-only venv
  ``bench/_work/venv-lifetimes`` (it needs pandas < 2, NumPy < 2): its fitters get our summary
  columns, its CLV our fitted parameters, so the work and the output are the same (compared);
* pymc-marketing's BG/NBD MAP fit in ``bench/_work/venv-pymc`` where it is installed.

A baseline is run from the smallest size up and not run at a size where its last time scaled by
the customers passes the ≈ 60 s cap (the row says so; nothing is extrapolated); a call is also
stopped after 3 minutes.  Rows go to ``bench/_work/results*/clv_scale.json`` (``bench/_suite.py``).

Run: ``.venv/bin/python bench/bench_clv_scale.py [--quick]`` (several minutes; the first full run
also draws the data and builds the lifetimes venv; ``--quick``: 100 k transactions only, and the
lifetimes venv only if it exists).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from _suite import Bench, fmt_seconds, load_average

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
VENV_LIFETIMES = WORK / "venv-lifetimes"
VENV_PYMC = WORK / "venv-pymc"
LIFETIMES_PINS = ["lifetimes==0.11.3", "pandas<2", "numpy<2", "scipy<1.12", "pyarrow<18"]
PYMC_PINS = ["pymc-marketing", "pyarrow"]
SIZES = {"100k": 36_000, "1M": 364_000, "10M": 3_640_000}  # customers → about 100 k / 1 M / 10 M rows
QUICK_SIZES = {"100k": 36_000}
CAL = "2024-09-30"
CAP, KILL = 60.0, 180.0  # seconds: a baseline is not run where it would take longer than CAP; killed at KILL
GOAL_SECONDS, GOAL_MB = 30.0, 4096.0

# one step of ours in a fresh process: argv = step, parquet, work prefix; prints one JSON line
OURS = textwrap.dedent(
    r"""
    import json, resource, sys, time, warnings
    warnings.simplefilter("ignore")
    import numpy as np, pandas as pd
    from csworkbench.clv import BetaGeoModel, GammaGammaModel, ParetoNBDModel, clv, summary_from_transactions
    step, path, prefix, cal, repeat = sys.argv[1:6]
    out = {}

    def best(fn):  # fastest of `repeat` runs (1 at the large sizes)
        times = []
        for _ in range(int(repeat)):
            t = time.perf_counter(); res = fn(); times.append(time.perf_counter() - t)
        return res, min(times)

    def rss():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def models(params):
        m, g = BetaGeoModel(), GammaGammaModel()
        m.params_, g.params_ = pd.Series(params["bgnbd"]), pd.Series(params["gg"])
        return m, g

    if step == "summary":
        s, out["seconds"] = best(lambda: summary_from_transactions(path, cal).table)
        s.to_parquet(prefix + "summary.parquet")
        out["customers"] = len(s); out["buyers"] = int((s["frequency"] > 0).sum())
    elif step in ("bgnbd", "gg", "pnbd"):
        s = pd.read_parquet(prefix + "summary.parquet")
        model = {"bgnbd": BetaGeoModel, "gg": GammaGammaModel, "pnbd": ParetoNBDModel}[step]
        m, out["seconds"] = best(lambda: model().fit(s))
        out["params"] = m.params_.to_dict(); out["n_iter"] = m.n_iter_; out["ll"] = m.log_likelihood_
        out["n"] = m.n_customers_
    elif step == "clv":
        s = pd.read_parquet(prefix + "summary.parquet")
        m, g = models(json.load(open(prefix + "params.json")))
        v, out["seconds"] = best(lambda: clv(s, m, g, horizon_months=12, monthly_discount_rate=0.01))
        v[["customer_id", "clv"]].to_parquet(prefix + "clv.parquet")
    elif step == "e2e":
        t0 = time.perf_counter()
        s = summary_from_transactions(path, cal); t1 = time.perf_counter()
        m = BetaGeoModel().fit(s); t2 = time.perf_counter()
        g = GammaGammaModel().fit(s); t3 = time.perf_counter()
        v = clv(s, m, g, horizon_months=12, monthly_discount_rate=0.01); t4 = time.perf_counter()
        out |= {"seconds": t4 - t0, "steps": [t1 - t0, t2 - t1, t3 - t2, t4 - t3], "customers": len(v)}
    elif step == "agg":  # the vectorised pandas baseline of the summary (read included)
        def agg():
            tx = pd.read_parquet(path, columns=["customer_id", "date", "amount"])
            cal_ts = pd.Timestamp(cal)
            day = tx.groupby(["customer_id", "date"], sort=False, observed=True)["amount"].sum().reset_index()
            first = day.groupby("customer_id", observed=True)["date"].transform("min")
            day = day[first <= cal_ts]
            first = first[first <= cal_ts]
            in_cal = day["date"] <= cal_ts
            day["is_first"] = day["date"] == first
            c = day[in_cal]
            per = c.groupby("customer_id", observed=True).agg(
                first=("date", "min"), last=("date", "max"), n=("date", "size"), total=("amount", "sum"))
            first_amt = c[c["is_first"]].set_index("customer_id")["amount"]
            hold = day[~in_cal].groupby("customer_id", observed=True).size()
            freq = per["n"] - 1
            return pd.DataFrame({
                "frequency": freq,
                "recency": (per["last"] - per["first"]).dt.days / 7.0,
                "T": (cal_ts - per["first"]).dt.days / 7.0,
                "monetary_value": ((per["total"] - first_amt.reindex(per.index)) / freq).where(freq > 0),
                "frequency_holdout": hold.reindex(per.index, fill_value=0),
            }).sort_index().reset_index()
        s, out["seconds"] = best(agg)
        s.to_parquet(prefix + "agg.parquet")
    out["peak_mb"] = rss()
    print(json.dumps(out))
    """
)

# lifetimes 0.11.3 in its own venv: argv = step, parquet, work prefix
LIFETIMES = textwrap.dedent(
    r"""
    import json, resource, sys, time, warnings
    warnings.simplefilter("ignore")
    import numpy as np, pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter
    from lifetimes.utils import summary_data_from_transaction_data
    step, path, prefix, cal, repeat = sys.argv[1:6]
    out = {"pandas": pd.__version__, "numpy": np.__version__}

    def best(fn):  # fastest of `repeat` runs (1 at the large sizes)
        times = []
        for _ in range(int(repeat)):
            t = time.perf_counter(); res = fn(); times.append(time.perf_counter() - t)
        return res, min(times)
    if step == "summary":
        def summary():
            tx = pd.read_parquet(path, columns=["customer_id", "date", "amount"])
            tx = tx[tx["date"] <= cal]
            return summary_data_from_transaction_data(tx, "customer_id", "date", monetary_value_col="amount",
                                                      observation_period_end=cal, freq="D")
        s, out["seconds"] = best(summary)
        s = s.sort_index()
        s[["recency", "T"]] = s[["recency", "T"]] / 7.0  # days → weeks, as ours
        s["monetary_value"] = s["monetary_value"].where(s["frequency"] > 0)  # lifetimes: 0, ours: missing
        s.reset_index().to_parquet(prefix + "lifetimes_summary.parquet")
    else:
        s = pd.read_parquet(prefix + "summary.parquet")
        if step == "bgnbd":
            f, out["seconds"] = best(lambda: BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"]))
            out["params"] = f.params_.to_dict()
        elif step == "pnbd":
            f, out["seconds"] = best(lambda: ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"]))
            out["params"] = f.params_.to_dict()
        elif step == "gg":
            r = s[s["frequency"] > 0]
            f, out["seconds"] = best(lambda: GammaGammaFitter().fit(r["frequency"], r["monetary_value"]))
            out["params"] = {"p": f.params_["p"], "q": f.params_["q"], "gamma": f.params_["v"]}
        elif step == "clv":
            params = json.load(open(prefix + "params.json"))
            b, g = BetaGeoFitter(), GammaGammaFitter()
            b.params_ = pd.Series(params["bgnbd"])
            b.predict = b.conditional_expected_number_of_purchases_up_to_time  # as fit() would set it
            gp = params["gg"]
            g.params_ = pd.Series({"p": gp["p"], "q": gp["q"], "v": gp["gamma"]})
            mv = s["monetary_value"].fillna(0.0)  # x = 0: the population mean either way
            v, out["seconds"] = best(lambda: g.customer_lifetime_value(
                b, s["frequency"], s["recency"], s["T"], mv, time=12, discount_rate=0.01, freq="W"))
            pd.DataFrame({"customer_id": s["customer_id"], "clv": np.asarray(v, dtype=float)}).to_parquet(
                prefix + "lifetimes_clv.parquet")
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))
    """
)

# pymc-marketing's BG/NBD MAP fit in its own venv: argv = work prefix
PYMC = textwrap.dedent(
    r"""
    import json, resource, sys, time, warnings
    warnings.simplefilter("ignore")
    import pandas as pd
    import pymc_marketing
    from pymc_marketing.clv import BetaGeoModel
    prefix = sys.argv[1]
    s = pd.read_parquet(prefix + "summary.parquet")
    data = pd.DataFrame({"customer_id": range(len(s)), "frequency": s["frequency"], "recency": s["recency"], "T": s["T"]})
    t = time.perf_counter()
    m = BetaGeoModel(data=data)
    m.fit(method="map", progressbar=False)
    seconds = time.perf_counter() - t
    post = m.idata.posterior
    params = {k: float(post[k].values.mean()) for k in ("r", "alpha", "a", "b") if k in post}
    print(json.dumps({"seconds": seconds, "params": params, "version": pymc_marketing.__version__,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    """
)


def _make(label: str, n_customers: int) -> tuple[Path, int, str]:
    import pandas as pd

    from csworkbench.datasets.transactions import make_transactions

    path = WORK / f"tx_{label}.parquet"
    how = "reused"
    if not path.exists():
        t = time.perf_counter()
        tx = make_transactions(n_customers, random_state=2024)
        tx.to_parquet(path, index=False)
        del tx
        how = f"drawn in {time.perf_counter() - t:.0f} s"
    rows = pd.read_parquet(path, columns=["amount"]).shape[0]
    return path, rows, how


def _run(python: str | Path, code: str, args: list[str]) -> dict:
    """One step in a fresh process; {"error": …} if it fails or passes KILL seconds."""
    try:
        proc = subprocess.run(
            [str(python), "-c", code, *args], capture_output=True, text=True, check=False, timeout=KILL
        )
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {KILL:.0f} s"}
    if proc.returncode != 0:
        tail = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
        return {"error": (tail[-1] if tail else f"exit {proc.returncode}")[:300]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _ours(step: str, path: Path, prefix: str, repeat: int) -> dict:
    res = _run(sys.executable, OURS, [step, str(path), prefix, CAL, str(repeat)])
    if "error" in res:
        raise SystemExit(f"csworkbench step {step} on {path.name} failed: {res['error']}")
    return res


def _build_venv(venv: Path, pins: list[str], quick: bool, what: str, notes: list[str]) -> Path | None:
    """The benchmark-only venv's python (built on a full run if missing), or None with the reason noted."""
    py = venv / "bin" / "python"
    if not py.exists():
        if quick:
            notes.append(f"{what} venv not present (a full run builds `{venv.relative_to(HERE.parent)}`)")
            return None
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
            subprocess.run(
                [str(venv / "bin" / "pip"), "install", "-q", *pins], check=True, capture_output=True, timeout=900
            )
        except (subprocess.SubprocessError, OSError) as exc:
            notes.append(f"{what} venv could not be built: {str(exc)[:200]}")
            return None
    return py


def _pymc(quick: bool, notes: list[str]) -> tuple[Path | None, str]:
    if quick:
        return None, "not run in quick mode (about 20 s per fit at 100 k transactions)"
    py = _build_venv(VENV_PYMC, PYMC_PINS, quick, "pymc-marketing", notes)
    if py is None:
        return None, "could not be installed in `bench/_work/venv-pymc` (see the notes)"
    probe = subprocess.run([str(py), "-c", "import pymc_marketing"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return None, "does not import: " + (probe.stderr.strip().splitlines() or ["?"])[-1][:200]
    return py, ""


def _max_rel(a, b) -> float:
    import numpy as np

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both = np.isfinite(a) & np.isfinite(b)
    if not np.array_equal(np.isfinite(a), np.isfinite(b)):
        return float("inf")
    return float(np.max(np.abs(a[both] - b[both]) / np.maximum(np.abs(b[both]), 1e-12))) if both.any() else 0.0


def _summary_diff(ours: Path, other: Path) -> float:
    import numpy as np
    import pandas as pd

    x, y = pd.read_parquet(ours), pd.read_parquet(other)
    if list(x["customer_id"].astype(str)) != list(y["customer_id"].astype(str)):
        return float("inf")
    diff = 0.0
    for col in ("frequency", "recency", "T", "monetary_value"):
        u, v = x[col].to_numpy(float), y[col].to_numpy(float)
        if not np.array_equal(np.isnan(u), np.isnan(v)):
            return float("inf")
        diff = max(diff, float(np.nanmax(np.abs(u - v))) if len(u) else 0.0)
    return diff


class Capped:
    """Runs a baseline from the smallest size up until its last time scaled by the customers passes CAP."""

    def __init__(self) -> None:
        self.last: tuple[float, int] | None = None

    def allowed(self, n: int) -> bool:
        return self.last is None or self.last[0] * n / self.last[1] <= CAP

    def why_not(self, n: int) -> str:
        assert self.last is not None
        return (
            f"not run at this size: {fmt_seconds(self.last[0])} at {self.last[1]:,} customers scales past "
            f"the ≈ {CAP:.0f} s cap"
        )

    def record(self, seconds: float, n: int) -> None:
        self.last = (seconds, n)


def _one_size(
    bench: Bench,
    label: str,
    n_customers: int,
    caps: dict[str, Capped],
    lt_py: Path | None,
    pymc_py: Path | None,
    made: list[str],
    e2e_lines: list[str],
) -> None:
    """All steps and baselines at one size: rows into ``bench``, lines into ``made`` and ``e2e_lines``."""
    path, rows, how = _make(label, n_customers)
    made.append(f"{label}: {rows:,} transactions, {how}")
    prefix = str(WORK / f"clvscale_{label}_")
    repeat = 3 if n_customers < 100_000 else 1  # fastest of 3 at the smallest size (both sides)
    res: dict[str, dict] = {}
    loads: dict[str, float | None] = {}
    for step in ("summary", "bgnbd", "gg", "pnbd"):
        loads[step] = load_average()
        res[step] = _ours(step, path, prefix, repeat)
    Path(prefix + "params.json").write_text(
        json.dumps({"bgnbd": res["bgnbd"]["params"], "gg": res["gg"]["params"]}), encoding="utf-8"
    )
    loads["clv"] = load_average()
    res["clv"] = _ours("clv", path, prefix, repeat)
    customers, buyers = res["summary"]["customers"], res["summary"]["buyers"]
    size = f"{rows:,} transactions, {customers:,} customers"

    def load_note(step: str) -> str:
        return f"load {loads[step]:.1f}" if loads.get(step) is not None else "load ?"

    # --- summary: pandas agg and lifetimes
    base: dict[str, dict] = {}
    if caps["agg"].allowed(customers):
        base["agg"] = _run(sys.executable, OURS, ["agg", str(path), prefix, CAL, str(repeat)])
    if lt_py and caps["lt_summary"].allowed(customers):
        base["lt_summary"] = _run(lt_py, LIFETIMES, ["summary", str(path), prefix, CAL, str(repeat)])
    if lt_py and caps["lt_bgnbd"].allowed(customers):
        base["lt_bgnbd"] = _run(lt_py, LIFETIMES, ["bgnbd", str(path), prefix, CAL, str(repeat)])
    if lt_py and caps["lt_pnbd"].allowed(customers):
        base["lt_pnbd"] = _run(lt_py, LIFETIMES, ["pnbd", str(path), prefix, CAL, str(repeat)])
    if lt_py and caps["lt_gg"].allowed(buyers):
        base["lt_gg"] = _run(lt_py, LIFETIMES, ["gg", str(path), prefix, CAL, str(repeat)])
    if lt_py and caps["lt_clv"].allowed(customers):
        base["lt_clv"] = _run(lt_py, LIFETIMES, ["clv", str(path), prefix, CAL, str(repeat)])
    if pymc_py and caps["pymc"].allowed(customers):
        try:
            proc = subprocess.run(
                [str(pymc_py), "-c", PYMC, prefix], capture_output=True, text=True, check=False, timeout=KILL
            )
            base["pymc"] = (
                json.loads(proc.stdout.strip().splitlines()[-1])
                if proc.returncode == 0
                else {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:300]}
            )
        except subprocess.TimeoutExpired:
            base["pymc"] = {"error": f"stopped after {KILL:.0f} s"}

    def add(step: str, work: str, key: str, baseline: str, n: int, check: str = "") -> None:
        ours = res[step]
        b = base.get(key)
        notes_row = [load_note(step)]
        if b is None:
            why = caps[key].why_not(n) if caps[key].last is not None else "not available (see the detail)"
            bench.add(
                work,
                size,
                ours["seconds"],
                ours["peak_mb"],
                "RSS",
                note="; ".join([f"{baseline} {why}", *notes_row]),
            )
            return
        if "error" in b:
            bench.add(
                work,
                size,
                ours["seconds"],
                ours["peak_mb"],
                "RSS",
                note="; ".join([f"{baseline} failed: {b['error']}", *notes_row]),
            )
            return
        caps[key].record(b["seconds"], n)
        extra = [f"baseline peak {b['peak_mb']:,.0f} MB (RSS)"] + ([check] if check else [])
        bench.add(
            work,
            size,
            ours["seconds"],
            ours["peak_mb"],
            "RSS",
            baseline,
            b["seconds"],
            note="; ".join(extra + notes_row),
        )

    agg_diff = (
        _summary_diff(Path(prefix + "summary.parquet"), Path(prefix + "agg.parquet"))
        if "seconds" in base.get("agg", {})
        else None
    )
    lt_sum_diff = (
        _summary_diff(Path(prefix + "summary.parquet"), Path(prefix + "lifetimes_summary.parquet"))
        if "seconds" in base.get("lt_summary", {})
        else None
    )
    summary_work = "summary `clv.summary_from_transactions(path)` (DuckDB, with holdout columns)"
    add(
        "summary",
        summary_work,
        "agg",
        "pandas `read_parquet` + vectorised `groupby().agg`",
        customers,
        f"max |difference| {agg_diff:.0e}" if agg_diff is not None else "",
    )
    add(
        "summary",
        summary_work,
        "lt_summary",
        "lifetimes 0.11.3 `summary_data_from_transaction_data` (+ `read_parquet`)",
        customers,
        f"max |difference| {lt_sum_diff:.0e}" if lt_sum_diff is not None else "",
    )

    def param_diff(key: str, names: tuple[str, ...], ours: dict) -> str:
        b = base.get(key, {})
        if "params" not in b:
            return ""
        d = max(abs(b["params"][k] / ours[k] - 1) for k in names if k in b["params"])
        return f"estimates agree to {d:.0e} (relative)"

    add(
        "bgnbd",
        f"BG/NBD fit `BetaGeoModel().fit` ({res['bgnbd']['n_iter']} iterations)",
        "lt_bgnbd",
        "lifetimes 0.11.3 `BetaGeoFitter().fit`",
        customers,
        param_diff("lt_bgnbd", ("r", "alpha", "a", "b"), res["bgnbd"]["params"]),
    )
    if pymc_py is not None:
        add(
            "bgnbd",
            f"BG/NBD fit `BetaGeoModel().fit` ({res['bgnbd']['n_iter']} iterations)",
            "pymc",
            'pymc-marketing `BetaGeoModel.fit(method="map")`',
            customers,
            param_diff("pymc", ("r", "alpha", "a", "b"), res["bgnbd"]["params"]),
        )
    add(
        "pnbd",
        f"Pareto/NBD fit `ParetoNBDModel().fit` ({res['pnbd']['n_iter']} iterations)",
        "lt_pnbd",
        "lifetimes 0.11.3 `ParetoNBDFitter().fit`",
        customers,
        param_diff("lt_pnbd", ("r", "alpha", "s", "beta"), res["pnbd"]["params"]),
    )
    add(
        "gg",
        f"Gamma-Gamma fit `GammaGammaModel().fit` ({res['gg']['n']:,} repeat buyers)",
        "lt_gg",
        "lifetimes 0.11.3 `GammaGammaFitter().fit`",
        buyers,
        param_diff("lt_gg", ("p", "q", "gamma"), res["gg"]["params"]),
    )
    clv_diff = (
        _max_rel(
            __import__("pandas").read_parquet(prefix + "clv.parquet").sort_values("customer_id")["clv"],
            __import__("pandas").read_parquet(prefix + "lifetimes_clv.parquet").sort_values("customer_id")["clv"],
        )
        if "seconds" in base.get("lt_clv", {})
        else None
    )
    add(
        "clv",
        "12-month CLV `clv(summary, bgnbd, gg, monthly_discount_rate=0.01)` (fitted models)",
        "lt_clv",
        "lifetimes 0.11.3 `GammaGammaFitter.customer_lifetime_value` (same parameters)",
        customers,
        f"max relative difference {clv_diff:.1e} (lifetimes' month is 4.345 weeks, ours 4.348)"
        if clv_diff is not None
        else "",
    )

    loads["e2e"] = load_average()
    e2e = _ours("e2e", path, prefix, 1)
    steps = ", ".join(f"{k} {fmt_seconds(v)}" for k, v in zip(("summary", "BG/NBD", "GG", "CLV"), e2e["steps"]))
    met = e2e["seconds"] <= GOAL_SECONDS and e2e["peak_mb"] < GOAL_MB
    goal = f"goal ≤ {GOAL_SECONDS:.0f} s and < 4 GB {'met' if met else 'NOT met'}; " if label == "10M" else ""
    bench.add(
        "end to end: Parquet → summary → BG/NBD → Gamma-Gamma → 12-month CLV, one process",
        size,
        e2e["seconds"],
        e2e["peak_mb"],
        "RSS",
        note=f"{goal}{steps}; {load_note('e2e')}",
    )
    e2e_lines.append(f"{label}: {fmt_seconds(e2e['seconds'])}, {e2e['peak_mb']:,.0f} MB ({steps})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 k transactions only")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else SIZES
    bench = Bench("clv_scale", quick=args.quick)
    WORK.mkdir(exist_ok=True)
    notes: list[str] = []
    lt_py = _build_venv(VENV_LIFETIMES, LIFETIMES_PINS, args.quick, "lifetimes", notes)
    pymc_py, pymc_why = _pymc(args.quick, notes)
    caps = {k: Capped() for k in ("lt_summary", "lt_bgnbd", "lt_pnbd", "lt_gg", "lt_clv", "pymc", "agg")}
    made: list[str] = []
    e2e_lines: list[str] = []

    for label, n_customers in sizes.items():
        _one_size(bench, label, n_customers, caps, lt_py, pymc_py, made, e2e_lines)

    bench.detail = _detail(made, e2e_lines, notes, pymc_why, lt_py is not None)
    bench.save()


def _detail(made: list[str], e2e: list[str], notes: list[str], pymc_why: str, has_lifetimes: bool) -> str:
    import duckdb
    import numpy as np
    import pandas as pd
    import scipy

    lines = [
        "### clv at scale — Parquet → summary → BG/NBD → Gamma-Gamma → CLV (`bench/bench_clv_scale.py`)",
        "",
        "Data: `make_transactions` (BG/NBD + Gamma-Gamma, CDNOW parameters, 546 days, seed 2024; the files of "
        "`bench_tiers.py`): " + "; ".join(made) + f". Calibration end {CAL}. Every step ran in a fresh process "
        f"(DuckDB {duckdb.__version__}, pandas {pd.__version__}, NumPy {np.__version__}, SciPy {scipy.__version__}): "
        "time = the call only; memory = peak RSS of that process (interpreter, imports, input and result "
        "included). The load in each row is the 1-minute load average when that step started.",
        "",
        "End to end (one process, the goal row): " + "; ".join(e2e) + ".",
        "",
        "Fits: analytic gradients; the objective is the mean log-likelihood per customer (BFGS tolerance and "
        "convergence check relative to it); starts from moment estimates and the two former default starts "
        "(best kept); BG/NBD rows aggregated over identical (x, tₓ, T), Gamma-Gamma over identical (x, m̄), "
        "gamma/digamma terms once per distinct x; a Newton polish from the analytic gradient. Pareto/NBD: the "
        "hypergeometric series of A₀ and its derivatives in its parameters summed once per distinct (x, tₓ) "
        "and (x, T). CLV: the BG/NBD expectations (one 2F1 per customer and month) once per distinct history.",
        "",
        "Baselines: the pandas summary is the same computation vectorised (per-day sums, then per-customer "
        "`agg`), compared column by column. lifetimes 0.11.3 runs in `bench/_work/venv-lifetimes` ("
        + " ".join(LIFETIMES_PINS)
        + '); its summary uses `freq="D"` (days / 7 = our weeks), its fitters get our summary columns and its '
        'CLV our fitted parameters (monthly discount 0.01, `freq="W"`), so each pair does the same work on '
        "the same input. "
        + ("" if has_lifetimes else "The lifetimes venv was not available in this run. ")
        + "pymc-marketing: "
        + (pymc_why or 'its BG/NBD `fit(method="map")` in `bench/_work/venv-pymc` (' + " ".join(PYMC_PINS) + ").")
        + " Footnote: the naive per-customer `groupby().apply` summary is in `bench_tiers.py` (22 s at 100 k "
        "rows there; not repeated here).",
    ]
    if notes:
        lines += ["", "Notes: " + "; ".join(notes) + "."]
    lines += ["", GAMMA_GAMMA_BEFORE_AFTER, "", PARETO_BEFORE_AFTER]
    return "\n".join(lines)


#: A one-off measurement (not re-run: the former code needs minutes to hours at these sizes): the
#: Gamma-Gamma fit of commit bc9e81f against the current one on buyers of the 10 M log.
GAMMA_GAMMA_BEFORE_AFTER = """**Gamma-Gamma fit, before → after** (measured once on 2026-12-05, load ≈ 1, one process each,
`OPENBLAS_NUM_THREADS=1` for both; the former code is commit `bc9e81f`: BFGS with numerical gradients on the
unscaled sum, then Nelder–Mead):

| repeat buyers | before | after | estimates |
|---|---|---|---|
| 50,000 (random sample of the 10 M log, seed 1) | 388 s | 0.08 s | p, q, γ agree to 3e-7 (relative), log-likelihood to 1e-14 |
| 1,471,213 (all of the 10 M log) | not finished, stopped after 660 s | about 1 s (the rows above) | — |"""


#: The same for the Pareto/NBD fit (commit 31f20e3, numerical gradients, against c977eb6).
PARETO_BEFORE_AFTER = """**Pareto/NBD fit, before → after** (measured once on 2026-12-05, one process each; the former code
is commit `31f20e3`: BFGS with numerical gradients, Nelder–Mead when it lost precision, BFGS again):

| customers (distinct histories) | before | after | estimates |
|---|---|---|---|
| 36,000 (13,007) | 6.35 s, 1,446 log-likelihood evaluations | 0.57 s, 102 evaluations | log-likelihood equal to 1e-15 (relative) |
| 364,000 (69,109) | 42.8 s, 1,798 evaluations | 1.24 s, 91 evaluations | log-likelihood equal to 1e-15 (relative) |
| CDNOW sample, 2,357 | — | — | parameters agree to 5.3e-7; gradient at the estimate 1e-12 after, 8e-6 before |"""


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
