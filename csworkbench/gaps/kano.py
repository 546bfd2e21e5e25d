"""The Kano model (卡诺模型) and the course's customer-needs window (客户需要之窗).

Kano et al. (1984, *Hinshitsu* 14(2)) classify a feature by two questions — how do you feel if
it is present (functional) and if it is absent (dysfunctional)?  :func:`kano_classify` looks each
answer pair up in the standard evaluation table (:data:`KANO_TABLE`; Berger et al. 1993, *Center
for Quality Management Journal* 2(4)) → A attractive (魅力), O one-dimensional (期望), M must-be
(必备), I indifferent (无差异), R reverse (反向), Q questionable (可疑), and summarises each
feature with the category shares and the Better/Worse coefficients.  :func:`needs_window` places
the features in the needs window: what customers want (M, O) against what the firm provides.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.gaps import kano_classify, needs_window
>>> df = pd.DataFrame({"feature": ["wifi"] * 3 + ["safety"] * 2, "functional": [1, 1, 2, 2, 2],
...                    "dysfunctional": [3, 3, 5, 5, 5]})
>>> res = kano_classify(df, lang="en")
>>> res.summary()[["feature", "category", "better", "worse"]]
  feature category    better     worse
0    wifi        A  0.666667 -0.333333
1  safety        M  0.000000 -1.000000
>>> needs_window(res.features, {"wifi": True, "safety": False}, lang="en")["window"].tolist()
['Pleasant surprise', 'Bad']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..i18n import t
from ..problems import Problems
from ..weighting.design import case_weights
from ._common import check_lang, require

__all__ = ["KANO_TABLE", "KANO_CATEGORIES", "KanoResult", "kano_classify", "needs_window"]

#: Standard Kano evaluation table (Berger et al. 1993): rows functional answer, columns
#: dysfunctional answer, codes 1 like, 2 must-be, 3 neutral, 4 live with, 5 dislike.
KANO_TABLE = np.array(
    [
        ["Q", "A", "A", "A", "O"],
        ["R", "I", "I", "I", "M"],
        ["R", "I", "I", "I", "M"],
        ["R", "I", "I", "I", "M"],
        ["R", "R", "R", "R", "Q"],
    ]
)
#: The Kano categories in the order of the summary columns.
KANO_CATEGORIES = ["A", "O", "M", "I", "R", "Q"]
_KANO_WORDS = {
    "like": 1,
    "i like it": 1,
    "喜欢": 1,
    "我喜欢": 1,
    "must-be": 2,
    "must be": 2,
    "expect": 2,
    "i expect it": 2,
    "理所当然": 2,
    "应该的": 2,
    "必须的": 2,
    "neutral": 3,
    "i am neutral": 3,
    "无所谓": 3,
    "live with": 4,
    "live-with": 4,
    "i can live with it": 4,
    "能忍受": 4,
    "可以忍受": 4,
    "dislike": 5,
    "i dislike it": 5,
    "不喜欢": 5,
    "我不喜欢": 5,
}


@dataclass(frozen=True)
class KanoResult:
    """Result of :func:`kano_classify`.

    Attributes
    ----------
    answers : DataFrame
        The input columns plus ``category`` (None for pairs left out).
    features : DataFrame
        One row per feature (formerly the field ``summary``): ``feature, n, n_invalid, A, O, M,
        I, R, Q`` (shares of the valid pairs), ``category`` (most frequent; ties broken in the
        order M > O > A > I > R > Q, the usual "must-be first" rule), ``category_name`` (in
        ``lang``), ``better`` = (A + O) / (A + O + M + I), ``worse`` = −(O + M) / (A + O + M + I).
    problems : DataFrame
        The data problems (columns of :data:`csworkbench.codes.PROBLEM_COLUMNS`).

    Methods
    -------
    summary()
        The feature table (a copy of ``features``).
    conf_int(confidence=None)
        Always raises :class:`~csworkbench.errors.ParameterError`: the Kano classification is
        descriptive (category shares and the Better/Worse coefficients are counts of the
        answers), it computes no intervals.  The method exists so that code calling
        ``conf_int()`` on any gaps result gets this explanation rather than an AttributeError.
    """

    answers: pd.DataFrame
    features: pd.DataFrame
    problems: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """The feature table (a copy of ``features``): category shares, category, Better/Worse."""
        return self.features.copy()

    def conf_int(self, confidence: float | None = None) -> pd.DataFrame:
        """Not available: the Kano classification has no intervals; raises :class:`ParameterError`."""
        raise ParameterError(
            "a Kano result has no confidence intervals: the category shares and the Better/Worse coefficients "
            "are descriptive counts of the answers, with no inference; use summary() for the feature table"
        )


def _kano_codes(series: pd.Series) -> np.ndarray:
    """Answer codes 1–5 from ints or words (en/zh); NaN where unknown or blank."""
    num = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    text = series.astype("string").str.strip().str.lower()
    words = text.map(_KANO_WORDS).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    out = np.where(np.isnan(num), words, num)
    out[~np.isin(out, [1, 2, 3, 4, 5])] = np.nan
    return out


def kano_classify(
    answers: pd.DataFrame,
    *,
    feature: str = "feature",
    functional: str = "functional",
    dysfunctional: str = "dysfunctional",
    weights: str | None = None,
    strict: bool = False,
    lang: str = "zh",
) -> KanoResult:
    """Kano classification (卡诺模型) from functional/dysfunctional answer pairs.

    Answers are codes 1 like, 2 must-be, 3 neutral, 4 live with, 5 dislike (or those words
    in English/Chinese: 喜欢, 理所当然, 无所谓, 能忍受, 不喜欢).

    Parameters
    ----------
    answers : DataFrame
        One row per respondent × feature with ``feature, functional, dysfunctional``.
    strict : bool, default False
        Unknown codes raise :class:`~csworkbench.errors.DataError`; otherwise they are
        reported, warned about and the pair is left out (counted in ``n_invalid``).
    weights : str, optional
        Column of case weights: category shares and Better/Worse are then shares of the summed
        weights, ``features`` gains ``n_eff`` (Kish) and pairs with an unusable weight are listed
        and left out (counted in ``n_invalid``).  None: unweighted, as before.
    lang : {"zh", "en"}
        Language of ``category_name``.

    Returns
    -------
    KanoResult
        ``answers`` with their category, ``features`` per feature (also ``summary()``), ``problems``.
    """
    check_lang(lang)
    require(answers, [feature, functional, dysfunctional], "the Kano answers")
    problems = Problems(path=answers.attrs.get("source"), strict=strict, warn=True)
    codes = {}
    for col in (functional, dysfunctional):
        c = _kano_codes(answers[col])
        bad = np.isnan(c) & answers[col].notna().to_numpy()
        if bad.any():
            feats = sorted(set(map(str, answers[feature].to_numpy()[bad])))
            problems.add(
                "kano_code",
                rows=np.flatnonzero(bad) + 1,
                column=col,
                values=answers[col].to_numpy()[bad],
                action="pair_left_out",
                features=str(feats),
            )
        codes[col] = c
    f, dcode = codes[functional], codes[dysfunctional]
    valid = ~np.isnan(f) & ~np.isnan(dcode)
    w = case_weights(answers, weights, problems=problems)
    if w is not None:
        valid &= np.isfinite(w)
    cat = np.full(len(answers), None, dtype=object)
    cat[valid] = KANO_TABLE[f[valid].astype(int) - 1, dcode[valid].astype(int) - 1]
    out = answers.copy()
    out["category"] = cat
    features = _kano_summary(out, feature, valid, lang, w)
    return KanoResult(answers=out, features=features, problems=problems.frame())


def _kano_summary(
    answers: pd.DataFrame, feature: str, valid: np.ndarray, lang: str, w: np.ndarray | None = None
) -> pd.DataFrame:
    feats = pd.unique(answers[feature])
    if w is None:
        tab = pd.crosstab(answers[feature], answers["category"])
    else:
        ok = pd.Series(valid, index=answers.index)
        tab = pd.crosstab(answers[feature][ok], answers["category"][ok], values=w[valid], aggfunc="sum").fillna(0.0)
    tab = tab.reindex(columns=KANO_CATEGORIES, fill_value=0).reindex(feats, fill_value=0)
    n = (
        tab.sum(axis=1)
        if w is None
        else pd.Series(valid, index=answers.index).groupby(answers[feature].to_numpy()).sum()
    )
    n = n.reindex(feats, fill_value=0)
    total = tab.sum(axis=1)
    n_invalid = (
        pd.Series(~valid, index=answers.index).groupby(answers[feature].to_numpy()).sum().reindex(feats, fill_value=0)
    )
    shares = tab.div(total.where(total > 0), axis=0)
    top = tab[["M", "O", "A", "I", "R", "Q"]].idxmax(axis=1).where(total > 0)
    aomi = tab[["A", "O", "M", "I"]].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        better = (tab["A"] + tab["O"]) / aomi.where(aomi > 0)
        worse = -(tab["O"] + tab["M"]) / aomi.where(aomi > 0)
    summary = pd.DataFrame({"feature": feats, "n": n.to_numpy(), "n_invalid": n_invalid.to_numpy().astype(int)})
    for c in KANO_CATEGORIES:
        summary[c] = shares[c].to_numpy()
    summary["category"] = top.to_numpy()
    summary["category_name"] = [t(f"gaps.kano.{c}", lang) if isinstance(c, str) else None for c in top]
    summary["better"] = better.to_numpy(dtype=float)
    summary["worse"] = worse.to_numpy(dtype=float)
    if w is not None:
        wv = np.where(valid, w, 0.0)
        by = answers[feature].to_numpy()
        sw, sw2 = pd.Series(wv).groupby(by).sum(), pd.Series(wv * wv).groupby(by).sum()
        summary["n_eff"] = (sw**2 / sw2).reindex(feats).to_numpy(dtype=float)
    return summary


def needs_window(
    summary: pd.DataFrame | KanoResult, provided: Mapping[str, bool] | pd.Series | None = None, *, lang: str = "zh"
) -> pd.DataFrame:
    """The course's customer-needs window (客户需要之窗) as a view of a Kano result.

    Customers *want* a feature when its Kano category is M or O (basic and satisfying
    expectations); A (delight), I and R are features they *do not think of*.  With whether
    the firm *provides* it:

    ==========================  =====================  ===========================================
    firm \\ customer             wants it (M, O)        does not think of it (A / I, R)
    ==========================  =====================  ===========================================
    provides                    本该如此 as it should be 喜出望外 pleasant surprise (A) / 多此一举 superfluous (I, R)
    does not provide            大势不好 bad            无伤大雅 harmless
    ==========================  =====================  ===========================================

    Parameters
    ----------
    summary : DataFrame or KanoResult
        A :func:`kano_classify` result or its ``features`` table (needs ``feature, category``).
    provided : mapping feature → bool, optional
        Whether the firm provides each feature; features not given get only the two
        conditional cells.
    lang : {"zh", "en"}
        Language of the window cells.

    Returns
    -------
    DataFrame
        ``feature, category, wanted`` (bool), ``if_provided, if_not_provided`` (window cells
        in ``lang``), ``provided`` (bool or NA), ``window`` (the cell that applies, or NA).
    """
    check_lang(lang)
    if isinstance(summary, KanoResult):
        summary = summary.features
    require(summary, ["feature", "category"], "the Kano feature table")
    cat = summary["category"]
    wanted = cat.isin(["M", "O"])
    if_prov = np.where(
        wanted, "gaps.window.should_be", np.where(cat == "A", "gaps.window.surprise", "gaps.window.superfluous")
    )
    if_not = np.where(wanted, "gaps.window.bad", "gaps.window.harmless")
    out = pd.DataFrame(
        {
            "feature": summary["feature"].to_numpy(),
            "category": cat.to_numpy(),
            "wanted": wanted.to_numpy(),
            "if_provided": [t(k, lang) for k in if_prov],
            "if_not_provided": [t(k, lang) for k in if_not],
        }
    )
    prov = pd.Series(provided if provided is not None else {}, dtype=object)
    out["provided"] = pd.array([prov.get(f, pd.NA) for f in out["feature"]], dtype="boolean")
    out["window"] = pd.array(
        [
            pd.NA if pd.isna(p) else (a if p else b)
            for p, a, b in zip(out["provided"], out["if_provided"], out["if_not_provided"])
        ],
        dtype="string",
    )
    return out
