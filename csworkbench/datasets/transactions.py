"""Synthetic transaction logs and bank customers with a known truth (合成交易数据与银行客户数据).

Two generators for the CRM half of the course (COURSE.md §3, 客户层级与客户价值):

* :func:`make_transactions` draws a purchase log from the BG/NBD + Gamma-Gamma process
  (Fader, Hardie & Lee 2005, "Counting your customers the easy way", *Marketing Science*
  24(2); Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves", *JMR* 42(4)) with
  parameters you choose, so that :class:`csworkbench.clv.BetaGeoModel` and
  :class:`csworkbench.clv.GammaGammaModel` can be checked to recover them.
* :func:`make_bank_customers` draws the course's bank experiment (银行决策树实验): customers
  randomised into an experiment group (offer made) and a control group, with response
  effects planted in known segments (age < 40, owns a car, salary > 30,000 …), so that
  :func:`csworkbench.tiers.uplift_tree` can be checked to find them.

The truth
---------
``make_transactions`` (time unit: weeks)

* purchase rate while alive ``λ ~ Gamma(shape=r, rate=alpha)`` per customer;
* dropout probability ``p ~ Beta(a, b)``; the customer may drop out right after each
  *repeat* purchase (never at the first purchase, as in BG/NBD);
* while alive, repeat purchases follow a Poisson process with rate ``λ``;
* spend per transaction ``z ~ Gamma(shape=p_spend, rate=ν)`` with ``ν ~ Gamma(shape=q,
  rate=gamma)`` per customer (Gamma-Gamma), so a customer's mean spend is ``p_spend·gamma/(q−1)``
  on average across customers;
* first purchases are spread uniformly over the first ``cohort_days`` days from ``start``;
  the log runs to ``start + duration_days - 1`` inclusive.

Purchase times are turned into days: the first purchase happens at a uniform time within
its day and a repeat purchase ``t`` days later falls on day ``floor(u0 + t)``, which is
unbiased for ``t``. The BG/NBD summary counts all purchases of one day once (the
literature's convention), so a purchase that would fall on a day the customer already bought
is moved to the next free day (about 1 % of the repeat purchases with the CDNOW parameters,
all from heavy buyers); this keeps the number of transactions of the continuous-time
process. Purchases pushed past the end of the log are dropped (very rare). The per-customer
truth (``return_truth=True``) gives the number of repeat purchases in the log.

``make_bank_customers``: see its docstring; the response probability is
``base + uplift`` in the treated group and ``base`` in the control group, with the uplift
planted in documented segments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError

__all__ = ["make_transactions", "make_bank_customers", "CDNOW_TRUTH", "BANK_UPLIFT_SEGMENTS"]

#: BG/NBD and Gamma-Gamma parameters published for the CDNOW sample (weeks, dollars):
#: Fader, Hardie & Lee (2005a, 2005b). Default truth of :func:`make_transactions`.
CDNOW_TRUTH: dict[str, float] = {
    "r": 0.2426,
    "alpha": 4.414,
    "a": 0.793,
    "b": 2.426,
    "p": 6.25,
    "q": 3.74,
    "gamma": 15.44,
}


def _check_positive(name: str, value: float) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise DataError(f"parameter {name} must be a positive number; got {value!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise DataError(f"parameter {name} must be a positive number; got {value!r}")
    return value


def make_transactions(
    n_customers: int = 1000,
    *,
    r: float = CDNOW_TRUTH["r"],
    alpha: float = CDNOW_TRUTH["alpha"],
    a: float = CDNOW_TRUTH["a"],
    b: float = CDNOW_TRUTH["b"],
    p: float = CDNOW_TRUTH["p"],
    q: float = CDNOW_TRUTH["q"],
    gamma: float = CDNOW_TRUTH["gamma"],
    start: str | pd.Timestamp = "2024-01-01",
    cohort_days: int = 84,
    duration_days: int = 546,
    quantity: bool = True,
    return_truth: bool = False,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Draw a transaction log from a BG/NBD + Gamma-Gamma process with known parameters.

    Parameters
    ----------
    n_customers : int
        Number of customers (each makes a first purchase inside the cohort window).
    r, alpha : float
        Gamma heterogeneity of the weekly purchase rate λ (shape ``r``, rate ``alpha``).
    a, b : float
        Beta heterogeneity of the dropout probability.
    p, q, gamma : float
        Gamma-Gamma spend: ``z ~ Gamma(p, ν)``, ``ν ~ Gamma(q, gamma)`` (``q > 1`` for a
        finite mean spend).
    start : date-like
        Date of the first day of the log.
    cohort_days : int
        First purchases are uniform over days ``0 … cohort_days-1`` (CDNOW: first quarter).
    duration_days : int
        Length of the log in days (CDNOW: 1997-01-01 … 1998-06-30 = 546 days).
    quantity : bool
        Add a ``quantity`` column (1 + Poisson(amount / 15); not part of the truth).
    return_truth : bool
        Also return the per-customer truth frame.
    random_state : int or Generator
        Seed; the same seed gives the same log.

    Returns
    -------
    DataFrame or (DataFrame, DataFrame)
        Transactions sorted by customer and date: ``customer_id`` (string ``"C0000001"`` …),
        ``date`` (datetime64, whole days), ``quantity`` (int, if asked), ``amount`` (float, 2
        decimals, > 0). ``attrs["truth"]`` holds the parameters. With ``return_truth`` the
        second frame has one row per customer: ``customer_id, first_purchase, lam, p_drop,
        nu, n_repeat, dropped_out, mean_spend`` (``mean_spend = p/ν`` is the customer's
        expected spend per transaction).

    Examples
    --------
    >>> tx = make_transactions(200, random_state=1)
    >>> list(tx.columns)
    ['customer_id', 'date', 'quantity', 'amount']
    >>> tx["customer_id"].nunique()
    200
    >>> tx.attrs["truth"]["r"]
    0.2426
    """
    params = _checked_params(
        n_customers, dict(r=r, alpha=alpha, a=a, b=b, p=p, q=q, gamma=gamma), cohort_days, duration_days
    )
    rng = np.random.default_rng(random_state)
    n = int(n_customers)
    start = pd.Timestamp(start).normalize()

    lam = rng.gamma(params["r"], 1.0 / params["alpha"], size=n)  # per week
    p_drop = rng.beta(params["a"], params["b"], size=n)
    nu = rng.gamma(params["q"], 1.0 / params["gamma"], size=n)
    first_day = rng.integers(0, int(cohort_days), size=n)
    owner, rep_day, k_max = _repeat_purchase_days(rng, lam, p_drop, first_day, int(duration_days))
    n_rep = np.bincount(owner, minlength=n)

    ids = _customer_ids(n)
    frame = _purchase_log(rng, ids, params["p"], nu, first_day, owner, rep_day, start, quantity)
    frame.attrs["truth"] = params | {
        "start": str(start.date()),
        "cohort_days": int(cohort_days),
        "duration_days": int(duration_days),
    }
    if not return_truth:
        return frame
    truth = pd.DataFrame(
        {
            "customer_id": ids.astype("string"),
            "first_purchase": start + pd.to_timedelta(first_day, unit="D"),
            "lam": lam,
            "p_drop": p_drop,
            "nu": nu,
            "n_repeat": n_rep,
            "dropped_out": n_rep == k_max,
            "mean_spend": params["p"] / nu,
        }
    )
    return frame, truth


def _checked_params(
    n_customers: int, params: dict[str, float], cohort_days: int, duration_days: int
) -> dict[str, float]:
    """Check the arguments of :func:`make_transactions`; the process parameters as floats."""
    if isinstance(n_customers, bool) or not isinstance(n_customers, (int, np.integer)) or n_customers < 1:
        raise DataError(f"n_customers must be a positive integer; got {n_customers!r}")
    checked = {k: _check_positive(k, v) for k, v in params.items()}
    if int(cohort_days) < 1 or int(duration_days) < int(cohort_days):
        raise DataError(
            f"need 1 <= cohort_days <= duration_days; got cohort_days={cohort_days}, duration_days={duration_days}"
        )
    return checked


def _repeat_purchase_days(
    rng: np.random.Generator, lam: np.ndarray, p_drop: np.ndarray, first_day: np.ndarray, duration_days: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Repeat purchases in the log: their customer, their day, and each customer's repeats before dropout."""
    n = lam.size
    # the first purchase happens at a uniform time u0 within its day; a repeat at continuous
    # time t (days) after it falls on day first_day + floor(u0 + t), so the day offset is
    # unbiased for t (E floor(u0 + t) = t); the window ends with the last day of the log
    u0 = rng.random(n)
    window = (duration_days - first_day - u0) / 7.0
    # K: repeat purchases before dropout (dropout after each repeat purchase with prob p)
    k_max = rng.geometric(np.clip(p_drop, 1e-12, 1.0))
    # M: Poisson events in the window; observed repeats are the first min(K, M)
    m_events = rng.poisson(lam * window)
    n_rep = np.minimum(k_max, m_events)
    rep_weeks = _first_order_statistics(rng, n_rep, m_events) * np.repeat(window, n_rep)
    d = np.floor(np.repeat(u0, n_rep) + rep_weeks * 7.0).astype(np.int64)  # day offset from the first purchase
    # two purchases of one customer never share a day: e_k = max(d_k, e_(k-1) + 1), i.e.
    # e_k = k + cummax_j<=k (d_j - j) within the customer (k = 1, 2, …); purchases pushed past
    # the end of the log are dropped (rare: only heavy buyers in the last days)
    total = int(n_rep.sum())
    owner = np.repeat(np.arange(n), n_rep)
    offsets = np.concatenate([[0], np.cumsum(n_rep)[:-1]])
    k = np.arange(1, total + 1) - np.repeat(offsets, n_rep)
    shifted = pd.Series(d - k).groupby(owner).cummax().to_numpy() if total else d
    rep_day = np.repeat(first_day, n_rep) + k + np.maximum(shifted, 0)
    inside = rep_day <= duration_days - 1
    return owner[inside], rep_day[inside], k_max


def _first_order_statistics(rng: np.random.Generator, n_rep: np.ndarray, m_events: np.ndarray) -> np.ndarray:
    """Per customer, the first ``n_rep`` of ``m_events`` sorted uniforms on (0, 1), concatenated."""
    n = n_rep.size
    # first n of M sorted uniforms on the window: U_(j) = S_j / S_(M+1), S = cumsum of Exp(1)
    total = int(n_rep.sum())
    e = rng.exponential(size=total)
    csum = np.cumsum(e)
    offsets = np.concatenate([[0], np.cumsum(n_rep)[:-1]])
    base = np.concatenate([[0.0], csum])[offsets]  # cumulative sum before each customer's block
    s = csum - np.repeat(base, n_rep)
    s_n = np.zeros(n)
    has = n_rep > 0
    s_n[has] = s[np.cumsum(n_rep)[has] - 1]
    tail = np.zeros(n)
    shape = (m_events - n_rep + 1).astype(float)
    tail[has] = rng.gamma(shape[has], 1.0)
    return s / np.repeat(s_n + tail, n_rep)


def _customer_ids(n: int) -> pd.Series:
    """Customer ids ``C0000001`` … (zero-padded to at least 7 digits)."""
    width = max(7, len(str(n)))
    return pd.Series(np.char.add("C", np.char.zfill(np.arange(1, n + 1).astype(str), width)))


def _purchase_log(
    rng: np.random.Generator,
    ids: pd.Series,
    p_spend: float,
    nu: np.ndarray,
    first_day: np.ndarray,
    owner: np.ndarray,
    rep_day: np.ndarray,
    start: pd.Timestamp,
    quantity: bool,
) -> pd.DataFrame:
    """First and repeat purchases with their Gamma-Gamma spend, sorted by customer and date."""
    cust = np.concatenate([np.arange(len(ids)), owner])
    day = np.concatenate([first_day, rep_day])
    amount = rng.gamma(p_spend, 1.0 / nu[cust])
    amount = np.maximum(np.round(amount, 2), 0.01)
    order = np.lexsort((day, cust))
    cust, day, amount = cust[order], day[order], amount[order]
    frame = pd.DataFrame(
        {
            "customer_id": ids.to_numpy()[cust],
            "date": start + pd.to_timedelta(day, unit="D"),
        }
    )
    frame["customer_id"] = frame["customer_id"].astype("string")
    if quantity:
        frame["quantity"] = 1 + rng.poisson(amount / 15.0)
    frame["amount"] = amount
    return frame


#: Planted uplift (extra response probability when the offer is made) in
#: :func:`make_bank_customers`: segment rule → uplift. Segments are disjoint and
#: evaluated top-down; customers in none of them get ``"other"``.
BANK_UPLIFT_SEGMENTS: dict[str, float] = {
    "age < 40 and salary > 30000 and owns_car": 0.30,
    "age < 40 and salary > 30000 and not owns_car": 0.15,
    "other": 0.02,
}


def make_bank_customers(
    n: int = 20000,
    *,
    treatment_share: float = 0.5,
    base_rate: float = 0.05,
    uplift: dict[str, float] | None = None,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Draw the course's bank experiment: covariates, a randomised offer and the response.

    The bank (COURSE.md §3) splits account holders into an experiment group and a control
    group with the same make-up, makes the offer to the experiment group only, grows a
    decision tree on it and validates the segments against the control group.

    Parameters
    ----------
    n : int
        Number of customers.
    treatment_share : float
        Share randomised into the experiment group (``treatment = 1``), in (0, 1).
    base_rate : float
        Response probability without the offer (the same in every segment, plus a small
        planted effect of paying bills on time: +0.02).
    uplift : dict, optional
        Uplift per segment; keys as in :data:`BANK_UPLIFT_SEGMENTS` (the default).
    random_state : int or Generator
        Seed.

    Returns
    -------
    DataFrame
        Columns ``customer_id`` (string), ``age`` (int, 18-75), ``gender`` (``"F"``/``"M"``),
        ``married`` (0/1), ``children`` (0/1), ``salary`` (monthly-equivalent yearly salary in
        yuan, float), ``owns_car`` (0/1), ``liquid_assets`` (yuan), ``pays_on_time`` (0/1),
        ``treatment`` (0/1), ``segment`` (the true segment key), ``true_uplift``,
        ``response`` (0/1). ``attrs["truth"]`` holds the segment uplifts.

    Examples
    --------
    >>> bank = make_bank_customers(1000, random_state=3)
    >>> round(float(bank["treatment"].mean()), 1)
    0.5
    >>> sorted(bank["segment"].unique())[:1]
    ['age < 40 and salary > 30000 and not owns_car']
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 10:
        raise DataError(f"n must be an integer >= 10; got {n!r}")
    if not 0 < float(treatment_share) < 1:
        raise DataError(f"treatment_share must lie strictly between 0 and 1; got {treatment_share!r}")
    uplift = dict(BANK_UPLIFT_SEGMENTS if uplift is None else uplift)
    unknown = set(uplift) - set(BANK_UPLIFT_SEGMENTS)
    if unknown:
        raise DataError(f"unknown uplift segment(s) {sorted(unknown)}; expected keys of BANK_UPLIFT_SEGMENTS")
    rng = np.random.default_rng(random_state)
    age = rng.integers(18, 76, size=n)
    gender = rng.choice(np.array(["F", "M"]), size=n)
    married = (rng.random(n) < np.where(age > 30, 0.65, 0.3)).astype(int)
    children = (rng.random(n) < np.where(married == 1, 0.6, 0.1)).astype(int)
    salary = np.round(np.exp(rng.normal(np.log(28000), 0.45, size=n)), -2)
    owns_car = (rng.random(n) < np.clip(0.15 + salary / 100000, 0, 0.9)).astype(int)
    liquid_assets = np.round(rng.gamma(2.0, salary / 4), -2)
    pays_on_time = (rng.random(n) < 0.8).astype(int)
    treatment = (rng.random(n) < float(treatment_share)).astype(int)

    young_rich = (age < 40) & (salary > 30000)
    segment = np.where(
        young_rich & (owns_car == 1),
        "age < 40 and salary > 30000 and owns_car",
        np.where(young_rich, "age < 40 and salary > 30000 and not owns_car", "other"),
    )
    true_uplift = np.array([uplift.get(s, 0.0) for s in BANK_UPLIFT_SEGMENTS])[
        pd.Categorical(segment, categories=list(BANK_UPLIFT_SEGMENTS)).codes
    ]
    prob = float(base_rate) + 0.02 * pays_on_time + treatment * true_uplift
    response = (rng.random(n) < np.clip(prob, 0, 1)).astype(int)
    width = max(6, len(str(n)))
    frame = pd.DataFrame(
        {
            "customer_id": pd.Series([f"B{i:0{width}d}" for i in range(1, n + 1)], dtype="string"),
            "age": age,
            "gender": gender,
            "married": married,
            "children": children,
            "salary": salary,
            "owns_car": owns_car,
            "liquid_assets": liquid_assets,
            "pays_on_time": pays_on_time,
            "treatment": treatment,
            "segment": segment,
            "true_uplift": true_uplift,
            "response": response,
        }
    )
    frame.attrs["truth"] = {"uplift": uplift, "base_rate": float(base_rate), "pays_on_time_effect": 0.02}
    return frame
