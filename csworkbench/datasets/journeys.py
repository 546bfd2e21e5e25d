"""Synthetic data for the CRM and customer-experience chapters (客户关系与客户体验的模拟数据).

Two seeded generators, each with its ground truth in ``frame.attrs["truth"]``:

* :func:`make_relationship_log` — a customer register over two years for the three levels
  of a customer relationship (获取新顾客 / 发展并维持顾客关系 / 由原顾客创造新顾客);
* :func:`make_touchpoint_journeys` — an event log of customer journeys: each customer meets
  a sequence of touchpoints before, during and after the purchase (购前 / 购中 / 购后) and
  rates each contact 1–10; one touchpoint is planted as the weak one.

Both are course illustrations, not real data; their truths are stated so a lesson can check
what a student computes.

Examples
--------
>>> log = make_relationship_log(500, random_state=1)
>>> sorted(log.columns)[:3]
['acquired_year', 'active_last_year', 'active_this_year']
>>> journeys = make_touchpoint_journeys(200, random_state=1)
>>> journeys.attrs["truth"]["weak_touchpoint"]
'呼叫中心'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError

__all__ = ["make_relationship_log", "make_touchpoint_journeys", "TOUCHPOINTS"]

#: Touchpoints of a consumer-electronics retailer by stage, in journey order (the CEM
#: chapter's list: advertising, website, sales staff, call centre, after-sales …).
TOUCHPOINTS: dict[str, tuple[str, ...]] = {
    "购前": ("广告", "网站", "门店导购"),
    "购中": ("收银结账", "送货安装"),
    "购后": ("呼叫中心", "售后维修", "关怀短信"),
}


def _rng(random_state: int | np.random.Generator | None) -> np.random.Generator:
    return random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)


def make_relationship_log(
    n: int = 1000,
    *,
    retention: float = 0.7,
    referral_share: float = 0.25,
    new_share: float = 0.35,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """A customer register of a hotel for last year and this year.

    Every customer who was active last year stays active this year with probability
    ``retention``.  This year's new customers make up ``new_share`` of the register; a share
    ``referral_share`` of them came through an existing customer's recommendation
    (``referred_by`` holds that customer's id), the rest were won by the hotel's own
    selling (promotion, sales calls).

    Parameters
    ----------
    n : int
        Number of customers in the register (≥ 20).
    retention, referral_share, new_share : float
        True rates, each in (0, 1).
    random_state : int or Generator
        Seed.

    Returns
    -------
    DataFrame
        ``customer_id`` (text, ``"H0001"``…), ``acquired_year`` (``"去年"``/``"今年"``),
        ``referred_by`` (text id or missing), ``active_last_year``, ``active_this_year``
        (bool), ``revenue_this_year`` (yuan; 0 for customers not active this year).
        ``attrs["truth"]`` holds the three rates.

    Examples
    --------
    >>> log = make_relationship_log(2000, random_state=0)
    >>> kept = log[log["active_last_year"]]["active_this_year"].mean()
    >>> bool(abs(kept - 0.7) < 0.05)
    True
    """
    for name, value in {"retention": retention, "referral_share": referral_share, "new_share": new_share}.items():
        if not 0 < value < 1:
            raise ParameterError(f"{name} must lie strictly between 0 and 1; got {value!r}")
    if n < 20:
        raise ParameterError(f"n must be at least 20 customers; got {n!r}")
    rng = _rng(random_state)
    width = max(4, len(str(n)))
    ids = np.array([f"H{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
    is_new = rng.random(n) < new_share
    old_ids = ids[~is_new]
    referred = is_new & (rng.random(n) < referral_share)
    referred_by = np.full(n, None, dtype=object)
    if len(old_ids):
        referred_by[referred] = rng.choice(old_ids, size=int(referred.sum()))
    active_last = ~is_new
    active_this = np.where(is_new, True, rng.random(n) < retention)
    revenue = np.where(active_this, np.round(rng.gamma(2.0, 1500.0, n), 0), 0.0)
    frame = pd.DataFrame(
        {
            "customer_id": pd.array(ids, dtype="string"),
            "acquired_year": np.where(is_new, "今年", "去年"),
            "referred_by": pd.array(referred_by, dtype="string"),
            "active_last_year": active_last,
            "active_this_year": active_this,
            "revenue_this_year": revenue,
        }
    )
    frame.attrs["truth"] = {"retention": retention, "referral_share": referral_share, "new_share": new_share}
    return frame


def make_touchpoint_journeys(
    n_customers: int = 300,
    *,
    weak_touchpoint: str = "呼叫中心",
    weak_penalty: float = 2.5,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Customer journeys as an event log: one row per contact with a touchpoint.

    Each customer meets, in order, one to three touchpoints of each stage in
    :data:`TOUCHPOINTS` (always at least one per stage) and rates each contact on a 1–10
    scale.  Ratings are drawn around 7.5 with a customer effect; the ``weak_touchpoint``
    is rated ``weak_penalty`` points lower on average.

    Parameters
    ----------
    n_customers : int
        Number of journeys (≥ 10).
    weak_touchpoint : str
        One of the touchpoints in :data:`TOUCHPOINTS`: the planted weak spot.
    weak_penalty : float
        Its mean shortfall in rating points (≥ 0).
    random_state : int or Generator
        Seed.

    Returns
    -------
    DataFrame
        ``customer_id`` (text), ``step`` (1, 2, … within a journey), ``stage``
        (购前/购中/购后), ``touchpoint``, ``score`` (int 1–10).  ``attrs["truth"]`` names
        the weak touchpoint and its penalty.

    Examples
    --------
    >>> j = make_touchpoint_journeys(50, random_state=2)
    >>> bool(j.groupby("customer_id")["stage"].first().eq("购前").all())
    True
    """
    every = [tp for stage in TOUCHPOINTS.values() for tp in stage]
    if weak_touchpoint not in every:
        raise ParameterError(f"weak_touchpoint must be one of {every}; got {weak_touchpoint!r}")
    if n_customers < 10:
        raise ParameterError(f"n_customers must be at least 10; got {n_customers!r}")
    if weak_penalty < 0:
        raise ParameterError(f"weak_penalty must be ≥ 0; got {weak_penalty!r}")
    rng = _rng(random_state)
    rows: list[tuple[str, int, str, str]] = []
    for c in range(1, n_customers + 1):
        step = 0
        for stage, points in TOUCHPOINTS.items():
            k = int(rng.integers(1, len(points) + 1))
            chosen = sorted(rng.choice(len(points), size=k, replace=False))
            for i in chosen:
                step += 1
                rows.append((f"C{c:04d}", step, stage, points[i]))
    frame = pd.DataFrame(rows, columns=["customer_id", "step", "stage", "touchpoint"])
    person = rng.normal(0.0, 0.8, n_customers)[frame["customer_id"].str[1:].astype(int).to_numpy() - 1]
    mean = 7.5 + person - np.where(frame["touchpoint"].to_numpy() == weak_touchpoint, weak_penalty, 0.0)
    frame["score"] = np.clip(np.rint(mean + rng.normal(0.0, 1.0, len(frame))), 1, 10).astype(int)
    frame["customer_id"] = frame["customer_id"].astype("string")
    frame.attrs["truth"] = {"weak_touchpoint": weak_touchpoint, "weak_penalty": weak_penalty}
    return frame
