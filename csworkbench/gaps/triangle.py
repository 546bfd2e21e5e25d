"""The triangle rule (三角定律): satisfaction = perception − expectation, per respondent and attribute.

The course (COURSE.md §1) states satisfaction as a gap: 顾客满意 = 实际感受 − 期望感受.
:func:`gap_scores` computes it for every respondent × attribute from long answers
``respondent, item, kind, score`` (kind ``E`` expectation, ``P`` perception) and summarises each
attribute with the mean paired gap, its t interval at ``confidence`` and the shares delighted
(惊喜, gap > 0), met (= 0) and dissatisfied (< 0).  Missing answers stay NaN and are counted.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.gaps import gap_scores
>>> df = pd.DataFrame({"respondent": [1, 1, 2, 2, 3, 3], "item": ["wait"] * 6,
...                    "kind": ["E", "P"] * 3, "score": [7, 5, 6, 6, 5, 7]})
>>> res = gap_scores(df)
>>> res.summary()[["attribute", "n", "perception", "gap", "share_dissatisfied"]]
  attribute  n  perception  gap  share_dissatisfied
0      wait  3         6.0  0.0            0.333333
>>> res.conf_int(0.90)[["attribute", "estimate"]]
  attribute  estimate
0      wait       0.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..problems import Problems
from ._answers import Answers, prepare_answers
from ._common import (
    check_confidence,
    check_scale,
    grouped_sum,
    interval_table,
    summarise,
    weighted_share,
    with_groups,
)

__all__ = ["GapScoresResult", "GapScores", "gap_scores"]


@dataclass(frozen=True)
class GapScoresResult:
    """Result of :func:`gap_scores`.

    Attributes
    ----------
    scores : DataFrame
        ``[groups], respondent, attribute, perception, expectation, gap, outcome`` — one row per
        respondent × attribute; ``outcome`` is ``delighted`` (gap > 0), ``met`` (= 0),
        ``dissatisfied`` (< 0) or ``missing`` (either answer missing).
    attributes : DataFrame
        One row per ``[groups] ×`` attribute (formerly the field ``summary``):
        ``[groups], attribute, n_respondents, n`` (complete pairs), ``n_missing`` (respondents
        without a complete pair), ``perception, expectation`` (means over the complete pairs),
        ``gap`` (their difference = the mean paired gap), ``se, ci_low, ci_high`` (paired t
        interval at ``confidence``), ``t, p_value`` (test of gap = 0), ``share_delighted,
        share_met, share_dissatisfied`` (of the complete pairs).
    problems : DataFrame
        The data problems (columns of :data:`csworkbench.codes.PROBLEM_COLUMNS`).
    confidence : float
        Level of ``ci_low``/``ci_high`` in ``attributes``.

    Methods
    -------
    summary()
        The attribute table (a copy of ``attributes``).
    conf_int(confidence=None)
        ``[groups], attribute, estimate, ci_low, ci_high`` (estimate = the mean paired gap).  At
        the result's own ``confidence`` (or None) the reported interval; at another level the
        paired t interval ``gap ± t(n − 1)·se`` recomputed from the stored ``gap, se, n``.
    """

    scores: pd.DataFrame
    attributes: pd.DataFrame
    problems: pd.DataFrame
    confidence: float = 0.95

    def summary(self) -> pd.DataFrame:
        """The attribute table (a copy of ``attributes``): counts, means, the paired gap and its interval."""
        return self.attributes.copy()

    def conf_int(self, confidence: float | None = None) -> pd.DataFrame:
        """``[groups], attribute, estimate, ci_low, ci_high`` for the mean paired gap of each attribute.

        ``confidence`` None (or the result's own level) returns the interval in ``attributes``;
        another level is recomputed from ``gap, se, n`` with the t distribution on n − 1 degrees
        of freedom (the paired interval :func:`gap_scores` uses).  Nothing is refitted.
        """
        return interval_table(self.attributes, "attribute", self.confidence, confidence)


#: The former name of :class:`GapScoresResult` (kept importable).
GapScores = GapScoresResult


def gap_scores(
    answers: pd.DataFrame,
    *,
    respondent: str = "respondent",
    item: str = "item",
    kind: str = "kind",
    score: str = "score",
    scale: tuple[float, float] | None = None,
    groups: Sequence[str] = (),
    confidence: float = 0.95,
    weights: str | None = None,
    weight_type: str = "sampling",
    strict: bool = False,
    path: Any = None,
) -> GapScoresResult:
    """The triangle rule (三角定律): gap = perception (P) − expectation (E) per respondent and attribute.

    Parameters
    ----------
    answers : DataFrame
        Long answers: ``respondent, item, kind, score`` with ``kind`` ``"P"`` (perception,
        实际感受) or ``"E"`` (expectation, 期望感受); other column names via the keyword
        arguments.  Rows of any other kind are reported and dropped.
    scale : (low, high), optional
        Valid answer range; answers outside become NaN and are reported (``strict`` raises).
    groups : sequence of str
        Respondent-level columns (segment, period) to summarise by.
    confidence : float, default 0.95
        Level of the paired t confidence interval.
    weights : str, optional
        Column of case weights (one value per respondent, repeated on each answer row).  Means,
        shares and intervals are then weighted (:mod:`csworkbench.weighting.design`), and the
        attribute table gains ``n_eff`` (Kish's effective sample size).  None: unweighted, as before.
    weight_type : {"sampling", "frequency"}
        Sampling weights (design-aware Taylor-linearisation SE, default) or frequency weights.
    strict : bool, default False
        Raise :class:`~csworkbench.errors.DataError` on the first data problem instead of
        warning (:class:`~csworkbench.errors.DataWarning`) and listing it in ``problems``.
    path : str, optional
        The file the answers came from (named in errors); default ``answers.attrs["source"]``.

    Returns
    -------
    GapScoresResult
        ``scores`` per respondent × attribute, ``attributes`` per attribute (also ``summary()``;
        intervals by ``conf_int()``), ``problems``, ``confidence``.

    Raises
    ------
    DataError
        Missing columns; with ``strict``: any data problem.
    ParameterError
        A confidence level outside (0, 1) or a scale with low ≥ high.
    """
    confidence = check_confidence(confidence)
    problems = Problems(path=path if path is not None else answers.attrs.get("source"), strict=strict, warn=True)
    ans, _ = prepare_answers(
        answers,
        respondent=respondent,
        item=item,
        kind=kind,
        score=score,
        scale=check_scale(scale),
        items=None,
        groups=list(groups),
        problems=problems,
        weights=weights,
    )
    d = ans.P - ans.E
    n, k = d.shape
    outcome = np.select([np.isnan(d), d > 0, d == 0], ["missing", "delighted", "met"], "dissatisfied")
    scores = pd.DataFrame({c: np.repeat(ans.keys[c].to_numpy(), k) for c in ans.keys.columns})
    scores = scores.assign(
        attribute=np.tile(np.asarray(ans.items, dtype=object), n),
        perception=ans.P.ravel(),
        expectation=ans.E.ravel(),
        gap=d.ravel(),
        outcome=outcome.ravel(),
    )
    attributes = pair_summary(ans, d, confidence, name="attribute", items=ans.items, weight_type=weight_type)
    return GapScoresResult(scores=scores, attributes=attributes, problems=problems.frame(), confidence=confidence)


def pair_summary(
    ans: Answers, d: np.ndarray, confidence: float, *, name: str, items: Sequence, weight_type: str = "sampling"
) -> pd.DataFrame:
    """Per group × item: counts, mean P and E over complete pairs, the paired gap with its t interval, shares.

    With case weights (``ans.w``) the means, shares and intervals are weighted and ``n_eff`` is added.
    """
    G = len(ans.group_keys)
    g = ans.group
    k = d.shape[1]
    complete = ~np.isnan(d)
    w = ans.w
    cnt, mean, se, lo, hi, tval, p, n_eff = summarise(d, g, G, confidence, w, weight_type)
    mP = summarise(np.where(complete, ans.P, np.nan), g, G, confidence, w, weight_type)[1]
    mE = summarise(np.where(complete, ans.E, np.nan), g, G, confidence, w, weight_type)[1]
    n_resp = np.bincount(g, minlength=G)[:, None] * np.ones((1, k))
    shares = {}
    for label, mask in (("delighted", d > 0), ("met", d == 0), ("dissatisfied", d < 0)):
        if w is None:
            with np.errstate(invalid="ignore", divide="ignore"):
                shares[label] = np.where(cnt > 0, grouped_sum(mask.astype(float), g, G) / cnt, np.nan)
        else:
            shares[label] = weighted_share(mask.astype(float), complete.astype(float), g, G, w)
    body = {
        name: np.tile(np.asarray(items, dtype=object), G),
        "n_respondents": n_resp.ravel().astype(int),
        "n": cnt.ravel().astype(int),
        "n_missing": (n_resp - cnt).ravel().astype(int),
        "perception": mP.ravel(),
        "expectation": mE.ravel(),
        "gap": mean.ravel(),
        "se": se.ravel(),
        "ci_low": lo.ravel(),
        "ci_high": hi.ravel(),
        "t": tval.ravel(),
        "p_value": p.ravel(),
        "share_delighted": shares["delighted"].ravel(),
        "share_met": shares["met"].ravel(),
        "share_dissatisfied": shares["dissatisfied"].ravel(),
    }
    if n_eff is not None:
        body["n_eff"] = n_eff.ravel()
    return with_groups(ans.group_keys, k, body)
