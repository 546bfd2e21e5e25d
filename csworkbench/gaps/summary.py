"""The summary that opens a service-quality report (报告摘要): findings, actions and key figures from a SERVQUAL result.

Nothing here is fixed text: every finding is computed from the result by a stated rule and
written in the report's language.

* Findings: the overall gap with its interval; the dimension with the most negative gap; the
  dimension with the most negative importance-weighted gap (when respondents gave importance
  points); the item with the most negative gap; the best dimension; the importance–performance
  "concentrate here" dimensions; reliability below 0.7 and data problems, flagged.
* Actions (``sq.rule``): dimensions whose gap interval lies wholly below 0, the most negative
  weighted gap first (the gap when there are no importance data), at most three; then the
  concentrate-here quadrant; a reliability review when α < 0.7.
* Key figures: respondents, the overall gap and the weighted gap with their intervals.

Examples
--------
>>> from csworkbench.datasets.servqual import make_servqual_survey
>>> from csworkbench.gaps import servqual
>>> s = servqual_summary(servqual(make_servqual_survey(300, random_state=0)), lang="en")
>>> s.findings[0][:40]
'Overall, service falls short of expectat'
>>> [k["key"] for k in s.kpis]
['respondents', 'overall_gap', 'weighted_gap']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..i18n import column_text, t
from ._common import check_lang

__all__ = [
    "ReportSummary",
    "SegmentReport",
    "servqual_summary",
    "segment_gaps",
    "respondent_gaps",
    "dimension_label",
    "item_label",
    "feature_label",
    "kano_title",
]

#: Cronbach's α below this is flagged.
ALPHA_MIN = 0.7


@dataclass(frozen=True)
class ReportSummary:
    """Findings (text or ``{"text", "flag"}``), actions, key figures (dicts for ``kpi_tiles``) and chart titles."""

    findings: list[Any]
    actions: list[Any]
    kpis: list[dict[str, Any]]
    titles: dict[str, str] = field(default_factory=dict)


def dimension_label(dim: Any, lang: str) -> str:
    """A SERVQUAL dimension's label in ``lang`` (a user's own dimension keeps its name).

    >>> dimension_label("empathy", "zh"), dimension_label("网点环境", "zh")
    ('移情性', '网点环境')
    """
    try:
        return t(f"servqual.{dim}", lang)
    except KeyError:
        return str(dim)


def item_label(item: Any, dimension: Any, lang: str) -> str:
    """An item's label in ``lang``: the standard SERVQUAL wording, a number, or the user's header.

    ``q1`` … ``q22`` under their standard dimension read as the item's short wording (Parasuraman,
    Zeithaml & Berry 1988); a ``q``-number under another dimension as "第 n 题" / "Item n"; any
    other name (the user's own header) is kept.

    >>> item_label("q7", "reliability", "en"), item_label("q2", "网点环境", "zh"), item_label("感知3", "x", "zh")
    ('Performs the service right the first time', '第 2 题', '感知3')
    """
    from ..codes import SERVQUAL_DIMENSIONS

    name = str(item)
    match = re.fullmatch(r"[qQ](\d+)", name.strip())
    if match is None:
        return name
    if name in SERVQUAL_DIMENSIONS.get(str(dimension), ()):
        return t(f"gaps.servqual_item_{name}", lang)
    return t("gaps.servqual_item_numbered", lang, n=int(match.group(1)))


def feature_label(feature: Any, lang: str) -> str:
    """A Kano feature's label (the demo features' keys spelled out; the user's own names kept).

    >>> feature_label("wifi_on_board", "en"), feature_label("自助值机", "en")
    ('On-board Wi-Fi', '自助值机')
    """
    try:
        return t(f"gaps.kano_feature_{feature}", lang)
    except KeyError:
        return str(feature)


def kano_title(features: pd.DataFrame, lang: str) -> str:
    """A Kano chart title that states the finding: the must-be features, then the attractive ones.

    >>> f = pd.DataFrame({"feature": ["safety", "wifi_on_board", "x"], "category": ["M", "A", "I"]})
    >>> kano_title(f, "en")
    'Must-be: Safety; attractive: On-board Wi-Fi'
    """
    parts = []
    for cat in ("M", "A"):
        names = [feature_label(f, lang) for f in features.loc[features["category"] == cat, "feature"]]
        if names:
            parts.append(t(f"sq.kano.title_{cat}", lang, features=_join(names, lang)))
    text = ("；" if lang == "zh" else "; ").join(parts) if parts else t("gaps.title.kano", lang)
    return text[:1].upper() + text[1:]


def _n(x: float) -> str:
    return f"{x:+.2f}".replace("+", "") if np.isfinite(x) else "—"


def _join(names: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def servqual_summary(
    result: Any, *, ipa: pd.DataFrame | None = None, lang: str = "zh", n_problems: int | None = None
) -> ReportSummary:
    """Findings, actions and key figures of a :class:`~csworkbench.gaps.ServqualResult` (one group).

    Parameters
    ----------
    result : ServqualResult
        Without ``groups`` (one segment, one period).
    ipa : DataFrame, optional
        :func:`~csworkbench.gaps.ipa` of the dimensions (``attribute, quadrant``).
    lang : {"zh", "en"}
    n_problems : int, optional
        Data problems found (default ``len(result.problems)``).
    """
    check_lang(lang)
    dims = result.dimensions.reset_index(drop=True)
    overall = result.overall.set_index("score")
    label = {d: dimension_label(d, lang) for d in dims["dimension"]}
    findings: list[Any] = []
    un = overall.loc["unweighted"]
    key = "overall_below" if un["ci_high"] < 0 else "overall_above" if un["ci_low"] >= 0 else "overall_unclear"
    findings.append(t(f"sq.f.{key}", lang, gap=_n(un["gap"]), lo=_n(un["ci_low"]), hi=_n(un["ci_high"])))
    ranked = dims.dropna(subset=["gap"]).sort_values("gap", kind="stable")
    titles = {"gaps": t("sq.title.gaps_none", lang)}
    if len(ranked):
        w = ranked.iloc[0]
        findings.append(
            t(
                "sq.f.worst_dimension",
                lang,
                dim=label[w["dimension"]],
                gap=_n(w["gap"]),
                lo=_n(w["ci_low"]),
                hi=_n(w["ci_high"]),
            )
        )
        if w["gap"] < 0:
            titles["gaps"] = t("sq.title.gaps", lang, dim=label[w["dimension"]], gap=_n(w["gap"]))
    has_importance = bool(dims["importance"].notna().any())
    weighted = dims.assign(weighted_gap=dims["gap"] * dims["weight"])
    if has_importance:
        wr = weighted.dropna(subset=["weighted_gap"]).sort_values("weighted_gap", kind="stable")
        if len(wr):
            top = wr.iloc[0]
            findings.append(
                t(
                    "sq.f.weighted",
                    lang,
                    dim=label[top["dimension"]],
                    imp=f"{top['importance']:.0f}",
                    wgap=_n(top["weighted_gap"]),
                )
            )
    items = result.items.dropna(subset=["gap"]).sort_values("gap", kind="stable")
    if len(items) and len(findings) < 4:
        it = items.iloc[0]
        findings.append(
            t(
                "sq.f.worst_item",
                lang,
                item=item_label(it["item"], it["dimension"], lang),
                dim=label.get(it["dimension"], it["dimension"]),
                gap=_n(it["gap"]),
            )
        )
    concentrate: list[str] = []
    if ipa is not None and len(ipa):
        concentrate = [label.get(a, str(a)) for a in ipa.loc[ipa["quadrant"] == "concentrate", "attribute"]]
        if concentrate:
            findings.append(t("sq.f.concentrate", lang, items=_join(concentrate, lang)))
        titles["ipa"] = (
            t("sq.title.ipa", lang, items=_join(concentrate, lang)) if concentrate else t("sq.title.ipa_none", lang)
        )
    if len(findings) < 3 and len(ranked) > 1:
        b = ranked.iloc[-1]
        findings.append(t("sq.f.best_dimension", lang, dim=label[b["dimension"]], gap=_n(b["gap"])))
    rel = result.reliability
    low = sorted({label.get(d, str(d)) for d in rel.loc[rel["alpha"] < ALPHA_MIN, "dimension"]})
    if low:
        findings.append({"text": t("sq.f.low_alpha", lang, dims=_join(low, lang)), "flag": True})
    n_prob = len(result.problems) if n_problems is None else int(n_problems)
    if n_prob:
        findings.append({"text": t("sq.f.problems", lang, n=f"{n_prob:,}"), "flag": True})
    n_sig = int((result.items["ci_high"] < 0).sum())
    titles["heatmap"] = t("sq.title.heatmap", lang, n=n_sig)
    return ReportSummary(
        findings=findings[:6],
        actions=_actions(weighted, has_importance, label, concentrate, low, lang),
        kpis=_kpis(result, overall, lang),
        titles=titles,
    )


def _actions(weighted, has_importance, label, concentrate, low, lang) -> list[Any]:
    by = "weighted_gap" if has_importance else "gap"
    below = weighted[(weighted["ci_high"] < 0) & weighted[by].notna()].sort_values(by, kind="stable").head(3)
    how = t("sq.a.how_weighted" if has_importance else "sq.a.how_gap", lang)
    actions: list[Any] = [
        t("sq.a.improve", lang, rank=i + 1, dim=label[r["dimension"]], how=how, gap=_n(r[by]), hi=_n(r["ci_high"]))
        for i, (_, r) in enumerate(below.iterrows())
    ]
    if concentrate:
        actions.append(t("sq.a.concentrate", lang, items=_join(concentrate, lang)))
    if not actions:
        actions.append(t("sq.a.keep", lang))
    if low:
        actions.append({"text": t("sq.a.reliability", lang, dims=_join(low, lang)), "flag": True})
    return actions


def _kpis(result, overall, lang) -> list[dict[str, Any]]:
    un, wt = overall.loc["unweighted"], overall.loc["weighted"]
    n = int(result.dimensions["n"].max()) if len(result.dimensions) else 0
    figures = [
        {"key": "respondents", "label": t("sq.kpi.n", lang), "value": n, "kind": "count"},
        {
            "key": "overall_gap",
            "label": t("sq.kpi.overall_gap", lang),
            "value": float(un["gap"]),
            "ci_low": float(un["ci_low"]),
            "ci_high": float(un["ci_high"]),
            "better": "higher",
        },
    ]
    if np.isfinite(wt["gap"]):
        figures.append(
            {
                "key": "weighted_gap",
                "label": t("sq.kpi.weighted_gap", lang),
                "value": float(wt["gap"]),
                "ci_low": float(wt["ci_low"]),
                "ci_high": float(wt["ci_high"]),
                "better": "higher",
            }
        )
    return figures


# ----------------------------------------------------------------------------- segments


@dataclass(frozen=True)
class SegmentReport:
    """The segment section of a report: the comparison, a display table, findings and a chart title.

    ``table`` has ``segment, dimension, n, estimate, ci_low, ci_high, reference, difference,
    p_value, p_adjusted, significant`` (labels in the report's language, column names as
    here); ``bars`` is ``segment, dimension, gap, ci_low, ci_high`` for
    :func:`~csworkbench.gaps.gap_bar_figure` with ``color="segment"``.
    """

    comparison: Any
    table: pd.DataFrame
    bars: pd.DataFrame
    findings: list[Any]
    title: str
    labels: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def respondent_gaps(
    answers: pd.DataFrame,
    items: pd.DataFrame,
    *,
    keep: list[str],
    scale: tuple[float, float] | None = None,
) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    """One row per respondent: the mean perception and expectation per dimension over the items
    answered on both (so their difference is the respondent's dimension gap, as in ``servqual``).

    Parameters
    ----------
    answers : DataFrame
        Long answers ``respondent, item, kind, score`` plus respondent-level columns.
    items : DataFrame
        ``dimension, item`` (a ``servqual`` result's ``items``: the mapping actually used).
    keep : list of str
        Respondent-level columns carried over (segment, weights): the first non-missing value.
    scale : (low, high), optional
        Answers outside it are left out, as ``servqual`` leaves them out (and lists them).

    Returns
    -------
    (DataFrame, dict)
        The wide frame and ``{dimension: (perception column, expectation column)}``.

    >>> import pandas as pd
    >>> a = pd.DataFrame({"respondent": [1, 1, 1, 1], "item": ["q1", "q1", "q2", "q2"],
    ...                   "kind": ["E", "P", "E", "P"], "score": [5, 6, 4, 9], "seg": "a"})
    >>> wide, cols = respondent_gaps(a, pd.DataFrame({"dimension": ["d", "d"], "item": ["q1", "q2"]}),
    ...                              keep=["seg"], scale=(1, 7))
    >>> float(wide["P::d"].iloc[0] - wide["E::d"].iloc[0]), cols
    (1.0, {'d': ('P::d', 'E::d')})
    """
    dim_of = dict(zip(items["item"].astype(str), items["dimension"]))
    a = answers[answers["kind"].astype(str).isin(["E", "P"])].copy()
    a["item"] = a["item"].astype(str)
    a = a[a["item"].isin(list(dim_of))]
    score = pd.to_numeric(a["score"], errors="coerce")
    if scale is not None:
        score = score.where(score.between(*scale))
    a["score"] = score
    wide = a.pivot_table(index=["respondent", "item"], columns="kind", values="score", aggfunc="first", observed=True)
    wide = wide.reindex(columns=["E", "P"]).dropna()  # an item counts when both answers are usable
    wide["dimension"] = [dim_of[i] for i in wide.index.get_level_values("item")]
    means = wide.groupby([wide.index.get_level_values("respondent"), "dimension"], sort=False)[["P", "E"]].mean()
    out = means.unstack("dimension")
    out.columns = [f"{k}::{d}" for k, d in out.columns]
    extra = answers.groupby("respondent", sort=False)[keep].first() if keep else None
    out = out.join(extra, how="left") if extra is not None else out
    dims = [d for d in dict.fromkeys(items["dimension"]) if f"P::{d}" in out.columns]
    return out.reset_index(), {str(d): (f"P::{d}", f"E::{d}") for d in dims}


def segment_gaps(
    answers: pd.DataFrame,
    items: pd.DataFrame,
    *,
    segment: str,
    reference: Any = None,
    weights: str | None = None,
    scale: tuple[float, float] | None = None,
    min_n: int = 30,
    lang: str = "zh",
) -> SegmentReport:
    """Compare the gap per dimension across the levels of ``segment``
    (:func:`csworkbench.weighting.compare_segments`, ``statistic="gap"``: Welch t with design
    standard errors, Holm across segments × dimensions).

    Finding rule: every difference whose Holm-adjusted p is below 0.05, the largest in size
    first (at most three); otherwise one sentence saying no segment differs.

    Parameters
    ----------
    answers : DataFrame
        Long answers with the ``segment`` (and ``weights``) column.
    items : DataFrame
        ``dimension, item`` of the ``servqual`` result.
    segment : str
    reference : optional
        The level compared with; None: each level against the rest of the sample (with exactly
        two segments of at least ``min_n``: the first level, so each dimension is tested once).
    weights : str, optional
        A column of case weights (sampling weights).
    scale : (low, high), optional
    min_n : int
        Smaller segments are listed (``comparison.problems``) and not compared.
    lang : {"zh", "en"}
    """
    from ..weighting import compare_segments

    check_lang(lang)
    wide, cols = respondent_gaps(answers, items, keep=[segment, *([weights] if weights else [])], scale=scale)
    counts = wide[segment].value_counts() if segment in wide.columns else pd.Series(dtype=int)
    levels = sorted(counts[counts >= min_n].index, key=lambda v: (str(type(v)), v))
    if reference is None and len(levels) == 2:  # two segments: one test per dimension, not two mirrored ones
        reference = levels[0]
    comp = compare_segments(
        wide,
        statistic="gap",
        segment=segment,
        items=cols,
        reference=reference,
        weights=weights,
        min_n=min_n,
    )
    tab = comp.table
    table = comp.reader_table(rest_label=t("sq.seg.rest", lang)).rename(columns={"item": "dimension"})
    table["dimension"] = [dimension_label(d, lang) for d in table["dimension"]]
    bars = pd.DataFrame(
        {
            "segment": tab["segment"].astype(str),
            "dimension": tab["item"],
            "gap": tab["estimate"],
            "ci_low": tab["ci_low"],
            "ci_high": tab["ci_high"],
        }
    )
    findings: list[Any] = []
    sig = table[table["significant"]].assign(size=lambda f: f["difference"].abs())
    for _, r in sig.sort_values("size", ascending=False, kind="stable").head(3).iterrows():
        key = "sq.seg.f.lower" if r["difference"] < 0 else "sq.seg.f.higher"
        findings.append(
            t(
                key,
                lang,
                segment=r["segment"],
                dim=r["dimension"],
                diff=_n(abs(r["difference"])),
                reference=r["reference"],
                p=_p(r["p_adjusted"]),
            )
        )
    if findings:
        title = findings[0].rstrip("。.")
    else:
        findings.append(t("sq.seg.f.none", lang, segment=column_text(segment, lang)))
        title = t("sq.seg.title.none", lang)
    labels = {c: t(f"sq.seg.col_{c}", lang) for c in ("segment", "estimate", "reference", "difference")}
    labels |= {c: t(f"sq.seg.col_{c}", lang) for c in ("p_value", "p_adjusted", "significant")}
    labels |= {"dimension": t("gaps.axis.dimension", lang), "n": t("gaps.col.n", lang)}
    labels |= {"ci_low": t("gaps.col.ci_low", lang), "ci_high": t("gaps.col.ci_high", lang)}
    small = counts[counts < min_n]
    notes = [t("sq.seg.read", lang)]
    if weights:
        notes.append(t("sq.seg.weighted", lang, weights=weights))
    if len(small):
        names = _join([f"{k} ({int(v)})" for k, v in small.items()], lang)
        notes.append(t("sq.seg.small", lang, min_n=min_n, segments=names))
    return SegmentReport(
        comparison=comp, table=table, bars=bars, findings=findings, title=title, labels=labels, notes=notes
    )


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"
