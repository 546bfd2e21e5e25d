"""Benchmark of tiers/clv on 100 k, 1 M and 10 M transactions (DuckDB on Parquet vs naive pandas).

For each size a transaction log is drawn with ``make_transactions`` (BG/NBD + Gamma-Gamma,
CDNOW parameters) and written to ``bench/_work/tx_<rows>.parquet`` (git-ignored). Then, each
in a fresh Python process so that the peak resident memory (``ru_maxrss``, imports and the
result frame included) belongs to that step alone:

* ``clv.summary_from_transactions(path, calibration_end)`` — the BG/NBD summary, DuckDB;
* ``tiers.customer_value(path)`` and ``tiers.rfm(path)`` — DuckDB;
* the baseline: ``pd.read_parquet`` + a naive per-customer ``groupby().apply`` computing the
  same summary (frequency, recency, T, monetary value, holdout), on the sizes where it is
  feasible (up to 1 M rows; at 10 M it would take over ten minutes).

The two summaries are compared for equality at every size where both run. Results replace the
section between ``<!-- bench_tiers -->`` and ``<!-- /bench_tiers -->`` in bench/RESULTS.md.

Run: ``.venv/bin/python bench/bench_tiers.py`` (about 3 minutes on 2 cores).
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
RESULTS = HERE / "RESULTS.md"
SIZES = {"100k": 36_000, "1M": 364_000, "10M": 3_640_000}   # customers → about 100 k / 1 M / 10 M rows
NAIVE_SIZES = ("100k", "1M")
CAL = "2024-09-30"

STEP = r'''
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
import numpy as np, pandas as pd
path, what, cal = sys.argv[1], sys.argv[2], sys.argv[3]
from csworkbench.clv import summary_from_transactions
from csworkbench.tiers import customer_value, rfm
t0 = time.perf_counter()                      # imports done: time the call only
if what == "summary":
    out = summary_from_transactions(path, cal)
elif what == "value":
    out = customer_value(path)
elif what == "rfm":
    out = rfm(path)
elif what == "naive":
    tx = pd.read_parquet(path)
    cal_ts = pd.Timestamp(cal)
    obs_ts = tx["date"].max()

    cal64 = np.datetime64(cal_ts, "D")

    def one(g):
        # the textbook per-customer function: distinct days, same-day amounts summed
        days, inv = np.unique(g["date"].to_numpy().astype("datetime64[D]"), return_inverse=True)
        sums = np.bincount(inv, weights=g["amount"].to_numpy())
        in_cal = days <= cal64
        n_cal = int(in_cal.sum())
        rep = sums[1:n_cal]
        return pd.Series({"frequency": n_cal - 1,
                          "recency": (days[n_cal - 1] - days[0]).astype(int) / 7,
                          "T": (cal64 - days[0]).astype(int) / 7,
                          "monetary_value": rep.mean() if len(rep) else np.nan,
                          "frequency_holdout": int((~in_cal).sum())})

    firsts = tx.groupby("customer_id")["date"].transform("min")
    out = tx[firsts <= cal_ts].groupby("customer_id").apply(one)
    out = out.reset_index()
seconds = time.perf_counter() - t0
if what in ("summary", "naive"):
    out = out.sort_values("customer_id").reset_index(drop=True)
    out[["customer_id", "frequency", "recency", "T", "monetary_value", "frequency_holdout"]].to_parquet(
        sys.argv[4])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows_out": len(out)}))
'''


def _make(label: str, n_customers: int) -> tuple[Path, int]:
    import pandas as pd

    from csworkbench.datasets.transactions import make_transactions

    path = WORK / f"tx_{label}.parquet"
    if not path.exists():
        tx = make_transactions(n_customers, random_state=2024)
        tx.to_parquet(path, index=False)
        del tx
    rows = pd.read_parquet(path, columns=["amount"]).shape[0]
    return path, rows


def _run(path: Path, what: str) -> dict:
    out = WORK / f"out_{what}_{path.stem}.parquet"
    proc = subprocess.run([sys.executable, "-c", STEP, str(path), what, CAL, str(out)], capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{what} on {path.name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1]) | {"out": out}


def _same(a: Path, b: Path) -> float:
    import numpy as np
    import pandas as pd

    x, y = pd.read_parquet(a), pd.read_parquet(b)
    if list(x["customer_id"]) != list(y["customer_id"]):
        return float("inf")
    diff = 0.0
    for col in ("frequency", "recency", "T", "monetary_value", "frequency_holdout"):
        u, v = x[col].to_numpy(float), y[col].to_numpy(float)
        if not np.array_equal(np.isnan(u), np.isnan(v)):
            return float("inf")
        diff = max(diff, float(np.nanmax(np.abs(u - v))))
    return diff


def main() -> None:
    import duckdb
    import numpy as np
    import pandas as pd

    WORK.mkdir(exist_ok=True)
    rows_md = []
    agree = []
    loads = []
    for label, n_customers in SIZES.items():
        t0 = time.perf_counter()
        path, rows = _make(label, n_customers)
        make_s = time.perf_counter() - t0
        loads.append(f"{label} {os.getloadavg()[0]:.1f}")
        res = {what: _run(path, what) for what in ("summary", "value", "rfm")}
        naive = _run(path, "naive") if label in NAIVE_SIZES else None
        if naive:
            agree.append((label, _same(res["summary"]["out"], naive["out"])))
        ratio = f"**{naive['seconds'] / res['summary']['seconds']:.0f}×**" if naive else "(naive not run)"
        rows_md.append(
            f"| {label} | {rows:,} | {res['summary']['rows_out']:,} | "
            f"{res['summary']['seconds']:.2f} s / {res['summary']['peak_mb']:,.0f} MB | "
            f"{res['value']['seconds']:.2f} s / {res['value']['peak_mb']:,.0f} MB | "
            f"{res['rfm']['seconds']:.2f} s / {res['rfm']['peak_mb']:,.0f} MB | "
            + (f"{naive['seconds']:.1f} s / {naive['peak_mb']:,.0f} MB | {ratio} |" if naive else "— | — |")
        )
        print(rows_md[-1], f"(data made in {make_s:.0f} s)", flush=True)
    section = "\n".join([
        "<!-- bench_tiers -->",
        "## tiers / clv — transactions → per-customer summary, value and RFM (`bench/bench_tiers.py`)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, NumPy {np.__version__}, DuckDB {duckdb.__version__}, "
        f"{platform.machine()} ({os.cpu_count()} CPUs, DuckDB limited to 2 threads).",
        "Data: `make_transactions` (BG/NBD + Gamma-Gamma with the CDNOW parameters, 546 days) written to "
        "Parquet; each step in a fresh process, time of the call (imports excluded), memory = peak RSS of "
        "that process (interpreter, imports and result included). The machine is shared: 1-minute load "
        "average at the start of each size: " + ", ".join(loads) + " (on 2 CPUs; timings grow with it).",
        "",
        "| rows | transactions | customers | `summary_from_transactions(path)` | `customer_value(path)` | "
        "`rfm(path)` | naive `read_parquet` + `groupby().apply` summary | ratio naive / DuckDB summary |",
        "|---|---|---|---|---|---|---|---|",
        *rows_md,
        "",
        "The naive and DuckDB summaries agree: "
        + ", ".join(f"{label}: max |difference| {d:.1e}" for label, d in agree)
        + " (frequency, recency, T, monetary value, holdout frequency; same customers in the same order). "
        "The naive version is not run at 10 M rows (its per-customer Python call would take over ten minutes).",
        "<!-- /bench_tiers -->",
    ])
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    pattern = re.compile(r"<!-- bench_tiers -->.*?<!-- /bench_tiers -->", re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
