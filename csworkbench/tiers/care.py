"""Customer care by tier (客户关怀): the care plan per customer and the budget per tier.

The course's care programme for ABC tiers: key customers (A) a yearly trip, a birthday gift
and quarterly visits; important customers (B) holiday gifts and a birthday card; ordinary
customers (C) holiday and birthday messages — within a yearly gift cap of 500 yuan per key
customer and 100 per ordinary customer.  :func:`care_plan` costs the programme per customer
and cuts it to the cap; :func:`care_budget` adds it up per tier.

Reference: COURSE.md §3 (客户关怀计划); Peppers & Rogers (2004), *Managing Customer
Relationships*, ch. 7 (differentiating customers by value).

Examples
--------
>>> import pandas as pd
>>> from csworkbench.tiers import care_budget, care_plan
>>> plan = care_plan(pd.DataFrame({"customer_id": list("abc"), "tier": ["A", "C", "C"]}), lang="en")
>>> care_budget(plan, lang="en")[["tier", "customers", "budget"]]
    tier  customers  budget
0      A          1   460.0
1      C          2    10.0
2  total          3   470.0
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ..i18n import TranslationError, check_language, t
from ._base import frame_of, tier_label, tier_order

__all__ = ["CARE_PROGRAMME", "CARE_CAPS", "care_plan", "care_budget"]

#: The course's care programme (客户关怀计划), per ABC tier: activity key, times per year,
#: unit cost in yuan and, optionally, whether the activity counts against the gift cap (default
#: True). The unit costs are assumptions to adapt; the caps are the course's: *daily* gifts at
#: most 500 yuan per key customer and 100 per ordinary customer — the key customers' yearly
#: (in-province) trip is budgeted separately, outside the cap. Quarterly visits cost staff time,
#: not gift budget (unit cost 0).
CARE_PROGRAMME: dict[str, list[tuple]] = {
    "A": [("trip", 1, 380.0, False), ("birthday_gift", 1, 80.0), ("quarterly_visit", 4, 0.0)],
    "B": [("holiday_gift", 3, 25.0), ("birthday_card", 1, 10.0)],
    "C": [("holiday_message", 4, 1.0), ("birthday_message", 1, 1.0)],
}

#: Yearly care budget cap per customer (yuan): the course's 500 per key customer and 100 per
#: ordinary customer.
CARE_CAPS: dict[str, float] = {"A": 500.0, "B": 100.0, "C": 100.0}


def care_plan(
    tiers: Any,
    *,
    budget_caps: Mapping[str, float] | None = None,
    programme: Mapping[str, Sequence[tuple]] | None = None,
    tier: str = "tier",
    lang: str = "zh",
) -> pd.DataFrame:
    """The care plan per customer (客户关怀计划): activities, contacts a year, cost within the cap.

    Parameters
    ----------
    tiers : TierResult or DataFrame
        One row per customer with ``customer_id`` and a tier column (the result of
        :func:`~csworkbench.tiers.abc_tiers`).
    budget_caps : mapping tier → yuan, optional
        Yearly cap per customer; default :data:`CARE_CAPS` (A 500, B 100, C 100).
    programme : mapping tier → [(activity, times per year, unit cost[, capped])], optional
        Default :data:`CARE_PROGRAMME` (A yearly trip outside the cap, birthday gift, quarterly
        visits; B holiday gifts and a birthday card; C holiday and birthday messages).  An
        activity is a course key (``trip``, ``holiday_gift`` …, labelled in ``lang``) or the
        user's own name (shown as written); ``capped=False`` budgets it outside the gift cap.
    tier : str
        Tier column.
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        ``customer_id, tier, activities`` (labels joined by "、"/", "), ``contacts_per_year``,
        ``planned_cost`` (Σ times × unit cost), ``cap``, ``uncapped_cost`` (activities outside
        the cap), ``budget`` (min(capped part, cap) + uncapped part), ``capped`` (the capped
        part exceeded the cap; a :class:`~csworkbench.errors.DataWarning` says so).
        :func:`care_budget` gives the totals per tier.

    Examples
    --------
    >>> import pandas as pd
    >>> tiers = pd.DataFrame({"customer_id": ["a", "b", "c"], "tier": ["A", "B", "C"]})
    >>> plan = care_plan(tiers, lang="en")
    >>> plan[["tier", "contacts_per_year", "budget"]]
      tier  contacts_per_year  budget
    0    A                  6   460.0
    1    B                  4    85.0
    2    C                  5     5.0
    """
    check_language(lang)
    tiers = frame_of(tiers, "one row per customer with a tier")
    caps = dict(CARE_CAPS if budget_caps is None else budget_caps)
    prog = dict(CARE_PROGRAMME if programme is None else programme)
    for key, cap in caps.items():
        if not (np.isfinite(cap) and cap >= 0):
            raise ParameterError(f"budget cap of tier {key!r} must be a number >= 0; got {cap!r}")
    for col in ("customer_id", tier):
        if col not in tiers.columns:
            raise DataError(f"no column {col!r}; expected one row per customer with a tier", column=col)
    for key in sorted(set(tiers[tier].dropna().unique())):
        if key not in prog:
            raise DataError(f"tier {key!r} has no care programme; programme covers {sorted(prog)}", column=tier)
        if key not in caps:
            raise DataError(f"tier {key!r} has no budget cap; budget_caps covers {sorted(caps)}", column=tier)
    sep = "、" if lang == "zh" else ", "
    rows = {k: [_activity(item, k) for item in prog[k]] for k in prog}
    per_tier = pd.DataFrame(
        {
            tier: list(prog),
            "activities": [sep.join(_label(a, lang) for a, _, _, _ in rows[k]) for k in prog],
            "contacts_per_year": [int(sum(n for _, n, _, _ in rows[k])) for k in prog],
            "planned_cost": [float(sum(n * c for _, n, c, _ in rows[k])) for k in prog],
            "capped_part": [float(sum(n * c for _, n, c, cap in rows[k] if cap)) for k in prog],
            "cap": [float(caps.get(k, np.nan)) for k in prog],
        }
    )
    out = tiers[["customer_id", tier]].merge(per_tier, on=tier, how="left")
    out["uncapped_cost"] = out["planned_cost"] - out["capped_part"]
    out["budget"] = np.minimum(out["capped_part"], out["cap"]) + out["uncapped_cost"]
    out["capped"] = out["capped_part"] > out["cap"]
    out = out.drop(columns="capped_part")
    if out["capped"].any():
        warnings.warn(
            "care_plan: planned care cost exceeds the cap in tier(s) "
            f"{sorted(out.loc[out['capped'], tier].unique())}; budget cut to the cap",
            DataWarning,
            stacklevel=2,
        )
    return out.rename(columns={tier: "tier"})


def _activity(item: Any, tier: str) -> tuple[str, int, float, bool]:
    """``(activity, times, unit cost[, capped])`` checked; ``capped`` defaults to True."""
    if not isinstance(item, (tuple, list)) or len(item) not in (3, 4):
        raise ParameterError(
            f"care programme of tier {tier!r}: each activity must be (name, times per year, unit cost[, capped]); got {item!r}"
        )
    name, times, cost = item[0], item[1], item[2]
    capped = bool(item[3]) if len(item) == 4 else True
    if not (isinstance(times, (int, np.integer)) and times >= 0 and np.isfinite(cost) and cost >= 0):
        raise ParameterError(
            f"care programme of tier {tier!r}: activity {name!r} needs times ≥ 0 (whole number) and a unit cost ≥ 0; got {times!r}, {cost!r}"
        )
    return str(name), int(times), float(cost), capped


def _label(activity: str, lang: str) -> str:
    """The course's activity keys are labelled in ``lang``; the user's own names are shown as written."""
    try:
        return t(f"care.{activity}", lang)
    except TranslationError:
        return activity


def care_budget(plan: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """Care budget per tier and in total from :func:`care_plan` (关怀预算).

    Returns
    -------
    DataFrame
        ``tier, tier_label, customers, activities, contacts_per_year, budget_per_customer,
        budget`` with a ``total`` row.

    Examples
    --------
    >>> import pandas as pd
    >>> plan = care_plan(pd.DataFrame({"customer_id": list("ab"), "tier": ["B", "C"]}), lang="en")
    >>> care_budget(plan, lang="en")["budget"].tolist()
    [85.0, 5.0, 90.0]
    """
    check_language(lang)
    g = plan.groupby("tier", observed=True)
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "activities": g["activities"].first(),
            "contacts_per_year": g["contacts_per_year"].first(),
            "budget_per_customer": g["budget"].first(),
            "budget": g["budget"].sum(),
        }
    )
    out = out.reindex(tier_order(plan["tier"])).reset_index()
    out.loc[len(out)] = {
        "tier": "total",
        "customers": int(out["customers"].sum()),
        "activities": "",
        "contacts_per_year": np.nan,
        "budget_per_customer": np.nan,
        "budget": out["budget"].sum(),
    }
    out["customers"] = out["customers"].astype("int64")
    out.insert(1, "tier_label", [tier_label(k, lang) for k in out["tier"]])
    return out
