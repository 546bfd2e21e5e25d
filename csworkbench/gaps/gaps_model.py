"""The five service-quality gaps (服务质量差距) in the course's order and with the course's meanings.

The course (seed 000, the 服务质量差距 slide) lists five gaps, in this order:

⑴ 促销差距 (promotion): the slide says "标准和实际服务之间的差距", wording that duplicates ⑷; the
   course's lessons compute what was promised (advertising, 承诺) against what was delivered.
⑵ 理解差距 (understanding): 管理者对顾客的预期理解不准确 — management's estimate − the expectation.
⑶ 程序差距 (procedure): 顾客预期没有转换到适当的运作/系统中去 — standard − management's estimate.
⑷ 行为差距 (behaviour): 提供的服务和服务标准有所不同 — delivered − standard.
⑸ 感受差距 (perception): 顾客感受到的服务水平和实际提供的服务水平之间的差距 — what the customer
   perceives − what was actually delivered.  It is **not** perception − expectation.

The customer's overall gap perception − expectation (P − E; the triangle rule's gap and gap 5 in
Parasuraman, Zeithaml & Berry 1985, *J. Marketing* 49(4)) is reported in an extra row, number 0,
key ``service_quality`` (服务质量差距（感知 − 期望）).  Along the service chain it adds up as
P − E = ⑸ + ⑷ + ⑶ + ⑵ (promotion lies off that chain; it raises the expectation).
:func:`five_gaps` computes each gap the measurements allow, per item with a t interval at
``confidence`` (paired within respondents where both sides carry respondent ids, Welch
otherwise), ranks the provider's gaps ⑴–⑷ by their mean absolute size and says which gaps
cannot be computed and why.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.gaps import five_gaps
>>> df = pd.DataFrame({"item": ["wait"] * 4, "respondent": [None, None, 1, 1],
...     "source": ["management_estimate", "standard", "customer_expectation", "customer_perception"],
...     "score": [5, 4, 7, 5]})
>>> res = five_gaps(df, lang="en")
>>> res.summary()[["gap", "key", "computable", "mean_gap"]]
   gap              key  computable  mean_gap
0    1        promotion       False       NaN
1    2    understanding        True      -2.0
2    3        procedure        True      -1.0
3    4        behaviour       False       NaN
4    5       perception       False       NaN
5    0  service_quality        True      -2.0
>>> res.conf_int()[["gap", "key", "item", "estimate"]]
   gap              key  item  estimate
0    2    understanding  wait      -2.0
1    3        procedure  wait      -1.0
2    0  service_quality  wait      -2.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import DataError, ParameterError
from ..i18n import t
from ._common import check_confidence, check_lang, interval_table, numbers, require, rows_text, t_interval

__all__ = ["FiveGapsResult", "FiveGaps", "five_gaps", "SOURCES"]

_FIVE_GAPS = [
    # number (the course's order, seed 000), key, later source, earlier source
    (1, "promotion", "delivered", "promised"),
    (2, "understanding", "management_estimate", "customer_expectation"),
    (3, "procedure", "standard", "management_estimate"),
    (4, "behaviour", "delivered", "standard"),
    (5, "perception", "customer_perception", "delivered"),
    # not one of the five: the customer's overall gap P − E
    (0, "service_quality", "customer_perception", "customer_expectation"),
]
#: Gaps whose two sides may be paired within respondents (both sides measured on customers).
_PAIRABLE = {5, 0}
#: The measurement sources :func:`five_gaps` knows.
SOURCES = ["customer_expectation", "management_estimate", "standard", "delivered", "promised", "customer_perception"]


@dataclass(frozen=True)
class FiveGapsResult:
    """Result of :func:`five_gaps`.

    Attributes
    ----------
    items : DataFrame
        ``gap, key, name, item, estimate, se, ci_low, ci_high, n_later, n_earlier, df`` — one row
        per computable gap × item (``estimate`` = later − earlier stage; negative is a
        shortfall; ``df`` the degrees of freedom of the t interval: n − 1 where paired within
        respondents, Welch–Satterthwaite otherwise; NaN where no interval exists).
    gaps : DataFrame
        One row per gap, the course's ⑴–⑸ then row 0 (the overall P − E): ``gap, key, name,
        computable, n_items, mean_gap, mean_abs_gap, rank`` (1 = largest of the provider's gaps
        ⑴–⑷; NA for ⑸, row 0 and gaps not computable), ``reason`` (which sources are missing,
        in ``lang``; empty when computable).
    confidence : float
        Level of ``ci_low``/``ci_high`` in ``items``.

    Methods
    -------
    summary()
        The per-gap table with the ranking (a copy of ``gaps``).
    conf_int(confidence=None)
        ``gap, key, name, item, estimate, ci_low, ci_high`` per gap × item.  At the result's own
        ``confidence`` (or None) the reported interval; at another level
        ``estimate ± t(df)·se`` recomputed from the stored ``estimate, se, df``.
    """

    items: pd.DataFrame
    gaps: pd.DataFrame
    confidence: float = 0.95

    def summary(self) -> pd.DataFrame:
        """The per-gap table (a copy of ``gaps``): computable or why not, mean gaps, the ranking of causes."""
        return self.gaps.copy()

    def conf_int(self, confidence: float | None = None) -> pd.DataFrame:
        """``gap, key, name, item, estimate, ci_low, ci_high``: the interval of every gap × item.

        ``confidence`` None (or the result's own level) returns the interval in ``items``;
        another level is recomputed as ``estimate ± t(df)·se`` from the stored columns, with
        the degrees of freedom :func:`five_gaps` used (paired n − 1 or Welch).
        Nothing is refitted.

        Raises
        ------
        ParameterError
            A confidence outside (0, 1), or another level for a result whose ``items`` lack the
            ``df`` column (made by hand): run :func:`five_gaps` again with that confidence.
        """
        if confidence is not None and "df" not in self.items.columns:
            level = check_confidence(confidence)
            if not np.isclose(level, self.confidence, rtol=0.0, atol=1e-12):
                raise ParameterError(
                    f"these five-gaps items hold no degrees of freedom ('df'), so intervals at {level} cannot be "
                    f"recomputed from the ones at {self.confidence}; run five_gaps(..., confidence={level}) again"
                )
        return interval_table(self.items, "item", self.confidence, confidence, estimate="estimate", df="df")


#: The former name of :class:`FiveGapsResult` (kept importable).
FiveGaps = FiveGapsResult


def five_gaps(
    measurements: pd.DataFrame,
    *,
    item: str = "item",
    source: str = "source",
    score: str = "score",
    respondent: str | None = "respondent",
    confidence: float = 0.95,
    lang: str = "zh",
) -> FiveGapsResult:
    """The five service-quality gaps (服务质量差距) from whatever measurements are given.

    Each gap is "later stage − earlier stage", so negative means a shortfall.  The numbers and
    the order are the course's (seed 000):

    ====  ============================  ====================================================
    gap   key, name                     computed as
    ====  ============================  ====================================================
    1     promotion 促销差距             delivered − promised
    2     understanding 理解差距         management_estimate − customer_expectation
    3     procedure 程序差距             standard − management_estimate
    4     behaviour 行为差距             delivered − standard
    5     perception 感受差距            customer_perception − delivered
    0     service_quality 服务质量差距    customer_perception − customer_expectation (P − E)
    ====  ============================  ====================================================

    ⑴–⑷ lie with the provider and are ranked by their mean absolute size over the items; ⑸ is
    what the customer perceives against what was actually delivered; row 0 is not one of the
    five gaps but the customer's overall P − E, which equals ⑸ + ⑷ + ⑶ + ⑵ at the item means.

    Parameters
    ----------
    measurements : DataFrame
        Long measurements ``item, source, score`` (optionally ``respondent``), where
        ``source`` is one of :data:`SOURCES`.  Several rows per item and source (respondents,
        managers, audits) are averaged.
    respondent : str or None
        Respondent column; ⑸ and P − E are paired within respondents when both sides carry
        respondent ids (a delivered level measured per customer), otherwise every gap compares
        independent means (Welch interval; with one delivered figure, a one-sample interval).
    confidence : float, default 0.95
        Level of the intervals.
    lang : {"zh", "en"}
        Language of ``name`` and ``reason``.

    Returns
    -------
    FiveGapsResult
        ``items`` (per gap × item), ``gaps`` (per gap, with the ranking; also ``summary()``),
        ``confidence``; intervals by ``conf_int()``.
    """
    check_lang(lang)
    confidence = check_confidence(confidence)
    data = _measurements(measurements, item, source, score, respondent)
    present = set(data["source"])
    item_rows, gap_rows = [], []
    for number, key, later, earlier in _FIVE_GAPS:
        name = t(f"gaps.five.{key}", lang)
        missing = [s for s in (later, earlier) if s not in present]
        if missing:
            reason = t("gaps.five.reason_missing", lang, sources=", ".join(missing))
            gap_rows.append((number, key, name, False, 0, np.nan, np.nan, reason))
            continue
        est = _gap_per_item(data, later, earlier, paired=number in _PAIRABLE, confidence=confidence)
        item_rows += [(number, key, name, *e) for e in est]
        if not est:
            reason = t("gaps.five.reason_no_item", lang, later=later, earlier=earlier)
            gap_rows.append((number, key, name, False, 0, np.nan, np.nan, reason))
            continue
        ms = np.array([e[1] for e in est])
        gap_rows.append((number, key, name, True, len(est), ms.mean(), np.abs(ms).mean(), ""))
    items_df = pd.DataFrame(
        item_rows,
        columns=["gap", "key", "name", "item", "estimate", "se", "ci_low", "ci_high", "n_later", "n_earlier", "df"],
    )
    gaps = pd.DataFrame(
        gap_rows, columns=["gap", "key", "name", "computable", "n_items", "mean_gap", "mean_abs_gap", "reason"]
    )
    cause = gaps["computable"] & gaps["gap"].between(1, 4)
    gaps["rank"] = np.nan
    gaps.loc[cause, "rank"] = gaps.loc[cause, "mean_abs_gap"].rank(ascending=False, method="min")
    gaps["rank"] = gaps["rank"].astype("Int64")
    gaps = gaps[["gap", "key", "name", "computable", "n_items", "mean_gap", "mean_abs_gap", "rank", "reason"]]
    return FiveGapsResult(items=items_df, gaps=gaps, confidence=confidence)


def _measurements(frame: pd.DataFrame, item: str, source: str, score: str, respondent: str | None) -> pd.DataFrame:
    """``item, source, score`` (+ ``respondent``) checked; rows without a score dropped."""
    require(frame, [item, source, score], "the five-gaps table")
    src = frame[source].astype(str).str.strip()
    unknown = ~src.isin(SOURCES)
    if unknown.any():
        rows = np.flatnonzero(unknown.to_numpy()) + 1
        raise DataError(
            f"source must be one of {', '.join(SOURCES)}; got {src.iloc[rows[0] - 1]!r} ({rows_text(rows)})",
            column=source,
            row=int(rows[0]),
        )
    data = pd.DataFrame(
        {"item": frame[item].to_numpy(), "source": src.to_numpy(), "score": numbers(frame, score).to_numpy()}
    )
    if respondent and respondent in frame.columns:
        data["respondent"] = frame[respondent].to_numpy()
    return data.dropna(subset=["score"])


def _gap_per_item(data: pd.DataFrame, later: str, earlier: str, *, paired: bool, confidence: float) -> list[tuple]:
    """``(item, estimate, se, ci_low, ci_high, n_later, n_earlier, df)`` for every item with both sources."""
    est = []
    for it, sub in data.groupby("item", sort=False):
        a = sub.loc[sub["source"] == later]
        b = sub.loc[sub["source"] == earlier]
        if a.empty or b.empty:
            continue
        if paired and "respondent" in sub.columns and a["respondent"].notna().all() and b["respondent"].notna().all():
            est.append((it, *_paired(a, b, confidence)))
        else:
            est.append((it, *_welch(a["score"].to_numpy(), b["score"].to_numpy(), confidence)))
    return est


def _paired(a: pd.DataFrame, b: pd.DataFrame, confidence: float) -> tuple:
    pair = (
        a.groupby("respondent")["score"]
        .mean()
        .to_frame("a")
        .join(b.groupby("respondent")["score"].mean().rename("b"), how="inner")
    )
    diff = (pair["a"] - pair["b"]).to_numpy()
    m = diff.mean()
    sd = diff.std(ddof=1) if len(diff) > 1 else np.nan
    se, lo, hi, _, _ = t_interval(m, sd, len(diff), confidence)
    return m, float(se), float(lo), float(hi), len(pair), len(pair), float(len(diff) - 1) if len(diff) > 1 else np.nan


def _welch(xa: np.ndarray, xb: np.ndarray, confidence: float) -> tuple:
    m = xa.mean() - xb.mean()
    va = xa.var(ddof=1) / len(xa) if len(xa) > 1 else 0.0
    vb = xb.var(ddof=1) / len(xb) if len(xb) > 1 else 0.0
    se = np.sqrt(va + vb)
    if se > 0:
        dfw = (va + vb) ** 2 / (
            (va**2 / (len(xa) - 1) if len(xa) > 1 else 0) + (vb**2 / (len(xb) - 1) if len(xb) > 1 else 0)
        )
        q = stats.t.ppf(0.5 + confidence / 2, dfw)
        lo, hi = m - q * se, m + q * se
    else:
        se, lo, hi, dfw = np.nan, np.nan, np.nan, np.nan
    return m, se, lo, hi, len(xa), len(xb), float(dfw)
