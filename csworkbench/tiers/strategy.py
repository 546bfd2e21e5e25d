"""Customer strategy (客户策略): value classes, the differentiation and strategy matrices, strategic
customers and the economics of retention.

* :func:`value_classes` — Peppers & Rogers' value classes: most valuable customers (MVC,
  最具价值客户), most growable (MGC, 最具增长潜力客户) and below-zero customers (BZC, 负值客户),
  each with its action (retain, expand, reduce cost to serve, maintain);
* :func:`differentiation_matrix` — the customer differentiation matrix (客户差异矩阵): value ×
  needs, with the approach of each quadrant (mass marketing … one-to-one);
* :func:`strategy_matrix` — the customer strategy matrix (客户策略矩阵): retain / expand /
  acquire / diversify;
* :func:`strategic_score` — the seven strategic-customer criteria (战略客户七条标准), weighted;
* :func:`retention_economics` — the course's retention figures as a calculator (客户保留的经济账).

Reference: Peppers & Rogers (2004), *Managing Customer Relationships: A Strategic Framework*,
Wiley, ch. 4–5; COURSE.md §3.

Examples
--------
>>> from csworkbench.tiers import retention_economics, strategy_matrix
>>> strategy_matrix("en")["strategy"].tolist()
['retain', 'expand', 'acquire', 'diversify']
>>> float(retention_economics(1, lang="en").set_index("item").loc["people_per_unhappy", "value"])
67.0
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ..i18n import check_language, t
from ._base import tier_by_share

__all__ = [
    "value_classes",
    "differentiation_matrix",
    "DifferentiationResult",
    "strategy_matrix",
    "STRATEGIC_CRITERIA",
    "strategic_score",
    "StrategicScoreResult",
    "retention_economics",
]

#: The customer strategy matrix (客户策略矩阵): customers (existing/new) × offer (existing/new).
_STRATEGIES = {
    ("existing", "existing"): "retain",
    ("existing", "new"): "expand",
    ("new", "existing"): "acquire",
    ("new", "new"): "diversify",
}


def strategy_matrix(lang: str = "zh") -> pd.DataFrame:
    """The course's customer strategy matrix: retain / expand / acquire / diversify (客户策略矩阵).

    Returns
    -------
    DataFrame
        ``customers`` (existing/new), ``offer`` (existing/new products), ``strategy`` (key),
        ``strategy_label``, ``description``, ``risk`` (1 lowest … 4 highest).

    Examples
    --------
    >>> strategy_matrix("en")["strategy"].tolist()
    ['retain', 'expand', 'acquire', 'diversify']
    """
    check_language(lang)
    rows = []
    for risk, ((cust, offer), key) in enumerate(_STRATEGIES.items(), start=1):
        rows.append(
            {
                "customers": cust,
                "offer": offer,
                "strategy": key,
                "strategy_label": t(f"strategy.{key}", lang),
                "description": t(f"strategy.{key}_text", lang),
                "risk": risk,
            }
        )
    return pd.DataFrame(rows)


def value_classes(
    data: pd.DataFrame,
    *,
    current: str = "current_value",
    potential: str = "potential_value",
    mvc_share: float = 0.2,
    mgc_share: float = 0.2,
    lang: str = "zh",
) -> pd.DataFrame:
    """Peppers & Rogers value classes: MVC, MGC, BZC (最具价值/最具增长潜力/负值客户).

    Parameters
    ----------
    data : DataFrame
        One row per customer: ``customer_id``, current value (e.g. margin or CLV to date) and
        potential value (what the customer could be worth, e.g. share-of-wallet estimate).
    current, potential : str
        Column names.
    mvc_share : float
        Share of customers (top by current value) that are most valuable (MVC).
    mgc_share : float
        Share of the remaining positive-value customers, by growth ``potential − current``,
        that are most growable (MGC).
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        ``customer_id, current_value, potential_value, growth, value_class`` (``mvc``, ``mgc``,
        ``bzc`` = current value < 0, ``other``), ``value_class_label``, ``action`` (key:
        MVC → retain, MGC → expand, BZC → reduce cost to serve / convert, other → maintain),
        ``action_label``. Ties never split (same rule as :func:`customer_pyramid`).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"customer_id": list("abcde"), "current_value": [100.0, 10, 5, -20, 8],
    ...                   "potential_value": [120.0, 200, 6, 0, 9]})
    >>> value_classes(d, lang="en")[["customer_id", "value_class", "action"]]
      customer_id value_class       action
    0           a         mvc       retain
    1           b         mgc       expand
    2           c       other     maintain
    3           d         bzc  reduce_cost
    4           e       other     maintain
    """
    check_language(lang)
    for col in ("customer_id", current, potential):
        if col not in data.columns:
            raise DataError(f"no column {col!r}; expected customer_id, current and potential value", column=col)
    for share, name in ((mvc_share, "mvc_share"), (mgc_share, "mgc_share")):
        if not 0 < float(share) < 1:
            raise ParameterError(f"{name} must lie strictly between 0 and 1; got {share!r}")
    cur = pd.to_numeric(data[current], errors="coerce").astype(float)
    pot = pd.to_numeric(data[potential], errors="coerce").astype(float)
    out = pd.DataFrame(
        {
            "customer_id": data["customer_id"].to_numpy(),
            "current_value": cur.to_numpy(),
            "potential_value": pot.to_numpy(),
        }
    )
    out["growth"] = out["potential_value"] - out["current_value"]
    cls = np.full(len(out), "other", dtype=object)
    missing = out["current_value"].isna().to_numpy()
    cls[missing] = None
    bzc = (out["current_value"] < 0).to_numpy()
    cls[bzc] = "bzc"
    pos = ~missing & ~bzc
    if pos.any():
        top = tier_by_share(out["current_value"].to_numpy()[pos], np.array([float(mvc_share)])) == 0
        idx_pos = np.flatnonzero(pos)
        cls[idx_pos[top]] = "mvc"
        rest = idx_pos[~top]
        g = out["growth"].to_numpy()[rest]
        ok = np.isfinite(g) & (g > 0)
        if ok.any():
            grow = tier_by_share(g[ok], np.array([float(mgc_share) * len(rest) / ok.sum()])) == 0
            cls[rest[ok][grow]] = "mgc"
    out["value_class"] = pd.Series(cls, dtype="string")
    actions = {"mvc": "retain", "mgc": "expand", "bzc": "reduce_cost", "other": "maintain"}
    out["value_class_label"] = out["value_class"].map(lambda k: t(f"value.{k}", lang) if isinstance(k, str) else pd.NA)
    out["action"] = out["value_class"].map(actions).astype("string")
    out["action_label"] = out["action"].map(lambda k: t(f"strategy.{k}", lang) if isinstance(k, str) else pd.NA)
    if missing.any():
        warnings.warn(
            f"value_classes: {int(missing.sum())} customer(s) with a missing current value get no class",
            DataWarning,
            stacklevel=2,
        )
    return out


@dataclass(frozen=True, eq=False)
class DifferentiationResult:
    """What :func:`differentiation_matrix` returns.

    Attributes
    ----------
    table : DataFrame
        One row per quadrant: ``quadrant`` (key), ``value_level``, ``needs_level``,
        ``customers``, ``share``, ``value_sum``, ``approach`` (label).
    customers : DataFrame
        ``customer_id, quadrant`` (NA when the value or the needs score is missing).
    value_cut, needs_cut : float
        The cut points used (a value on the cut counts as high).
    """

    table: pd.DataFrame
    customers: pd.DataFrame
    value_cut: float
    needs_cut: float


def differentiation_matrix(
    data: pd.DataFrame,
    *,
    value: str = "current_value",
    needs: str = "needs",
    value_cut: float | None = None,
    needs_cut: float | None = None,
    lang: str = "zh",
) -> DifferentiationResult:
    """Peppers & Rogers customer differentiation matrix: value × needs (客户差异矩阵).

    Each customer is placed by value (high/low) and by how specific their needs are
    (high/low, e.g. a 1–7 "needs differ from the average customer" score), and the quadrant's
    recommended approach is given: I low/low mass marketing (大众营销), II high value / low
    needs differentiated by value (按价值区别对待), III low value / high needs customised by
    need (按需求定制), IV high/high one-to-one (一对一营销).

    Parameters
    ----------
    data : DataFrame
        ``customer_id`` plus value and needs columns.
    value, needs : str
        Column names.
    value_cut, needs_cut : float, optional
        Cut points (default: the medians; a value on the cut counts as high).
    lang : {"zh", "en"}

    Returns
    -------
    DifferentiationResult
        ``table``: one row per quadrant; ``customers``: the quadrant of each customer;
        ``value_cut``, ``needs_cut``: the cut points used.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"customer_id": list("abcd"), "current_value": [1.0, 9, 2, 8], "needs": [1, 1, 7, 6]})
    >>> differentiation_matrix(d, lang="en").table[["quadrant", "customers"]]
           quadrant  customers
    0   mass_market          1
    1  value_differ          1
    2  needs_differ          1
    3    one_to_one          1
    """
    check_language(lang)
    for col in ("customer_id", value, needs):
        if col not in data.columns:
            raise DataError(f"no column {col!r}", column=col)
    v = pd.to_numeric(data[value], errors="coerce").astype(float)
    nd = pd.to_numeric(data[needs], errors="coerce").astype(float)
    vc = float(v.median()) if value_cut is None else float(value_cut)
    nc = float(nd.median()) if needs_cut is None else float(needs_cut)
    hv, hn = v >= vc, nd >= nc
    quad = np.select(
        [~hv & ~hn, hv & ~hn, ~hv & hn, hv & hn], ["mass_market", "value_differ", "needs_differ", "one_to_one"], ""
    )
    quad = quad.astype(object)
    quad[(v.isna() | nd.isna()).to_numpy()] = None
    per = pd.DataFrame({"customer_id": data["customer_id"].to_numpy(), "quadrant": quad, "value": v.to_numpy()})
    keys = ["mass_market", "value_differ", "needs_differ", "one_to_one"]
    g = per.dropna(subset=["quadrant"]).groupby("quadrant")
    out = pd.DataFrame(
        {"quadrant": keys, "value_level": ["low", "high", "low", "high"], "needs_level": ["low", "low", "high", "high"]}
    )
    out["customers"] = out["quadrant"].map(g.size()).fillna(0).astype("int64")
    out["share"] = out["customers"] / max(int(out["customers"].sum()), 1)
    out["value_sum"] = out["quadrant"].map(g["value"].sum()).fillna(0.0)
    out["approach"] = [t(f"diffmatrix.{k}", lang) for k in keys]
    return DifferentiationResult(out, per[["customer_id", "quadrant"]], vc, nc)


#: The seven strategic-customer criteria (战略客户七条标准), COURSE.md §3.
STRATEGIC_CRITERIA: tuple[str, ...] = (
    "size",
    "influence",
    "stability",
    "competition",
    "value_adding",
    "cost_saving",
    "potential",
)


@dataclass(frozen=True, eq=False)
class StrategicScoreResult:
    """What :func:`strategic_score` returns.

    Attributes
    ----------
    table : DataFrame
        ``customer_id``, ``w_<criterion>`` contributions, ``score``, ``rank``.
    weights : DataFrame
        ``criterion, criterion_label, weight`` (normalised to sum 1).
    """

    table: pd.DataFrame
    weights: pd.DataFrame


def strategic_score(
    data: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    columns: Mapping[str, str] | None = None,
    lang: str = "zh",
) -> StrategicScoreResult:
    """Weighted score on the seven strategic-customer criteria (战略客户评分).

    The criteria (COURSE.md §3): size of business with the firm, influence on other
    customers, stability, competition for the same customer, unique value-adding chances,
    cost-saving chances, future potential. Scores are rated by the user on any common scale
    (e.g. 1–5); weights are normalised to sum 1.

    Parameters
    ----------
    data : DataFrame
        ``customer_id`` and one column per criterion (names as in :data:`STRATEGIC_CRITERIA`
        unless mapped with ``columns``).
    weights : mapping criterion → weight, optional
        Non-negative; default equal weights. Criteria left out get weight 0.
    columns : mapping criterion → column name, optional
    lang : {"zh", "en"}

    Returns
    -------
    StrategicScoreResult
        ``table``: ``customer_id``, one ``w_<criterion>`` contribution column per criterion
        (weight × score), ``score`` (sum; NaN if a weighted criterion is missing), ``rank``
        (1 = most strategic); ``weights``: the normalised weights with labels.

    Raises
    ------
    ParameterError
        Unknown criteria, or weights that are negative or sum to 0.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"customer_id": ["x", "y"], **{c: [5, 1] for c in STRATEGIC_CRITERIA}})
    >>> d.loc[1, "potential"] = 5
    >>> strategic_score(d, weights={"size": 1, "potential": 1}).table[["customer_id", "score", "rank"]]
      customer_id  score  rank
    0           x    5.0     1
    1           y    3.0     2
    """
    check_language(lang)
    cols = {c: c for c in STRATEGIC_CRITERIA} | dict(columns or {})
    unknown = set(cols) - set(STRATEGIC_CRITERIA)
    if unknown:
        raise ParameterError(f"unknown criteria {sorted(unknown)}; expected {list(STRATEGIC_CRITERIA)}")
    w = (
        {c: 1.0 for c in STRATEGIC_CRITERIA}
        if weights is None
        else {c: float(weights.get(c, 0.0)) for c in STRATEGIC_CRITERIA}
    )
    if weights is not None and set(weights) - set(STRATEGIC_CRITERIA):
        raise ParameterError(
            f"unknown criteria in weights {sorted(set(weights) - set(STRATEGIC_CRITERIA))}; "
            f"expected {list(STRATEGIC_CRITERIA)}"
        )
    if any(not np.isfinite(x) or x < 0 for x in w.values()) or sum(w.values()) <= 0:
        raise ParameterError(f"weights must be >= 0 with a positive sum; got {w}")
    total = sum(w.values())
    w = {c: x / total for c, x in w.items()}
    used = [c for c in STRATEGIC_CRITERIA if w[c] > 0]
    missing = [cols[c] for c in used if cols[c] not in data.columns]
    if "customer_id" not in data.columns or missing:
        raise DataError(
            f"missing column(s) {(['customer_id'] if 'customer_id' not in data.columns else []) + missing}",
            column=(missing or ["customer_id"])[0],
        )
    out = pd.DataFrame({"customer_id": data["customer_id"].to_numpy()})
    for c in used:
        scores = pd.to_numeric(data[cols[c]], errors="coerce").astype(float)
        bad = scores.isna() & data[cols[c]].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"score must be numeric; got {data[cols[c]].iloc[i]!r}", column=cols[c], row=i + 1)
        out[f"w_{c}"] = w[c] * scores.to_numpy()
    out["score"] = out[[f"w_{c}" for c in used]].sum(axis=1, min_count=len(used))
    out["rank"] = out["score"].rank(ascending=False, method="min").astype("Int64")
    weights_table = pd.DataFrame(
        {
            "criterion": list(STRATEGIC_CRITERIA),
            "criterion_label": [t(f"strategic.{c}", lang) for c in STRATEGIC_CRITERIA],
            "weight": [w[c] for c in STRATEGIC_CRITERIA],
        }
    )
    return StrategicScoreResult(out, weights_table)


def retention_economics(
    complaints: float = 1,
    *,
    silent_share: float = 0.95,
    first_ring: int = 11,
    second_ring: int = 5,
    silent_tell: int = 10,
    retention_cost: float = 100.0,
    acquisition_multiple: float = 3.0,
    churn_share: float = 0.5,
    customer_value: float = 1000.0,
    lang: str = "zh",
) -> pd.DataFrame:
    """The course's retention economics as a calculator (客户保留的经济账).

    Figures quoted in the course (COURSE.md §3), each a parameter: winning a new customer
    costs ≈ 3 × keeping one; one unhappy customer tells 11 people who tell 5 more each
    (1 + 11 + 55 = 67 hear of it); 95 % of unhappy customers never complain (but tell about 10).

    Parameters
    ----------
    complaints : float
        Complaints received.
    silent_share : float
        Share of unhappy customers who never complain (so unhappy = complaints / (1 − share)).
    first_ring, second_ring : int
        People told by an unhappy customer, and by each of those.
    silent_tell : int
        People told by a silent unhappy customer.
    retention_cost : float
        Cost of keeping one customer (yuan).
    acquisition_multiple : float
        Cost of winning a new customer as a multiple of ``retention_cost``.
    churn_share : float
        Share of unhappy customers who leave.
    customer_value : float
        Value of a customer (e.g. CLV, yuan).
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        ``item, item_label, value, formula`` with: ``people_per_unhappy`` (67),
        ``unhappy_customers``, ``silent_unhappy``, ``people_hearing`` (complainers × 67 + silent
        × silent_tell), ``customers_lost``, ``value_at_risk``, ``replacement_cost``,
        ``retention_cost_total``, ``saving_by_retention``.

    Examples
    --------
    >>> r = retention_economics(10, lang="en").set_index("item")["value"]
    >>> r[["people_per_unhappy", "unhappy_customers", "people_hearing"]].tolist()
    [67.0, 200.0, 2570.0]
    """
    check_language(lang)
    if not 0 <= silent_share < 1:
        raise ParameterError(f"silent_share must lie in [0, 1); got {silent_share!r}")
    if not 0 <= churn_share <= 1:
        raise ParameterError(f"churn_share must lie in [0, 1]; got {churn_share!r}")
    for name, v in (
        ("complaints", complaints),
        ("retention_cost", retention_cost),
        ("acquisition_multiple", acquisition_multiple),
        ("customer_value", customer_value),
    ):
        if not np.isfinite(v) or v < 0:
            raise ParameterError(f"{name} must be a number >= 0; got {v!r}")
    per = 1 + first_ring + first_ring * second_ring
    unhappy = complaints / (1 - silent_share)
    silent = unhappy - complaints
    hearing = complaints * per + silent * silent_tell
    lost = unhappy * churn_share
    rows = [
        ("people_per_unhappy", per, f"1 + {first_ring} + {first_ring}×{second_ring}"),
        ("unhappy_customers", unhappy, f"complaints / (1 − {silent_share:g})"),
        ("silent_unhappy", silent, "unhappy − complaints"),
        ("people_hearing", hearing, f"complaints × {per} + silent × {silent_tell}"),
        ("customers_lost", lost, f"unhappy × {churn_share:g}"),
        ("value_at_risk", lost * customer_value, f"lost × {customer_value:g}"),
        (
            "replacement_cost",
            lost * retention_cost * acquisition_multiple,
            f"lost × {retention_cost:g} × {acquisition_multiple:g}",
        ),
        ("retention_cost_total", lost * retention_cost, f"lost × {retention_cost:g}"),
        (
            "saving_by_retention",
            lost * retention_cost * (acquisition_multiple - 1),
            "replacement_cost − retention_cost_total",
        ),
    ]
    return pd.DataFrame(
        {
            "item": [r[0] for r in rows],
            "item_label": [t(f"retention.{r[0]}", lang) for r in rows],
            "value": [round(float(r[1]), 9) for r in rows],
            "formula": [r[2] for r in rows],
        }
    )
