"""Benchmark of tiers/clv on 100 k, 1 M and 10 M transactions (DuckDB on Parquet vs naive pandas).

For each size a transaction log is drawn with ``make_transactions`` (BG/NBD + Gamma-Gamma,
CDNOW parameters) and written to ``bench/_work/tx_<rows>.parquet`` (git-ignored). Then, each
in a fresh Python process so that the peak resident memory (``ru_maxrss``, imports and the
result frame included) belongs to that step alone:

* ``clv.summary_from_transactions(path, calibration_end)`` — the BG/NBD summary, DuckDB;
* ``tiers.customer_value(path)`` and ``tiers.rfm(path)`` — DuckDB;
* the baseline: ``pd.read_parquet`` + a naive per-customer ``groupby().apply`` computing the
  same summary (frequency, recency, T, monetary value, holdout), only on the sizes where it
  stays under about a minute (it took 40 s at 100 k and 419 s at 1 M rows on a loaded
  machine): from the smallest size up, it is not run once the last run scaled by rows exceeds
  the cap, and the row says so.

The two summaries are compared for equality at every size where both run. Rows go to
``bench/_work/results*/tiers.json`` (``bench/_suite.py``); ``make bench`` renders them.

Run: ``.venv/bin/python bench/bench_tiers.py [--quick]`` (a few minutes on 2 cores; the first
run also draws the 10 M-row data; ``--quick``: 10 k and 100 k rows).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from _suite import Bench, timed

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
# customers → about 100 k / 300 k / 1 M / 10 M rows (quick: 10 k / 100 k)
SIZES = {"100k": 36_000, "300k": 109_000, "1M": 364_000, "10M": 3_640_000}
QUICK_SIZES = {"10k": 3_600, "100k": 36_000}
NAIVE_CAP, QUICK_NAIVE_CAP = 60.0, 10.0  # seconds: the naive baseline is not run where it would take longer
CAL = "2024-09-30"

STEP = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
import numpy as np, pandas as pd
path, what, cal = sys.argv[1], sys.argv[2], sys.argv[3]
from csworkbench.clv import summary_from_transactions
from csworkbench.tiers import customer_value, rfm
t0 = time.perf_counter()                      # imports done: time the call only
if what == "summary":
    out = summary_from_transactions(path, cal).table
elif what == "value":
    out = customer_value(path).table
elif what == "rfm":
    out = rfm(path).table
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
"""


def _make(label: str, n_customers: int) -> tuple[Path, int, bool]:
    import pandas as pd

    from csworkbench.datasets.transactions import make_transactions

    path = WORK / f"tx_{label}.parquet"
    made = not path.exists()
    if made:
        tx = make_transactions(n_customers, random_state=2024)
        tx.to_parquet(path, index=False)
        del tx
    rows = pd.read_parquet(path, columns=["amount"]).shape[0]
    return path, rows, made


def _run(path: Path, what: str) -> dict:
    out = WORK / f"out_{what}_{path.stem}.parquet"
    proc = subprocess.run(
        [sys.executable, "-c", STEP, str(path), what, CAL, str(out)], capture_output=True, text=True, check=False
    )
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 k and 100 k rows, naive capped at 10 s")
    args = parser.parse_args(argv)
    sizes, cap = (QUICK_SIZES, QUICK_NAIVE_CAP) if args.quick else (SIZES, NAIVE_CAP)
    bench = Bench("tiers", quick=args.quick)

    WORK.mkdir(exist_ok=True)
    agree, made, loads = [], [], []
    last_naive: tuple[str, float, int] | None = None
    for label, n_customers in sizes.items():
        (path, rows, new), make_s = timed(lambda label=label, n_customers=n_customers: _make(label, n_customers))
        made.append(f"{label} {'drawn in ' + format(make_s, '.0f') + ' s' if new else 'reused'}")
        loads.append(f"{label} {os.getloadavg()[0]:.1f}")
        res = {what: _run(path, what) for what in ("summary", "value", "rfm")}
        # the naive baseline only where it stays under the cap: it grows linearly with the rows,
        # so stop once the last size it ran at took more than cap × (last rows / these rows)
        naive = None
        if last_naive is None or last_naive[1] * rows / last_naive[2] <= cap:
            naive = _run(path, "naive")
            last_naive = (label, naive["seconds"], rows)
            agree.append((label, _same(res["summary"]["out"], naive["out"])))
            if agree[-1][1] > 1e-8:
                raise SystemExit(f"DuckDB and naive summaries disagree at {label} ({agree[-1][1]}): fix before timing")
        size = f"{rows:,} transactions, {res['summary']['rows_out']:,} customers"
        if naive:
            bench.add(
                "BG/NBD summary `clv.summary_from_transactions(path)` (DuckDB)",
                size,
                res["summary"]["seconds"],
                res["summary"]["peak_mb"],
                "RSS",
                "`pd.read_parquet` + per-customer `groupby().apply`",
                naive["seconds"],
                note=f"naive peak {naive['peak_mb']:,.0f} MB (RSS); max |difference| {agree[-1][1]:.0e}",
            )
        else:
            bench.add(
                "BG/NBD summary `clv.summary_from_transactions(path)` (DuckDB)",
                size,
                res["summary"]["seconds"],
                res["summary"]["peak_mb"],
                "RSS",
                note=f"naive groupby-apply not run at this size: it took {last_naive[1]:.1f} s at "
                f"{last_naive[2]:,} rows and grows with the rows, past the ≈ {cap:.0f} s cap",
            )
        bench.add(
            "customer value `tiers.customer_value(path)` (DuckDB)",
            size,
            res["value"]["seconds"],
            res["value"]["peak_mb"],
            "RSS",
        )
        bench.add("RFM scores `tiers.rfm(path)` (DuckDB)", size, res["rfm"]["seconds"], res["rfm"]["peak_mb"], "RSS")

    import duckdb

    bench.detail = "\n".join(
        [
            "### tiers / clv — transactions → per-customer summary, value and RFM (`bench/bench_tiers.py`)",
            "",
            "Data: `make_transactions` (BG/NBD + Gamma-Gamma with the CDNOW parameters, 546 days, seed 2024) written "
            "to Parquet in `bench/_work/` once and reused (" + ", ".join(made) + "). Each step ran in "
            f"a fresh process (DuckDB {duckdb.__version__}, `SET threads TO 2` in csworkbench.tiers): time of the call, imports excluded; "
            "memory = peak RSS of that process (interpreter, imports and result included). 1-minute load average at "
            "the start of each size: " + ", ".join(loads) + ".",
            "",
            "The naive baseline is the textbook per-customer Python function under `groupby().apply` (distinct days, "
            f"same-day amounts summed). It runs only at sizes where it stays under about {cap:.0f} s; above that the "
            "table says it was not run (nothing is extrapolated). Where both ran, the two summaries agree: "
            + ", ".join(f"{label}: max |difference| {d:.1e}" for label, d in agree)
            + " (frequency, recency, T, monetary value, holdout frequency; same customers in the same order).",
        ]
    )
    bench.save()


if __name__ == "__main__":
    main()
