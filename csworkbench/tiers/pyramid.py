"""The customer pyramid (客户层级模型): 超重量级 / 重量级 / 次重量级 / 轻量级 and the table under it.

Customers ranked by value (revenue, margin or CLV) fall into four tiers — by default the top
1 %, the next 4 %, the next 15 % and the remaining 80 % — or by value thresholds; customers
worth nothing or less get their own tier under the pyramid.  :func:`customer_pyramid` assigns
the tiers (ties never split), :func:`tier_summary` counts customers and value per tier.

Reference: Zeithaml, Rust & Lemon (2001), "The customer pyramid: creating and serving
profitable customers", *California Management Review* 43(4), 118–142.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.tiers import customer_pyramid, tier_summary
>>> pyr = customer_pyramid(pd.Series([100.0, 50, 50, 10]), cuts=(0.25, 0.25, 0.25, 0.25), lang="en")
>>> tier_summary(pyr, lang="en")[["tier", "customers", "value_share"]]
          tier  customers  value_share
0  super_heavy          1     0.476190
1        heavy          2     0.476190
2        light          1     0.047619
3        total          4     1.000000
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ..i18n import check_language, t
from ..problems import Problems
from ._base import PYRAMID_TIERS, frame_of, tier_by_share, tier_label, tier_order, values_of

__all__ = ["PYRAMID_TIERS", "TierResult", "customer_pyramid", "tier_summary"]


@dataclass(frozen=True, eq=False)
class TierResult:
    """What :func:`customer_pyramid` and :func:`~csworkbench.tiers.abc_tiers` return.

    Attributes
    ----------
    table : DataFrame
        One row per customer, sorted by value descending: ``customer_id, value, rank, …,
        tier, tier_label`` (see the function).
    problems : DataFrame
        Customers without a tier (a missing value), after the problems of the
        :class:`~csworkbench.tiers.CustomerValueResult` the values came from (columns
        :data:`csworkbench.codes.PROBLEM_COLUMNS`).
    cuts : tuple of float or None
        The customer shares per tier from the top (None when ``thresholds`` were used).
    thresholds : tuple of float or None
        The value thresholds, when given instead of shares.
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    cuts: tuple[float, ...] | None = None
    thresholds: tuple[float, ...] | None = None


def _check_cuts(cuts: Sequence[float], thresholds: Sequence[float] | None) -> np.ndarray:
    if thresholds is not None:
        th = np.asarray(thresholds, dtype=float)
        if th.shape != (3,) or np.any(np.diff(th) > 0):
            raise ParameterError(
                f"thresholds must be three descending values (super-heavy, heavy, sub-heavy); got {list(thresholds)}"
            )
        return th
    c = np.asarray(cuts, dtype=float)
    if c.shape != (4,) or np.any(c < 0) or not math.isclose(c.sum(), 1.0, abs_tol=1e-9):
        raise ParameterError(
            f"cuts must be four customer shares from the top summing to 1 "
            f"(e.g. 0.01, 0.04, 0.15, 0.80); got {list(cuts)} (sum {c.sum():.4g})"
        )
    return c


def _assign(frame: pd.DataFrame, ranked: np.ndarray, limits: np.ndarray, by_threshold: bool) -> np.ndarray:
    """Tier keys of the ranked customers; sets ``frame["top_share"]``."""
    tier = np.full(len(frame), None, dtype=object)
    v = frame["value"].to_numpy()[ranked]
    frame["top_share"] = np.nan
    if not len(v):
        return tier
    if by_threshold:
        idx = np.select([v >= limits[0], v >= limits[1], v >= limits[2]], [0, 1, 2], 3)
    else:
        idx = tier_by_share(v, np.cumsum(limits)[:-1])
    tier[ranked] = np.asarray(PYRAMID_TIERS, dtype=object)[idx]
    sub_rank = pd.Series(v).rank(ascending=False, method="min").to_numpy() - 1
    frame.loc[ranked, "top_share"] = sub_rank / len(v)
    return tier


def customer_pyramid(
    values: Any,
    *,
    cuts: Sequence[float] = (0.01, 0.04, 0.15, 0.80),
    thresholds: Sequence[float] | None = None,
    value: str | None = None,
    nonpositive: str = "separate",
    lang: str = "zh",
) -> TierResult:
    """The customer pyramid (客户层级模型): 超重量级 / 重量级 / 次重量级 / 轻量级.

    Parameters
    ----------
    values : Series, DataFrame or CustomerValueResult
        Value per customer (revenue, margin or CLV): a Series indexed by customer id, a frame
        with ``customer_id`` and the ``value`` column, or the result of :func:`customer_value`.
    cuts : four floats
        Shares of (positive-value) customers in each tier from the top; must sum to 1.
        Default 1 % / 4 % / 15 % / 80 %.
    thresholds : three floats, optional
        Value thresholds instead of shares, descending: value ≥ t1 super-heavy, ≥ t2 heavy,
        ≥ t3 sub-heavy, else light.
    value : str, optional
        Value column of a frame (default: the first of value, clv, revenue, margin).
    nonpositive : {"separate", "light", "error"}
        Customers with value ≤ 0: ``"separate"`` gives them their own tier ``nonpositive``
        (零或负价值) under the pyramid, ``"light"`` puts them into the lightweight tier,
        ``"error"`` raises.
    lang : {"zh", "en"}
        Language of ``tier_label``.

    Returns
    -------
    TierResult
        ``table`` sorted by value descending: ``customer_id``, ``value``, ``rank`` (1 = highest,
        ties share the smallest rank), ``top_share`` (share of ranked customers strictly above),
        ``tier`` (key), ``tier_label``. Customers with a missing value get tier NA and are
        listed in ``problems`` (action "no tier", with a :class:`~csworkbench.errors.DataWarning`).

    Notes
    -----
    Ties never split: with share cuts, a group of equal values goes entirely to the tier in
    which its highest-ranked member falls (ranks with ``method="min"``), so an upper tier may
    hold a little more than its share. With thresholds, equal values get equal tiers anyway.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.Series([100.0, 50, 50, 10, 0], index=list("abcde"))
    >>> customer_pyramid(v, cuts=(0.25, 0.25, 0.25, 0.25), lang="en").table[["customer_id", "tier"]]
      customer_id         tier
    0           a  super_heavy
    1           b        heavy
    2           c        heavy
    3           d        light
    4           e  nonpositive
    """
    check_language(lang)
    if nonpositive not in ("separate", "light", "error"):
        raise ParameterError(f"nonpositive must be 'separate', 'light' or 'error'; got {nonpositive!r}")
    limits = _check_cuts(cuts, thresholds)
    series = values_of(values, value)
    if (series.fillna(0) == 0).all() and series.notna().any():
        raise DataError("every customer's value is zero: a pyramid needs some positive values")
    missing = series.isna()
    problems = Problems()
    upstream = getattr(values, "problems", None)
    if isinstance(upstream, pd.DataFrame):  # a CustomerValueResult: its rows and customers stay listed
        problems.extend(upstream)
    problems.add(
        "missing_value",
        rows=[None] * int(missing.sum()),
        column=str(series.name),
        values=[str(c) for c in series.index[missing]],
        action="no_tier",
    )
    frame = pd.DataFrame({"customer_id": series.index.to_numpy(), "value": series.to_numpy()})
    frame["rank"] = frame["value"].rank(ascending=False, method="min").astype("Int64")
    nonpos = (frame["value"] <= 0).to_numpy()
    if nonpos.any() and nonpositive == "error":
        first = frame.loc[nonpos, "customer_id"].iloc[0]
        raise DataError(
            f"{int(nonpos.sum())} customer(s) with value <= 0 (e.g. {first!r}); use nonpositive='separate' or 'light'",
            column=str(series.name),
        )
    ranked = ~missing.to_numpy() & (~nonpos if nonpositive == "separate" else np.ones(len(frame), bool))
    tier = _assign(frame, ranked, limits, thresholds is not None)
    if nonpositive == "separate":
        tier[nonpos] = "nonpositive"
    frame["tier"] = pd.Series(tier, dtype="string")
    frame["tier_label"] = frame["tier"].map(lambda k: t(f"tier.{k}", lang) if isinstance(k, str) else pd.NA)
    frame = frame.sort_values(
        ["value", "customer_id"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)
    if missing.any():
        warnings.warn(
            f"customer_pyramid: {int(missing.sum())} customer(s) with a missing value get no tier",
            DataWarning,
            stacklevel=2,
        )
    return TierResult(
        frame,
        problems.frame(),
        None if thresholds is not None else tuple(float(x) for x in cuts),
        None if thresholds is None else tuple(float(x) for x in thresholds),
    )


def tier_summary(tiers: Any, *, value: str = "value", tier: str = "tier", lang: str = "zh") -> pd.DataFrame:
    """Customers and value per tier: the table under the pyramid (层级汇总).

    Parameters
    ----------
    tiers : TierResult or DataFrame
        Result of :func:`customer_pyramid` or :func:`~csworkbench.tiers.abc_tiers` (or a frame
        with the columns ``tier`` and ``value``).
    value, tier : str
        Column names.
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        One row per tier, top first, plus a ``total`` row: ``tier``, ``tier_label``,
        ``customers``, ``customer_share``, ``value`` (sum), ``value_share``, ``mean_value``,
        ``min_value``, ``max_value``. Shares are of all customers with a tier / of the total value.

    Examples
    --------
    >>> import pandas as pd
    >>> p = customer_pyramid(pd.Series([100.0, 50, 50, 10]), cuts=(0.5, 0.5, 0, 0), lang="en")
    >>> tier_summary(p, lang="en")[["tier", "customers"]].values.tolist()
    [['super_heavy', 3], ['heavy', 1], ['total', 4]]
    """
    check_language(lang)
    tiers = frame_of(tiers, "the result of customer_pyramid or abc_tiers")
    for col in (value, tier):
        if col not in tiers.columns:
            raise DataError(f"no column {col!r}; expected the output of customer_pyramid/abc_tiers", column=col)
    data = tiers[tiers[tier].notna()]
    g = data.groupby(tier, observed=True)[value]
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "value": g.sum(min_count=1),
            "mean_value": g.mean(),
            "min_value": g.min(),
            "max_value": g.max(),
        }
    ).reindex(tier_order(data[tier]))
    out.index.name = "tier"
    out = out.reset_index()
    total_value = data[value].sum()
    out.loc[len(out)] = {
        "tier": "total",
        "customers": len(data),
        "value": total_value,
        "mean_value": data[value].mean(),
        "min_value": data[value].min(),
        "max_value": data[value].max(),
    }
    out["customers"] = out["customers"].astype("int64")
    out.insert(2, "customer_share", out["customers"] / len(data))
    out.insert(4, "value_share", out["value"] / total_value if total_value else np.nan)
    out.insert(1, "tier_label", [tier_label(k, lang) for k in out["tier"]])
    out["tier"] = out["tier"].astype("string")
    return out
