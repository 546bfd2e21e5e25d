"""Customer strategy (客户策略): value classes, the differentiation and strategy matrices, strategic
customers and the economics of retention.

* :func:`value_classes` — Peppers & Rogers' value classes: most valuable customers (MVC,
  最具价值客户), most growable (MGC, 最具增长潜力客户) and below-zero customers (BZC, 负值客户),
  each with its action (retain, expand, reduce cost to serve, maintain);
* :func:`differentiation_matrix` — the customer differentiation matrix (客户差异矩阵): where a
  customer base stands by how much its customers differ in value and in needs, with the
  block's approach (mass marketing … one-to-one);
* :func:`strategy_matrix` — the customer strategy selection matrix (客户战略选择矩阵, seed 004):
  客户忠诚战略 / 客户扩充战略 / 客户获得战略 / 客户多样化战略;
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
    """The course's customer strategy selection matrix (客户战略选择矩阵, seed 004).

    Customers (existing/new) × products and services (existing/new): 客户忠诚战略 (retain),
    客户扩充战略 (expand), 客户获得战略 (acquire), 客户多样化战略 (diversify; the highest risk).

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


#: The four blocks of the customer differentiation matrix: key → (value differences, needs differences).
_QUADRANTS = {
    "mass_market": ("low", "low"),
    "value_differ": ("high", "low"),
    "needs_differ": ("low", "high"),
    "one_to_one": ("high", "high"),
}
#: Default cut of "customers differ much in value", per measure (assumptions; the seed gives no number).
_VALUE_CUTS = {"cv": 0.5, "gini": 0.25}


@dataclass(frozen=True, eq=False)
class DifferentiationResult:
    """What :func:`differentiation_matrix` returns.

    Attributes
    ----------
    table : DataFrame
        One row per customer base: ``base``, ``customers`` (used), ``n_missing`` (customers left
        out for a missing value or needs score), ``value_mean``, ``value_spread`` (coefficient of
        variation or Gini of value), ``needs_spread`` (standard deviation of the needs score),
        ``value_level``, ``needs_level`` (``high``/``low``; NA where a spread is undefined),
        ``quadrant`` (key), ``approach`` (the block's strategy, label).
    quadrants : DataFrame
        The four blocks: ``quadrant, value_level, needs_level, bases`` (how many bases fall
        there), ``approach``.
    value_measure : str
        ``"cv"`` or ``"gini"``.
    value_cut, needs_cut : float
        The cuts used (a spread on the cut counts as high).
    """

    table: pd.DataFrame
    quadrants: pd.DataFrame
    value_measure: str
    value_cut: float
    needs_cut: float


def differentiation_matrix(
    data: pd.DataFrame,
    *,
    value: str = "current_value",
    needs: str = "needs",
    base: str | None = None,
    value_measure: str = "cv",
    value_cut: float | None = None,
    needs_cut: float = 1.0,
    lang: str = "zh",
) -> DifferentiationResult:
    """Place a customer base in Peppers & Rogers' customer differentiation matrix (客户差异矩阵).

    Peppers & Rogers (2001; seed 001: 针对顾客需求差异程度以及顾客价值差异程度高低将之分成四个区块)
    describe how much a firm's customers **differ from one another** in value and in needs — a
    position of the whole customer base, not a class of single customers.  Per-customer values
    and needs scores are the input; the output places each base:

    * value differences: the coefficient of variation (sd / mean, ``value_measure="cv"``) or the
      Gini coefficient (``"gini"``) of the customers' values;
    * needs differences: the standard deviation of a per-customer needs score (e.g. 1–7 "how
      far this customer's needs are from the typical customer's");
    * blocks and strategies: both small → mass marketing (大众营销); value differs, needs alike
      → differentiate by value (按价值区别对待); needs differ, value alike → customise by needs
      (按需求定制); both differ → one-to-one (一对一营销).

    Parameters
    ----------
    data : DataFrame
        One row per customer: value and needs columns (and ``base`` when several bases).
    value, needs : str
        Column names.
    base : str, optional
        Column naming the customer base (firm, business unit, segment) of each row; None: the
        rows are one base.
    value_measure : {"cv", "gini"}
        How value differences are measured.  CV needs a positive mean; Gini non-negative values
        (NaN, hence no block, otherwise).
    value_cut : float, optional
        Spread of value from which it counts as "differs much"; default 0.5 for CV, 0.25 for
        Gini (about the Gini of a log-normal with CV 0.5).  An assumption: state your own.
    needs_cut : float, default 1.0
        Standard deviation of the needs score from which needs "differ much" (an assumption
        for a 1–7 score).
    lang : {"zh", "en"}

    Returns
    -------
    DifferentiationResult
        ``table`` (one row per base), ``quadrants`` (the four blocks), ``value_measure``,
        ``value_cut``, ``needs_cut``.

    Raises
    ------
    DataError
        A column is missing.
    ParameterError
        An unknown ``value_measure`` or a negative or non-finite cut.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"firm": ["water"] * 4 + ["software"] * 4,
    ...                   "current_value": [100.0, 110, 90, 100, 10, 500, 50, 2000],
    ...                   "needs": [4, 4, 5, 4, 1, 7, 2, 6]})
    >>> res = differentiation_matrix(d, base="firm", lang="en")
    >>> res.table[["base", "value_spread", "needs_spread", "quadrant"]].round(2)
           base  value_spread  needs_spread     quadrant
    0     water          0.08          0.50  mass_market
    1  software          1.46          2.94   one_to_one
    """
    check_language(lang)
    if value_measure not in _VALUE_CUTS:
        raise ParameterError(f"value_measure must be one of {sorted(_VALUE_CUTS)}; got {value_measure!r}")
    vc = _VALUE_CUTS[value_measure] if value_cut is None else float(value_cut)
    nc = float(needs_cut)
    for name, cut in (("value_cut", vc), ("needs_cut", nc)):
        if not np.isfinite(cut) or cut < 0:
            raise ParameterError(f"{name} must be a number >= 0; got {cut!r}")
    for col in (value, needs) + ((base,) if base is not None else ()):
        if col not in data.columns:
            raise DataError(f"no column {col!r}; expected one row per customer with value and needs", column=col)
    frame = pd.DataFrame(
        {
            "base": data[base].to_numpy() if base is not None else t("diffmatrix.all", lang),
            "value": pd.to_numeric(data[value], errors="coerce").astype(float).to_numpy(),
            "needs": pd.to_numeric(data[needs], errors="coerce").astype(float).to_numpy(),
        }
    )
    rows = [_place_base(key, grp, value_measure, vc, nc) for key, grp in frame.groupby("base", sort=False)]
    out = pd.DataFrame(
        rows,
        columns=["base", "customers", "n_missing", "value_mean", "value_spread", "needs_spread", "quadrant"],
    )
    levels = out["quadrant"].map(lambda q: _QUADRANTS.get(q, (pd.NA, pd.NA)))
    out.insert(6, "value_level", levels.map(lambda x: x[0]).astype("string"))
    out.insert(7, "needs_level", levels.map(lambda x: x[1]).astype("string"))
    out["quadrant"] = out["quadrant"].astype("string")
    out["approach"] = out["quadrant"].map(lambda q: t(f"diffmatrix.{q}", lang) if isinstance(q, str) else pd.NA)
    missing = int(out["n_missing"].sum())
    if missing:
        warnings.warn(
            f"differentiation_matrix: {missing} customer(s) without a value or a needs score left out "
            "(counted per base in n_missing)",
            DataWarning,
            stacklevel=2,
        )
    quads = pd.DataFrame(
        {
            "quadrant": list(_QUADRANTS),
            "value_level": [v for v, _ in _QUADRANTS.values()],
            "needs_level": [n for _, n in _QUADRANTS.values()],
        }
    )
    quads["bases"] = quads["quadrant"].map(out["quadrant"].value_counts()).fillna(0).astype("int64")
    quads["approach"] = [t(f"diffmatrix.{k}", lang) for k in _QUADRANTS]
    return DifferentiationResult(out, quads, value_measure, vc, nc)


def _place_base(key: object, grp: pd.DataFrame, measure: str, value_cut: float, needs_cut: float) -> tuple:
    """``(base, customers, n_missing, value_mean, value_spread, needs_spread, quadrant)`` of one base."""
    ok = grp.dropna(subset=["value", "needs"])
    v, nd = ok["value"].to_numpy(), ok["needs"].to_numpy()
    mean = float(v.mean()) if len(v) else np.nan
    spread = np.nan
    if len(v) >= 2 and measure == "cv" and mean > 0:
        spread = float(v.std(ddof=1) / mean)
    elif len(v) >= 2 and measure == "gini" and (v >= 0).all() and v.sum() > 0:
        srt = np.sort(v)
        n = len(srt)
        spread = float(2 * np.sum(np.arange(1, n + 1) * srt) / (n * srt.sum()) - (n + 1) / n)
    needs_spread = float(nd.std(ddof=1)) if len(nd) >= 2 else np.nan
    quadrant = None
    if np.isfinite(spread) and np.isfinite(needs_spread):
        quadrant = {
            (False, False): "mass_market",
            (True, False): "value_differ",
            (False, True): "needs_differ",
            (True, True): "one_to_one",
        }[(spread >= value_cut, needs_spread >= needs_cut)]
    return key, len(ok), len(grp) - len(ok), mean, spread, needs_spread, quadrant


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
    costs ≈ 3 × keeping one; one unhappy customer passes the complaint on to 11 people who pass
    it on to 5 more each, so 67 people (1 + 11 + 55, the customer included) speak ill of the firm
    (seed 001: 于是就有67(1十11+55)个人在说你企业的坏话); 95 % of unhappy customers never
    complain but tell 10 others (seed 001: 他会跟10个其他人诉说你的不是).

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
        ``unhappy_customers``, ``silent_unhappy``, ``people_speaking_ill`` (说企业坏话的人数:
        complainers × 67 + silent × silent_tell), ``customers_lost``, ``value_at_risk``, ``replacement_cost``,
        ``retention_cost_total``, ``saving_by_retention``.

    Examples
    --------
    >>> r = retention_economics(10, lang="en").set_index("item")["value"]
    >>> r[["people_per_unhappy", "unhappy_customers", "people_speaking_ill"]].tolist()
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
    speaking_ill = complaints * per + silent * silent_tell
    lost = unhappy * churn_share
    rows = [
        ("people_per_unhappy", per, f"1 + {first_ring} + {first_ring}×{second_ring}"),
        ("unhappy_customers", unhappy, f"complaints / (1 − {silent_share:g})"),
        ("silent_unhappy", silent, "unhappy − complaints"),
        ("people_speaking_ill", speaking_ill, f"complaints × {per} + silent × {silent_tell}"),
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
