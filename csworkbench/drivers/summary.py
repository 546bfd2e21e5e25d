"""The summary that opens a satisfaction-drivers report (报告摘要): findings, actions and key figures.

Computed from the results by stated rules, never fixed text:

* Findings: the strongest driver by relative weight with its bootstrap interval; the share of
  variance the drivers explain; the strongest PLS path into the target with its bootstrap
  interval; the importance–performance map's best lever (largest total effect among the
  constructs performing below average); threshold breaches flagged: HTMT above 0.90,
  reliability (α, ρA, ρC < 0.7 or AVE < 0.5), inner VIF above 5.
* Actions (``drv.rule``): constructs with an above-average total effect and below-average
  performance, the largest effect first, at most three; a validity review when a breach is flagged.
* Key figures: respondents; the target's index on 0–100 (the mean composite score rescaled by
  the answer scale) with its t interval; the drivers' R².

Examples
--------
>>> from csworkbench.datasets import load_ecsi
>>> from csworkbench.drivers import composite_scores, relative_weights
>>> from csworkbench.pls import PLSPM, ecsi_model
>>> data = load_ecsi(); spec = ecsi_model()
>>> scores = composite_scores(data, spec["blocks"])
>>> rw = relative_weights(scores, "SAT", ["IMAG", "EXPE", "QUAL", "VAL"], n_boot=20, random_state=1)
>>> model = PLSPM(**spec).fit(data)
>>> s = drivers_summary(rw, model, None, model.ipma("LOY"), scores["SAT"], lang="en", scale=(1, 10))
>>> s.findings[0].startswith("Perceived value is the strongest driver of Customer satisfaction")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..gaps.summary import ReportSummary, SegmentReport
from ..i18n import check_language, column_text, t

__all__ = ["drivers_summary", "construct_name", "glossary", "index_scores", "segment_index"]

HTMT_MAX = 0.90
VIF_MAX = 5.0


def construct_name(name: Any, lang: str) -> str:
    """A construct's or driver's label (ECSI/ACSI abbreviations spelled out; the user's own names kept).

    >>> construct_name("QUAL", "zh"), construct_name("服务", "zh")
    ('感知质量', '服务')
    """
    from ..pls.specs import construct_label

    return construct_label(str(name), lang)


def glossary(names: Sequence[Any], lang: str) -> pd.DataFrame:
    """Abbreviation → label for the names that are abbreviations (empty when there are none).

    >>> glossary(["SAT", "服务"], "en").values.tolist()
    [['SAT', 'Customer satisfaction']]
    """
    rows = [(str(n), construct_name(n, lang)) for n in names if construct_name(n, lang) != str(n)]
    return pd.DataFrame(rows, columns=["abbreviation", "label"])


def _num(x: float) -> str:
    return f"{x:.2f}" if np.isfinite(x) else "—"


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _index(score: pd.Series, scale: tuple[float, float] | None) -> tuple[float, float, float]:
    x = pd.to_numeric(score, errors="coerce").dropna().to_numpy(dtype=float)
    lo, hi = scale if scale and None not in scale else (float(x.min()), float(x.max()))
    y = (x - lo) / (hi - lo) * 100 if hi > lo else np.full_like(x, np.nan)
    m, se = float(y.mean()), float(y.std(ddof=1) / np.sqrt(len(y))) if len(y) > 1 else float("nan")
    q = float(stats.t.ppf(0.975, max(len(y) - 1, 1)))
    return m, m - q * se, m + q * se


def drivers_summary(
    weights: Any,
    model: Any,
    bootstrap: Any,
    ipma: Any,
    target_score: pd.Series,
    *,
    lang: str = "zh",
    scale: tuple[float, float] | None = None,
) -> ReportSummary:
    """Findings, actions, key figures and chart titles of a drivers report.

    Parameters
    ----------
    weights : RelativeWeightsResult
        Relative weights of the drivers on the target (``weights, target, r2``).
    model : PLSPM
        The fitted path model.
    bootstrap : PLSBootstrap or None
        Its bootstrap (intervals of paths and HTMT); None leaves the intervals out.
    ipma : IPMAResult
        ``model.ipma(target)``.
    target_score : Series
        The target's composite score per respondent (for the index).
    lang : {"zh", "en"}
    scale : (low, high), optional
        The answer scale of the target's items; default the observed range.
    """
    check_language(lang)
    target = weights.target
    tname = construct_name(target, lang)
    w = weights.weights.sort_values("raw_weight", ascending=False, kind="stable")
    top = w.iloc[0]
    share = top["rescaled"] / 100
    findings: list[Any] = [
        t(
            "drv.f.top_driver",
            lang,
            driver=construct_name(top["predictor"], lang),
            target=tname,
            share=_pct(share),
            lo=_pct(top["rescaled_ci_low"] / 100),
            hi=_pct(top["rescaled_ci_high"] / 100),
        ),
        t("drv.f.r2", lang, target=tname, r2=_pct(weights.r2)),
    ]
    titles = {
        "weights": t(
            "drv.title.weights", lang, driver=construct_name(top["predictor"], lang), target=tname, share=_pct(share)
        )
    }
    paths = bootstrap.summary() if bootstrap is not None else model.paths_.assign(ci_low=np.nan, ci_high=np.nan)
    into = paths[paths["target"] == target].sort_values("estimate", ascending=False, kind="stable")
    if len(into):
        p = into.iloc[0]
        findings.append(
            t(
                "drv.f.path",
                lang,
                target=tname,
                source=construct_name(p["source"], lang),
                est=f"{p['estimate']:.2f}",
                lo=_num(p["ci_low"]),
                hi=_num(p["ci_high"]),
            )
        )
        titles["path"] = t(
            "drv.title.path", lang, source=construct_name(p["source"], lang), target=tname, est=f"{p['estimate']:.2f}"
        )
    tab = ipma.table
    levers = tab[(tab["importance"] > tab["importance"].mean()) & (tab["performance"] < tab["performance"].mean())]
    levers = levers.sort_values("importance", ascending=False, kind="stable").head(3)
    itarget = construct_name(ipma.target, lang)
    if len(levers):
        lv = levers.iloc[0]
        findings.append(
            t(
                "drv.f.ipma",
                lang,
                construct=construct_name(lv["construct"], lang),
                target=itarget,
                imp=f"{lv['importance']:.2f}",
                perf=f"{lv['performance']:.1f}",
            )
        )
        titles["ipma"] = t("drv.title.ipma", lang, construct=construct_name(lv["construct"], lang), target=itarget)
    breaches = _breaches(model, bootstrap, lang)
    findings.extend({"text": b, "flag": True} for b in breaches)
    actions: list[Any] = [
        t(
            "drv.a.ipma",
            lang,
            rank=i + 1,
            construct=construct_name(r["construct"], lang),
            imp=f"{r['importance']:.2f}",
            perf=f"{r['performance']:.1f}",
        )
        for i, (_, r) in enumerate(levers.iterrows())
    ] or [t("drv.a.none", lang)]
    if breaches:
        actions.append({"text": t("drv.a.validity", lang), "flag": True})
    m, lo, hi = _index(target_score, scale)
    kpis = [
        {"key": "respondents", "label": t("drv.kpi.n", lang), "value": int(model.n_obs_), "kind": "count"},
        {
            "key": "index",
            "label": t("drv.kpi.index", lang, target=tname),
            "value": m,
            "ci_low": lo,
            "ci_high": hi,
            "better": "higher",
        },
        {"key": "r2", "label": t("drv.kpi.r2", lang, target=tname), "value": float(weights.r2), "kind": "share"},
    ]
    return ReportSummary(findings=findings[:7], actions=actions, kpis=kpis, titles=titles)


def _breaches(model: Any, bootstrap: Any, lang: str) -> list[str]:
    sep = "、" if lang == "zh" else ", "
    out = []
    htmt = bootstrap.htmt if bootstrap is not None else None
    if htmt is not None:
        high = htmt[htmt["estimate"] > HTMT_MAX]
        if len(high):
            pairs = sep.join(
                f"{construct_name(a, lang)}–{construct_name(b, lang)} ({v:.2f})"
                for a, b, v in high[["construct_1", "construct_2", "estimate"]].itertuples(index=False)
            )
            out.append(t("drv.f.htmt", lang, pairs=pairs))
    q = model.quality_
    weak = q[(q[["cronbach_alpha", "rho_a", "rho_c"]].min(axis=1) < 0.7) | (q["ave"] < 0.5)]
    weak = weak[weak["n_indicators"] > 1]
    if len(weak):
        out.append(
            t("drv.f.reliability", lang, constructs=sep.join(construct_name(c, lang) for c in weak["construct"]))
        )
    vif = model.vif_inner_
    high_vif = vif[vif["vif"] > VIF_MAX]
    if len(high_vif):
        out.append(
            t("drv.f.vif", lang, drivers=sep.join(sorted({construct_name(s, lang) for s in high_vif["source"]})))
        )
    return out


def index_scores(score: pd.Series, scale: tuple[float, float] | None = None) -> pd.Series:
    """Each respondent's score on 0–100: ``(score − low) / (high − low) × 100`` (observed range
    when ``scale`` is not given); missing stays missing.

    >>> index_scores(pd.Series([1.0, 5.5, 10.0, None]), (1, 10)).tolist()
    [0.0, 50.0, 100.0, nan]
    """
    x = pd.to_numeric(score, errors="coerce").astype(float)
    lo, hi = scale if scale and None not in scale else (float(x.min()), float(x.max()))
    return (x - lo) / (hi - lo) * 100 if hi > lo else x * np.nan


def segment_index(
    frame: pd.DataFrame,
    *,
    score: str,
    segment: str,
    target: str,
    reference: Any = None,
    weights: str | None = None,
    scale: tuple[float, float] | None = None,
    min_n: int = 30,
    lang: str = "zh",
) -> SegmentReport:
    """Compare the target's 0–100 index across the levels of ``segment``
    (:func:`csworkbench.weighting.compare_segments`, ``statistic="mean"``: Welch t with design
    standard errors, Holm across segments).

    Finding rule: every difference whose Holm-adjusted p is below 0.05, the largest first (at
    most three); otherwise one sentence saying no segment differs.  With exactly two segments
    of at least ``min_n`` the second is compared with the first (one test).

    Parameters
    ----------
    frame : DataFrame
        One row per respondent with the ``score`` (e.g. the target's composite), ``segment``
        and ``weights`` columns.
    score, segment : str
    target : str
        The construct's label (for the sentences).
    reference, weights, scale, min_n, lang
        As :func:`csworkbench.gaps.segment_gaps`; ``scale`` rescales the score to 0–100.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> f = pd.DataFrame({"sat": np.r_[rng.normal(7, 1, 60), rng.normal(5, 1, 60)], "r": ["a"] * 60 + ["b"] * 60})
    >>> rep = segment_index(f, score="sat", segment="r", target="Satisfaction", scale=(1, 10), lang="en")
    >>> rep.findings[0][:40]
    'b has a Satisfaction index 22.3 points l'
    """
    from ..weighting import compare_segments

    check_language(lang)
    data = pd.DataFrame({"index": index_scores(frame[score], scale), segment: frame[segment]})
    if weights:
        data[weights] = frame[weights]
    counts = data[segment].value_counts()
    levels = sorted(counts[counts >= min_n].index, key=lambda v: (str(type(v)), v))
    if reference is None and len(levels) == 2:
        reference = levels[0]
    comp = compare_segments(
        data, statistic="mean", segment=segment, items=["index"], reference=reference, weights=weights, min_n=min_n
    )
    table = comp.reader_table(rest_label=t("sq.seg.rest", lang)).drop(columns="item")
    findings: list[Any] = []
    sig = table[table["significant"]].assign(size=lambda f: f["difference"].abs())
    for _, r in sig.sort_values("size", ascending=False, kind="stable").head(3).iterrows():
        findings.append(
            t(
                "drv.seg.f.lower" if r["difference"] < 0 else "drv.seg.f.higher",
                lang,
                segment=r["segment"],
                target=target,
                diff=f"{abs(r['difference']):.1f}",
                reference=r["reference"],
                p="< 0.001" if r["p_adjusted"] < 0.001 else f"= {r['p_adjusted']:.3f}",
            )
        )
    title = findings[0].rstrip("。.") if findings else t("drv.seg.title.none", lang, target=target)
    if not findings:
        findings.append(t("drv.seg.f.none", lang, segment=column_text(segment, lang), target=target))
    labels = {c: t(f"sq.seg.col_{c}", lang) for c in ("segment", "reference", "difference", "p_value", "p_adjusted")}
    labels |= {"significant": t("sq.seg.col_significant", lang), "n": t("gaps.col.n", lang)}
    labels |= {"estimate": t("drv.kpi.index", lang, target=target)}
    labels |= {"ci_low": t("gaps.col.ci_low", lang), "ci_high": t("gaps.col.ci_high", lang)}
    notes = [t("drv.seg.read", lang)]
    if weights:
        notes.append(t("sq.seg.weighted", lang, weights=weights))
    small = counts[counts < min_n]
    if len(small):
        names = ("、" if lang == "zh" else ", ").join(f"{k} ({int(v)})" for k, v in small.items())
        notes.append(t("sq.seg.small", lang, min_n=min_n, segments=names))
    bars = table[["segment", "estimate", "ci_low", "ci_high"]].copy()
    return SegmentReport(
        comparison=comp, table=table, bars=bars, findings=findings, title=title, labels=labels, notes=notes
    )
