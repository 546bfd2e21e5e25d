"""SERVQUAL (服务质量五要素): P − E per item and dimension, the importance-weighted score, α, tests.

The SERVQUAL instrument (Parasuraman, Zeithaml & Berry 1988, *J. Retailing* 64(1), 12–40) asks
22 items twice, expectation (期望, E) and perception (感知, P), on five dimensions: tangibles
(有形性), reliability (可靠性), responsiveness (响应性), assurance (保证性) and empathy (移情性).
:func:`servqual` returns per item and per dimension the paired gap P − E with a t interval at
``confidence``, paired t-tests with a multiple-comparison correction (statsmodels), the
unweighted and the importance-weighted overall score (each respondent splits 100 points over
the dimensions; Parasuraman, Berry & Zeithaml 1991, *J. Retailing* 67(4)) and Cronbach's α per
dimension and kind (Cronbach 1951).  Importance handling is in
:mod:`csworkbench.gaps._importance`.

Examples
--------
>>> from csworkbench.datasets.servqual import make_servqual_survey
>>> from csworkbench.gaps import servqual
>>> res = servqual(make_servqual_survey(300, random_state=0))
>>> res.dimensions["dimension"].tolist()[:2], res.overall["score"].tolist()
(['tangibles', 'reliability'], ['unweighted', 'weighted'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..codes import SERVQUAL_DIMENSIONS
from ..errors import ParameterError
from ..i18n import t
from ..problems import Problems
from ._answers import Answers, prepare_answers
from ._common import check_confidence, check_scale, grouped_moments, interval_table, summarise, with_groups
from ._importance import importance_points
from .triangle import pair_summary

__all__ = ["SERVQUAL_DIMENSIONS", "ServqualResult", "servqual", "cronbach_alpha"]


@dataclass(frozen=True)
class ServqualResult:
    """Result of :func:`servqual`.

    Attributes
    ----------
    items : DataFrame
        ``[groups], dimension, item, n_respondents, n, n_missing, expectation, perception, gap,
        se, ci_low, ci_high, t, p_value, p_adjusted, significant, share_delighted, share_met,
        share_dissatisfied`` — one row per item (paired t-test of P − E = 0; ``p_adjusted``
        corrected over the items of each group with ``correction``).
    dimensions : DataFrame
        ``[groups], dimension, n_items, n, n_missing, expectation, perception, gap, se, ci_low,
        ci_high, importance`` (mean points of 100, NaN without importance data), ``weight``
        (importance / 100).  A respondent's dimension gap is the mean of their complete item
        gaps in that dimension; the interval is the t interval over respondents.
    overall : DataFrame
        ``[groups], score`` (``unweighted``: mean of a respondent's dimension gaps;
        ``weighted``: Σ points/100 × dimension gap), ``n, n_missing, gap, se, ci_low, ci_high``.
    reliability : DataFrame
        ``[groups], dimension, kind`` (``E``/``P``), ``n_items, n`` (complete cases), ``alpha``
        (Cronbach's α), ``note`` (why α is undefined, else empty).
    importance : DataFrame
        ``[groups], respondent, dimension, points`` after checks (rows summing to other than
        100 rescaled unless ``strict``).
    problems : DataFrame
        The data problems (columns of :data:`csworkbench.codes.PROBLEM_COLUMNS`).
    mapping : dict
        Dimension → items used.
    correction : str
        Multiple-comparison method passed to ``statsmodels.stats.multitest.multipletests``.
    confidence : float
        Level of the intervals.

    Methods
    -------
    summary()
        The dimension table (a copy of ``dimensions``), the usual SERVQUAL summary.
    conf_int(confidence=None, *, of="dimensions")
        Identifying columns of table ``of`` (``"items"``: ``[groups], dimension, item``;
        ``"dimensions"``: ``[groups], dimension``; ``"overall"``: ``[groups], score``) and
        ``estimate`` (the gap P − E), ``ci_low, ci_high``.  At the result's own ``confidence``
        (or None) the reported intervals; at another level the t interval
        ``gap ± t(n − 1)·se`` recomputed from the stored ``gap, se, n``.
    """

    items: pd.DataFrame
    dimensions: pd.DataFrame
    overall: pd.DataFrame
    reliability: pd.DataFrame
    importance: pd.DataFrame
    problems: pd.DataFrame
    mapping: dict = field(default_factory=dict)
    correction: str = "holm"
    confidence: float = 0.95

    def summary(self) -> pd.DataFrame:
        """The dimension table (a copy of ``dimensions``; the usual SERVQUAL summary)."""
        return self.dimensions.copy()

    def conf_int(self, confidence: float | None = None, *, of: str = "dimensions") -> pd.DataFrame:
        """Intervals of the gap P − E per row of table ``of`` (``"items"``, ``"dimensions"`` or ``"overall"``).

        Returns the identifying columns of that table (``[groups], dimension, item`` /
        ``[groups], dimension`` / ``[groups], score``) and ``estimate, ci_low, ci_high``.
        ``confidence`` None (or the result's own level) gives the reported intervals; another
        level is recomputed from ``gap, se, n`` with the t distribution on n − 1 degrees of
        freedom, as :func:`servqual` computes them (respondents are the unit).  Nothing is refitted.

        Raises
        ------
        ParameterError
            An unknown ``of`` or a confidence outside (0, 1).
        """
        keys = {"items": "item", "dimensions": "dimension", "overall": "score"}
        if of not in keys:
            raise ParameterError(f"of must be one of {', '.join(keys)}; got {of!r}")
        return interval_table(getattr(self, of), keys[of], self.confidence, confidence)


def cronbach_alpha(
    x: np.ndarray, *, group: np.ndarray | None = None, n_groups: int = 1, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Cronbach's α (1951) per group on complete cases: k/(k−1)·(1 − Σ var(item) / var(total)).

    Parameters
    ----------
    x : ndarray (n, k)
        Item scores, NaN = missing (rows with any NaN are left out, listwise).
    group : ndarray of int, optional
        Group code (0 … n_groups − 1) per row; default one group.
    n_groups : int
        Number of groups.
    weights : ndarray, optional
        Case weight per row (NaN or ≤ 0: row left out): item and total variances are weighted
        (the ratio does not depend on the variance divisor, so sampling and frequency weights give
        the same α).  None: unweighted.

    Returns
    -------
    (alpha, n) : arrays of length ``n_groups``; α is NaN when k < 2 or fewer than 2 cases.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(cronbach_alpha(np.array([[1, 2], [2, 3], [3, 3], [4, 5.]]))[0][0]), 4)
    0.96
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ParameterError(f"x must be a 2-D array (respondents × items); got {x.ndim} dimension(s)")
    n, k = x.shape
    g = np.zeros(n, dtype=np.int64) if group is None else np.asarray(group)
    ok = ~np.isnan(x).any(axis=1)
    if weights is not None:
        weights = np.asarray(weights, dtype=float)
        ok &= np.isfinite(weights) & (weights > 0)
    xs, gs = x[ok], g[ok]
    if k < 2:
        return np.full(n_groups, np.nan), np.bincount(gs, minlength=n_groups)
    if weights is not None:
        return _weighted_alpha(xs, gs, n_groups, weights[ok])
    cnt, _, sd = grouped_moments(xs, gs, n_groups)
    _, _, sd_tot = grouped_moments(xs.sum(axis=1, keepdims=True), gs, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1 - (sd**2).sum(axis=1) / sd_tot[:, 0] ** 2)
    return alpha, cnt[:, 0].astype(int)


def _weighted_alpha(xs: np.ndarray, gs: np.ndarray, n_groups: int, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cronbach's α per group from weighted item and total variances (complete rows)."""
    k = xs.shape[1]
    alpha = np.full(n_groups, np.nan)
    cnt = np.bincount(gs, minlength=n_groups)
    for gi in range(n_groups):
        rows = gs == gi
        if rows.sum() < 2:
            continue
        X, wg = xs[rows], w[rows]
        m = np.average(X, axis=0, weights=wg)
        v_items = np.average((X - m) ** 2, axis=0, weights=wg).sum()
        tot = X.sum(axis=1)
        v_tot = np.average((tot - np.average(tot, weights=wg)) ** 2, weights=wg)
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha[gi] = k / (k - 1) * (1 - v_items / v_tot)
    return alpha, cnt


def servqual(
    answers: pd.DataFrame,
    *,
    mapping: Mapping[str, Sequence] | None = None,
    respondent: str = "respondent",
    item: str = "item",
    kind: str = "kind",
    score: str = "score",
    importance: pd.DataFrame | None = None,
    scale: tuple[float, float] = (1, 7),
    groups: Sequence[str] = (),
    confidence: float = 0.95,
    correction: str = "holm",
    weights: str | None = None,
    weight_type: str = "sampling",
    strict: bool = False,
    path: Any = None,
) -> ServqualResult:
    """SERVQUAL gap analysis (服务质量五要素): P − E per item and dimension, weighted score, α, tests.

    Parameters
    ----------
    answers : DataFrame
        Long answers ``respondent, item, kind, score`` (``kind`` ``E``/``P``; rows with kind
        ``I`` are importance points with the dimension key as ``item``), e.g. from
        :func:`csworkbench.datasets.servqual.make_servqual_survey` or
        :func:`~csworkbench.gaps.wide_to_long`.
    mapping : mapping dimension → items, optional
        The instrument; default :data:`~csworkbench.codes.SERVQUAL_DIMENSIONS` (tangibles q1–4,
        reliability q5–9, responsiveness q10–13, assurance q14–17, empathy q18–22).  Adapted
        instruments pass their own.  Answers to items outside the mapping are reported and dropped.
    importance : DataFrame, optional
        ``respondent, dimension, points`` (each respondent splits 100 points over the
        dimensions); overrides kind-``I`` rows of ``answers``.  Rows whose points do not sum to
        100 are rescaled to 100 and reported (``strict`` raises); negative or missing points
        leave that respondent out of the weighted score (reported).
    scale : (low, high), default (1, 7)
        Valid answer range; answers outside become NaN and are reported.
    groups : sequence of str
        Respondent-level columns (segment, period) to analyse separately.
    confidence : float, default 0.95
        Level of the t intervals (and 1 − the family-wise α of the correction).
    correction : str, default "holm"
        Method for ``statsmodels.stats.multitest.multipletests`` (``"holm"``, ``"fdr_bh"``,
        ``"bonferroni"`` …), applied over the items within each group.
    weights : str, optional
        Column of case weights (one per respondent, repeated on its rows).  Item, dimension and
        overall gaps, importance, shares and Cronbach's α are then weighted, intervals are
        design-aware (:mod:`csworkbench.weighting.design`) and the item, dimension and overall
        tables gain ``n_eff`` (Kish).  None: unweighted, as before.
    weight_type : {"sampling", "frequency"}
        Sampling weights (Taylor-linearisation SE, default) or frequency weights.
    strict : bool, default False
        Raise :class:`~csworkbench.errors.DataError` on the first data problem instead of
        warning and reporting.
    path : str, optional
        The file the answers came from (named in errors); default ``answers.attrs["source"]``.

    Returns
    -------
    ServqualResult
        See :class:`ServqualResult` for the tables and their columns.

    Raises
    ------
    DataError
        Missing columns; with ``strict``: any data problem.
    ParameterError
        A mapping that puts an item in two dimensions, an unknown ``correction``, a confidence
        outside (0, 1), a scale with low ≥ high.

    Examples
    --------
    >>> from csworkbench.datasets.servqual import make_servqual_survey
    >>> res = servqual(make_servqual_survey(400, random_state=1))
    >>> bool((res.items["ci_low"] < res.items["gap"]).all()), len(res.items)
    (True, 22)
    """
    confidence = check_confidence(confidence)
    mapping = _check_mapping(mapping)
    _check_correction(correction)
    items = [it for its in mapping.values() for it in its]
    problems = Problems(path=path if path is not None else answers.attrs.get("source"), strict=strict, warn=True)
    groups = list(groups)
    ans, extra = prepare_answers(
        answers,
        respondent=respondent,
        item=item,
        kind=kind,
        score=score,
        scale=check_scale(scale),
        items=items,
        groups=groups,
        problems=problems,
        extra_kinds=("I",),
        weights=weights,
    )
    dims = list(mapping)
    dim_of_item = np.array([dims.index(d) for d, its in mapping.items() for _ in its])
    d = ans.P - ans.E
    item_tab = _item_table(ans, d, items, dims, dim_of_item, confidence, correction, weight_type)
    gap_rd, P_rd, E_rd = _respondent_dimension_means(ans, d, dim_of_item, len(dims))
    W, imp_long = importance_points(
        extra, importance, ans, dims, respondent=respondent, item=item, score=score, groups=groups, problems=problems
    )
    dim_tab = _dimension_table(ans, mapping, gap_rd, P_rd, E_rd, W, confidence, weight_type)
    overall = _overall_table(ans, gap_rd, W, confidence, weight_type)
    reliability = _reliability(ans, dims, dim_of_item, item, problems)
    return ServqualResult(
        items=item_tab,
        dimensions=dim_tab,
        overall=overall,
        reliability=reliability,
        importance=imp_long,
        problems=problems.frame(),
        mapping=mapping,
        correction=correction,
        confidence=confidence,
    )


def _check_mapping(mapping: Mapping[str, Sequence] | None) -> dict[str, list]:
    checked = {str(d): list(its) for d, its in (mapping or SERVQUAL_DIMENSIONS).items()}
    items = pd.Index([it for its in checked.values() for it in its])
    dup = items[items.duplicated()].unique()
    if len(dup):
        raise ParameterError(f"the mapping puts items {list(dup)} in more than one dimension")
    if not len(items):
        raise ParameterError("the mapping names no items")
    return checked


def _check_correction(correction: str) -> None:
    from statsmodels.stats.multitest import multipletests

    if isinstance(correction, str) and correction.lower() in ("h", "holm"):
        return  # computed by _holm
    try:
        multipletests([0.01, 0.5], method=correction)
    except (ValueError, TypeError, AttributeError):
        raise ParameterError(
            f"correction must be a method of statsmodels' multipletests such as 'holm', "
            f"'fdr_bh' or 'bonferroni'; got {correction!r}"
        ) from None


def _item_table(ans: Answers, d, items, dims, dim_of_item, confidence, correction, weight_type) -> pd.DataFrame:
    """Per group × item: the paired gap, its interval and test, corrected within each group."""
    from statsmodels.stats.multitest import multipletests

    G, k = len(ans.group_keys), len(items)
    tab = pair_summary(ans, d, confidence, name="item", items=items, weight_type=weight_type)
    tab.insert(len(ans.group_keys.columns), "dimension", np.tile(np.array(dims, dtype=object)[dim_of_item], G))
    tab = tab[
        [
            *ans.group_keys.columns,
            "dimension",
            "item",
            "n_respondents",
            "n",
            "n_missing",
            "expectation",
            "perception",
            "gap",
            "se",
            "ci_low",
            "ci_high",
            "t",
            "p_value",
            "share_delighted",
            "share_met",
            "share_dissatisfied",
            *(["n_eff"] if "n_eff" in tab else []),
        ]
    ]
    padj = np.full(len(tab), np.nan)
    sig = np.zeros(len(tab), dtype=bool)
    pv = tab["p_value"].to_numpy()
    holm = correction.lower() in ("h", "holm")
    for gi in range(G):
        sl = slice(gi * k, (gi + 1) * k)
        ok = np.isfinite(pv[sl])
        if ok.any():
            if holm:
                rej, pa = _holm(pv[sl][ok], 1 - confidence)
            else:
                rej, pa, _, _ = multipletests(pv[sl][ok], alpha=1 - confidence, method=correction)
            padj[sl][ok] = pa
            sig[sl][ok] = rej
    tab.insert(tab.columns.get_loc("p_value") + 1, "p_adjusted", padj)
    tab.insert(tab.columns.get_loc("p_adjusted") + 1, "significant", sig)
    return tab


def _holm(p: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Holm's step-down correction (Holm 1979): rejections and adjusted p-values.

    The same operations as ``statsmodels.stats.multitest.multipletests(method="holm")``, so the
    numbers are identical (tests compare them), without the ``gc.collect()`` statsmodels runs on
    every Holm call — with one family per group (200 replications, segments × periods) that
    collection dominated the run time.
    """
    order = np.argsort(p)
    ps = p[order]
    steps = np.arange(len(ps), 0, -1)
    notreject = ps > alpha / steps
    first = np.flatnonzero(notreject)
    notreject[first[0] if first.size else len(ps) :] = True
    adjusted = np.maximum.accumulate(ps * steps)
    adjusted[adjusted > 1] = 1
    out_p = np.empty_like(adjusted)
    out_p[order] = adjusted
    out_reject = np.empty(len(ps), dtype=bool)
    out_reject[order] = ~notreject
    return out_reject, out_p


def _respondent_dimension_means(ans: Answers, d, dim_of_item, D):
    """Respondent × dimension means of the complete item pairs: gap, P and E."""
    complete = ~np.isnan(d)
    onehot = np.zeros((len(dim_of_item), D))
    onehot[np.arange(len(dim_of_item)), dim_of_item] = 1.0
    cnt_rd = complete.astype(float) @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):
        gap_rd = np.where(complete, d, 0.0) @ onehot / cnt_rd
        P_rd = np.where(complete, ans.P, 0.0) @ onehot / cnt_rd
        E_rd = np.where(complete, ans.E, 0.0) @ onehot / cnt_rd
    return gap_rd, P_rd, E_rd


def _dimension_table(ans: Answers, mapping, gap_rd, P_rd, E_rd, W, confidence, weight_type) -> pd.DataFrame:
    G, g, dims, w = len(ans.group_keys), ans.group, list(mapping), ans.w
    D = len(dims)
    cnt, mean, se, lo, hi, _, _, n_eff = summarise(gap_rd, g, G, confidence, w, weight_type)
    mP = summarise(P_rd, g, G, confidence, w, weight_type)[1]
    mE = summarise(E_rd, g, G, confidence, w, weight_type)[1]
    n_resp = np.bincount(g, minlength=G)[:, None]
    mW = summarise(W, g, G, confidence, w, weight_type)[1] if W is not None else np.full((G, D), np.nan)
    return with_groups(
        ans.group_keys,
        D,
        {
            "dimension": np.tile(np.array(dims, dtype=object), G),
            "n_items": np.tile(np.array([len(mapping[dm]) for dm in dims]), G),
            "n": cnt.ravel().astype(int),
            "n_missing": (n_resp - cnt).ravel().astype(int),
            "expectation": mE.ravel(),
            "perception": mP.ravel(),
            "gap": mean.ravel(),
            "se": se.ravel(),
            "ci_low": lo.ravel(),
            "ci_high": hi.ravel(),
            "importance": mW.ravel(),
            "weight": mW.ravel() / 100.0,
            **({} if n_eff is None else {"n_eff": n_eff.ravel()}),
        },
    )


def _overall_table(ans: Answers, gap_rd, W, confidence, weight_type) -> pd.DataFrame:
    """The unweighted (mean of dimension gaps) and importance-weighted score per respondent, summarised."""
    G, g, n = len(ans.group_keys), ans.group, len(ans.keys)
    with np.errstate(invalid="ignore"):
        unweighted = np.where(np.isnan(gap_rd).any(axis=1), np.nan, gap_rd.mean(axis=1))
        if W is not None:
            weighted = (W / 100.0 * gap_rd).sum(axis=1)
            weighted = np.where(np.isnan(W).any(axis=1) | np.isnan(gap_rd).any(axis=1), np.nan, weighted)
        else:
            weighted = np.full(n, np.nan)
    scores = np.column_stack([unweighted, weighted])
    cnt, mean, se, lo, hi, _, _, n_eff = summarise(scores, g, G, confidence, ans.w, weight_type)
    n_resp = np.bincount(g, minlength=G)[:, None]
    return with_groups(
        ans.group_keys,
        2,
        {
            "score": np.tile(np.array(["unweighted", "weighted"], dtype=object), G),
            "n": cnt.ravel().astype(int),
            "n_missing": (n_resp - cnt).ravel().astype(int),
            "gap": mean.ravel(),
            "se": se.ravel(),
            "ci_low": lo.ravel(),
            "ci_high": hi.ravel(),
            **({} if n_eff is None else {"n_eff": n_eff.ravel()}),
        },
    )


def _reliability(ans: Answers, dims, dim_of_item, item, problems: Problems) -> pd.DataFrame:
    """Cronbach's α per group × dimension × kind; dimensions with fewer than 2 usable items reported."""
    G, g = len(ans.group_keys), ans.group
    rows, one_item = [], []
    for j, dm in enumerate(dims):
        cols = np.flatnonzero(dim_of_item == j)
        for kd, X in (("E", ans.E), ("P", ans.P)):
            usable = cols[(~np.isnan(X[:, cols])).any(axis=0)]  # an item without any answer cannot enter α
            alpha, nn = cronbach_alpha(X[:, usable], group=g, n_groups=G, weights=ans.w)
            note = t("gaps.note.alpha_one_item", "en", k=len(usable)) if len(usable) < 2 else ""
            if len(usable) < 2 and kd == "E":
                one_item.append(dm)
            for gi in range(G):
                nt = note or ("" if np.isfinite(alpha[gi]) else t("gaps.note.alpha_too_few", "en"))
                rows.append((gi, dm, kd, len(usable), int(nn[gi]), alpha[gi], nt))
    for dm in one_item:
        problems.add("alpha_undefined", column=item, values=[dm], action="alpha_nan", dimension=repr(dm))
    rel = pd.DataFrame(rows, columns=["_g", "dimension", "kind", "n_items", "n", "alpha", "note"])
    gk = ans.group_keys.iloc[rel["_g"].to_numpy()].reset_index(drop=True)
    return (
        pd.concat([gk, rel.drop(columns="_g")], axis=1)
        .sort_values([*ans.group_keys.columns, "kind"], kind="stable")
        .reset_index(drop=True)
    )
