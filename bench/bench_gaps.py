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

Run: ``.venv/bin/python bench/bench_gaps.py [n_respondents] [--quick]`` (``--quick``: 20,000); writes
its rows to ``bench/_work/results*/gaps.json`` through ``bench/_suite.py``; ``make bench``
(``bench/run_all.py``) renders them into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import functools
import warnings

import numpy as np
import pandas as pd
from _suite import Bench, process_peak_rss_mb, timed, traced_peak_mb
from scipy import stats
from statsmodels.stats.multitest import multipletests

from csworkbench.datasets.servqual import SERVQUAL_DIMENSIONS, make_servqual_survey
from csworkbench.gaps import servqual


def baseline(df: pd.DataFrame, mapping: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """The straightforward implementation: groupby().apply per item and per dimension."""
    pe = df[df["kind"].isin(["E", "P"])]
    pe = pe.assign(kind=pe["kind"].astype(str), item=pe["item"].astype(str))

    def paired(w: pd.DataFrame) -> pd.Series:
        d = (w["P"] - w["E"]).dropna()
        n = len(d)
        m, se = d.mean(), d.std(ddof=1) / np.sqrt(n)
        q = stats.t.ppf(0.975, n - 1)
        return pd.Series(
            {
                "n": n,
                "gap": m,
                "ci_low": m - q * se,
                "ci_high": m + q * se,
                "p_value": 2 * stats.t.sf(abs(m / se), n - 1),
            }
        )

    items = pe.groupby("item").apply(lambda g: paired(g.pivot(index="respondent", columns="kind", values="score")))
    items["p_adjusted"] = multipletests(items["p_value"], method="holm")[1]
    dim_of = {it: d for d, its in mapping.items() for it in its}
    pe = pe.assign(dimension=pe["item"].map(dim_of))
    dims = pe.groupby("dimension").apply(
        lambda g: paired(g.pivot_table(index="respondent", columns="kind", values="score", aggfunc="mean"))
    )

    def alpha(w: pd.DataFrame) -> float:
        w = w.dropna()
        k = w.shape[1]
        return k / (k - 1) * (1 - w.var(ddof=1).sum() / w.sum(axis=1).var(ddof=1))

    rel = pe.groupby(["dimension", "kind"]).apply(
        lambda g: alpha(g.pivot(index="respondent", columns="item", values="score"))
    )
    resp_dim = pe.pivot_table(index="respondent", columns=["dimension", "kind"], values="score", aggfunc="mean")
    gap_rd = resp_dim.xs("P", axis=1, level="kind") - resp_dim.xs("E", axis=1, level="kind")
    imp = df[df["kind"] == "I"].pivot(index="respondent", columns="item", values="score")
    imp.columns = imp.columns.astype(str)
    weighted = (gap_rd * imp[gap_rd.columns] / 100).sum(axis=1)
    return {"items": items, "dimensions": dims, "reliability": rel, "weighted": weighted.mean()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=None, help="respondents (default 200,000; --quick 20,000)")
    parser.add_argument("--quick", action="store_true", help="small size (20,000 respondents)")
    args = parser.parse_args(argv)
    n = args.n or (20_000 if args.quick else 200_000)
    bench = Bench("gaps", quick=args.quick)

    print(f"generating {n:,} respondents × 22 items × P/E …", flush=True)
    df, t_gen = timed(lambda: make_servqual_survey(n, random_state=2026))
    n_answers = int((df["kind"] != "I").sum())
    frame_mb = df.memory_usage(deep=True).sum() / 1e6
    print(f"  {len(df):,} rows ({n_answers:,} P/E answers) in {t_gen:.1f} s; frame {frame_mb:.0f} MB", flush=True)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # clean data: any warning would be a bug
        res, t_ours = timed(lambda: servqual(df))
    print(f"servqual (end to end): {t_ours:.2f} s", flush=True)
    rss_ours = process_peak_rss_mb()  # high-water mark so far: generation + servqual

    # where the time goes: the shared validator alone, on the frame servqual hands it
    # (respondent, item code × 2 + is-P, score: kind is checked by servqual itself)
    from csworkbench.schema import validate_survey

    pe = df[df["kind"] != "I"]
    check = pd.DataFrame(
        {
            "respondent": pe["respondent"].to_numpy(),
            "item": pe["item"].cat.codes.to_numpy().astype(np.int64) * 2 + (pe["kind"] == "P").to_numpy(),
            "score": pe["score"].to_numpy(),
        }
    )
    del pe
    _, t_val = timed(functools.partial(validate_survey, check, layout="long", scale=(1, 7)))
    del check
    print(f"  of which schema.validate_survey: ~{t_val:.2f} s", flush=True)

    peak = traced_peak_mb(lambda: servqual(df))
    print(f"servqual peak traced memory: {peak:.0f} MB", flush=True)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        base, t_base = timed(lambda: baseline(df, SERVQUAL_DIMENSIONS))
    print(f"baseline groupby().apply: {t_base:.2f} s", flush=True)

    ours_items = res.items.set_index("item")
    diff_items = float(
        np.max(np.abs(ours_items.loc[base["items"].index, "gap"].to_numpy() - base["items"]["gap"].to_numpy()))
    )
    diff_ci = float(
        np.max(np.abs(ours_items.loc[base["items"].index, "ci_low"].to_numpy() - base["items"]["ci_low"].to_numpy()))
    )
    ours_dims = res.dimensions.set_index("dimension")
    diff_dims = float(
        np.max(np.abs(ours_dims.loc[base["dimensions"].index, "gap"].to_numpy() - base["dimensions"]["gap"].to_numpy()))
    )
    ours_rel = res.reliability.set_index(["dimension", "kind"])["alpha"]
    diff_alpha = float(
        np.max(np.abs(ours_rel.loc[base["reliability"].index].to_numpy() - base["reliability"].to_numpy()))
    )
    diff_w = abs(float(res.overall.set_index("score").loc["weighted", "gap"]) - float(base["weighted"]))
    agree = max(diff_items, diff_ci, diff_dims, diff_alpha, diff_w)
    print(f"agreement (max abs difference over item gaps/CIs, dimension gaps, α, weighted score): {agree:.2e}")
    if agree > 1e-8:
        raise SystemExit("servqual and the baseline disagree: fix before publishing timings")
    rss = process_peak_rss_mb()

    size = f"{n:,} respondents × 22 items × P/E"
    bench.add(
        "SERVQUAL gaps end to end, `gaps.servqual`",
        size,
        t_ours,
        peak,
        "traced",
        "pandas `groupby().apply` per item / dimension",
        t_base,
        note=f"results agree to {agree:.0e}",
    )
    bench.add('of which `schema.validate_survey(layout="long")`', f"{n_answers:,} answers", t_val, None)
    bench.detail = f"""### gaps — SERVQUAL on {n:,} respondents (`bench/bench_gaps.py`)

Input `make_servqual_survey({n})`: {len(df):,} long rows ({n_answers:,} P/E answers + importance rows),
{frame_mb:.0f} MB, made in {t_gen:.1f} s (not timed in the table).  `servqual` and the `groupby().apply`
baseline ran on the same frame in the same process.  End to end = validation, per-item and per-dimension
gaps with t intervals, paired tests with Holm correction, Cronbach's α per dimension × kind, the
importance-weighted score; both agree to {agree:.1e} (item gaps and CIs, dimension
gaps, Cronbach's α, weighted score).  Process peak RSS: {rss_ours:,.0f} MB through input generation +
`servqual` (input frame included); {rss:,.0f} MB after the baseline ran as well."""
    bench.save()


if __name__ == "__main__":
    main()
