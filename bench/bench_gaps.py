"""Benchmark of csworkbench.gaps.servqual (SERVQUAL 服务质量差距) on 200,000 respondents × 22 items × P/E.

8.8 million answers in the long layout (plus 1 million importance rows), end to end:
validation (csworkbench.schema.validate_survey), pivot to arrays, per-item and per-dimension
gaps with t intervals, paired tests with Holm correction, Cronbach's α per dimension × kind and
the importance-weighted score.  The baseline is the straightforward pandas way: per item
``groupby().apply`` pivoting P and E, per dimension the same, α per dimension × kind with
``groupby().apply``, the weighted score with a pivot and a product.  Both run in the same
process on the same frame; the script checks that they agree and prints the ratio.

Memory: the peak of Python/NumPy allocations during the call (``tracemalloc``, measured in a
separate run so that tracing does not slow the timed one), and the process's peak resident
set size (``resource.getrusage``), which includes the 9.8-million-row input itself.

Run: ``.venv/bin/python bench/bench_gaps.py [n_respondents]``; writes its section of
bench/RESULTS.md between ``<!-- bench_gaps -->`` and ``<!-- /bench_gaps -->``.
"""

from __future__ import annotations

import platform
import resource
import sys
import time
import tracemalloc
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from csworkbench.datasets.servqual import SERVQUAL_DIMENSIONS, make_servqual_survey
from csworkbench.gaps import servqual

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
START, END = "<!-- bench_gaps -->", "<!-- /bench_gaps -->"


def baseline(df: pd.DataFrame, mapping: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """The straightforward implementation: groupby().apply per item and per dimension."""
    pe = df[df["kind"].isin(["E", "P"])]
    pe = pe.assign(kind=pe["kind"].astype(str), item=pe["item"].astype(str))

    def paired(w: pd.DataFrame) -> pd.Series:
        d = (w["P"] - w["E"]).dropna()
        n = len(d)
        m, se = d.mean(), d.std(ddof=1) / np.sqrt(n)
        q = stats.t.ppf(0.975, n - 1)
        return pd.Series({"n": n, "gap": m, "ci_low": m - q * se, "ci_high": m + q * se,
                          "p_value": 2 * stats.t.sf(abs(m / se), n - 1)})

    items = pe.groupby("item").apply(lambda g: paired(g.pivot(index="respondent", columns="kind", values="score")))
    items["p_adjusted"] = multipletests(items["p_value"], method="holm")[1]
    dim_of = {it: d for d, its in mapping.items() for it in its}
    pe = pe.assign(dimension=pe["item"].map(dim_of))
    dims = pe.groupby("dimension").apply(
        lambda g: paired(g.pivot_table(index="respondent", columns="kind", values="score", aggfunc="mean")))

    def alpha(w: pd.DataFrame) -> float:
        w = w.dropna()
        k = w.shape[1]
        return k / (k - 1) * (1 - w.var(ddof=1).sum() / w.sum(axis=1).var(ddof=1))

    rel = pe.groupby(["dimension", "kind"]).apply(lambda g: alpha(g.pivot(index="respondent", columns="item", values="score")))
    resp_dim = pe.pivot_table(index="respondent", columns=["dimension", "kind"], values="score", aggfunc="mean")
    gap_rd = resp_dim.xs("P", axis=1, level="kind") - resp_dim.xs("E", axis=1, level="kind")
    imp = df[df["kind"] == "I"].pivot(index="respondent", columns="item", values="score")
    imp.columns = imp.columns.astype(str)
    weighted = (gap_rd * imp[gap_rd.columns] / 100).sum(axis=1)
    return {"items": items, "dimensions": dims, "reliability": rel, "weighted": weighted.mean()}


def main(n: int = 200_000) -> None:
    print(f"generating {n:,} respondents × 22 items × P/E …", flush=True)
    t0 = time.perf_counter()
    df = make_servqual_survey(n, random_state=2026)
    t_gen = time.perf_counter() - t0
    n_answers = int((df["kind"] != "I").sum())
    print(f"  {len(df):,} rows ({n_answers:,} P/E answers) in {t_gen:.1f} s; "
          f"frame {df.memory_usage(deep=True).sum() / 1e6:.0f} MB", flush=True)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # clean data: any warning would be a bug
        t0 = time.perf_counter()
        res = servqual(df)
        t_ours = time.perf_counter() - t0
    print(f"servqual (end to end): {t_ours:.2f} s", flush=True)

    rss_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # high-water mark so far (KiB on Linux)

    # where the time goes: the shared validator alone, on the frame servqual hands it
    # (respondent, item code × 2 + is-P, score: kind is checked by servqual itself)
    from csworkbench.schema import validate_survey

    pe = df[df["kind"] != "I"]
    check = pd.DataFrame({"respondent": pe["respondent"].to_numpy(),
                          "item": pe["item"].cat.codes.to_numpy().astype(np.int64) * 2 + (pe["kind"] == "P").to_numpy(),
                          "score": pe["score"].to_numpy()})
    del pe
    t0 = time.perf_counter()
    validate_survey(check, layout="long", scale=(1, 7))
    t_val = time.perf_counter() - t0
    del check
    print(f"  of which schema.validate_survey: ~{t_val:.2f} s", flush=True)

    tracemalloc.start()
    servqual(df)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"servqual peak traced memory: {peak / 1e6:.0f} MB", flush=True)

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        base = baseline(df, SERVQUAL_DIMENSIONS)
    t_base = time.perf_counter() - t0
    print(f"baseline groupby().apply: {t_base:.2f} s", flush=True)

    ours_items = res.items.set_index("item")
    diff_items = float(np.max(np.abs(ours_items.loc[base["items"].index, "gap"].to_numpy() - base["items"]["gap"].to_numpy())))
    diff_ci = float(np.max(np.abs(ours_items.loc[base["items"].index, "ci_low"].to_numpy() - base["items"]["ci_low"].to_numpy())))
    ours_dims = res.dimensions.set_index("dimension")
    diff_dims = float(np.max(np.abs(ours_dims.loc[base["dimensions"].index, "gap"].to_numpy() - base["dimensions"]["gap"].to_numpy())))
    ours_rel = res.reliability.set_index(["dimension", "kind"])["alpha"]
    diff_alpha = float(np.max(np.abs(ours_rel.loc[base["reliability"].index].to_numpy() - base["reliability"].to_numpy())))
    diff_w = abs(float(res.overall.set_index("score").loc["weighted", "gap"]) - float(base["weighted"]))
    agree = max(diff_items, diff_ci, diff_dims, diff_alpha, diff_w)
    print(f"agreement (max abs difference over item gaps/CIs, dimension gaps, α, weighted score): {agree:.2e}")
    if agree > 1e-8:
        raise SystemExit("servqual and the baseline disagree: fix before publishing timings")

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = t_base / t_ours
    print(f"ratio baseline / servqual: {ratio:.1f}×; process peak RSS {rss_ours:.0f} MB through generation + servqual, "
          f"{rss:.0f} MB after the baseline")

    section = f"""{START}
## gaps — SERVQUAL on {n:,} respondents × 22 items × P/E (`bench/bench_gaps.py`)

Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, pandas {pd.__version__},
NumPy {np.__version__}, {platform.machine()} ({_cpus()} CPUs available).

| step | time | memory |
|---|---|---|
| input: `make_servqual_survey({n})` | {t_gen:.1f} s | {len(df):,} rows ({n_answers:,} P/E answers + importance rows), {df.memory_usage(deep=True).sum() / 1e6:.0f} MB |
| `gaps.servqual` end to end (validation, items, dimensions, tests + Holm, α, weighted score) | **{t_ours:.2f} s** | peak traced allocations {peak / 1e6:.0f} MB |
| of which `schema.validate_survey(layout="long")` | ~{t_val:.2f} s | |
| baseline: per-item / per-dimension `groupby().apply` (same outputs) | {t_base:.2f} s | |
| **ratio baseline / servqual** | **{ratio:.1f}×** | |

Process peak RSS: {rss_ours:.0f} MB through input generation + `servqual` (input frame included); {rss:.0f} MB
after the baseline ran as well.

Both implementations agree to {agree:.1e} (item gaps and CIs, dimension gaps, Cronbach's α, weighted score).
{END}"""
    _write_section(section)
    print(f"wrote {RESULTS.relative_to(RESULTS.parent.parent)}")


def _cpus() -> int:
    try:
        import os

        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        import os

        return os.cpu_count() or 1


def _write_section(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n\nEach `bench/bench_*.py` script replaces its own section.\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
