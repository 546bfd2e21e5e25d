"""Customer lifetime value (客户终身价值): discounted CLV, its pyramid, and checks against the holdout.

* :func:`clv` — CLV over a horizon: the BG/NBD's expected purchases month by month times the
  Gamma-Gamma expected spend, times the margin, discounted;
* :func:`clv_pyramid` — the customer pyramid (客户层级模型) of CLV;
* :func:`tracking` — cumulative repeat purchases, actual vs model, through the calibration
  and holdout periods (the tracking plot's data);
* :func:`holdout_comparison` — conditional expectations against the holdout by calibration
  frequency (条件期望检验).

References: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer
base analysis", *JMR* 42(4), 415–430; Gupta et al. (2006), "Modeling customer lifetime
value", *Journal of Service Research* 9(2), 139–155.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.clv import BetaGeoModel, GammaGammaModel, clv
>>> m = BetaGeoModel(); m.params_ = pd.Series({"r": 0.2426, "alpha": 4.414, "a": 0.793, "b": 2.426})
>>> gg = GammaGammaModel(); gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "gamma": 15.44})
>>> s = pd.DataFrame({"customer_id": ["x"], "frequency": [2], "recency": [30.43], "T": [38.86],
...                   "monetary_value": [22.35]})
>>> round(float(clv(s, m, gg, discount_rate=0.0)["clv"].iloc[0]), 2)
38.55
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..schema.source import open_transactions, parse_date
from ..tiers.pyramid import TierResult, customer_pyramid
from .bgnbd import BetaGeoModel
from .gammagamma import GammaGammaModel
from .summary import freq_days

__all__ = ["clv", "clv_pyramid", "tracking", "TrackingResult", "holdout_comparison"]

_SUMMARY_COLUMNS = ("customer_id", "frequency", "recency", "T", "monetary_value")


def _summary_frame(summary: Any, columns: Sequence[str]) -> tuple[pd.DataFrame, str | None]:
    """The summary's table and its time unit (None for a plain frame)."""
    frame = summary if isinstance(summary, pd.DataFrame) else getattr(summary, "table", None)
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"expected the result of summary_from_transactions; got {type(summary).__name__}")
    for col in columns:
        if col not in frame.columns:
            raise DataError(f"missing column {col!r}; expected the output of summary_from_transactions", column=col)
    return frame, getattr(summary, "freq", None)


def clv(
    summary: Any,
    bgnbd: BetaGeoModel,
    gamma_gamma: GammaGammaModel,
    *,
    horizon_months: int = 12,
    discount_rate: float = 0.10,
    margin: float = 1.0,
    freq: str | None = None,
) -> pd.DataFrame:
    """Discounted customer lifetime value over a horizon (客户终身价值).

    CLV = Σₖ₌₁ᴴ (E[Y(k months)] − E[Y(k−1 months)]) × E[spend] × margin / (1 + d)ᵏ, with the BG/NBD
    conditional expectation for the purchases, the Gamma-Gamma conditional expected spend and
    the monthly discount rate d = (1 + annual rate)^(1/12) − 1.

    Parameters
    ----------
    summary : SummaryResult or DataFrame
        The result of :func:`~csworkbench.clv.summary_from_transactions` (the state at
        ``calibration_end``, or a summary computed to the latest date for forward-looking CLV).
    bgnbd, gamma_gamma : fitted BetaGeoModel and GammaGammaModel
    horizon_months : int
        Horizon in months.
    discount_rate : float
        Annual discount rate (e.g. 0.10).
    margin : float
        Profit margin as a share of revenue (1 = revenue).
    freq : str, optional
        Time unit of the summary (default: the result's ``freq``; "W" for a plain frame).

    Returns
    -------
    DataFrame
        ``customer_id, frequency, recency, T, monetary_value, probability_alive,
        expected_purchases`` (over the horizon), ``expected_spend``, ``clv``, sorted by ``clv``
        descending.

    Examples
    --------
    >>> m = BetaGeoModel(); m.params_ = pd.Series({"r": 0.2426, "alpha": 4.414, "a": 0.793, "b": 2.426})
    >>> gg = GammaGammaModel(); gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "gamma": 15.44})
    >>> s = pd.DataFrame({"customer_id": ["x", "y"], "frequency": [2, 0], "recency": [30.43, 0.0],
    ...                   "T": [38.86, 38.86], "monetary_value": [22.35, float("nan")]})
    >>> clv(s, m, gg, horizon_months=12, discount_rate=0.0)["clv"].round(2).tolist()
    [38.55, 8.89]
    """
    if not (isinstance(horizon_months, (int, np.integer)) and horizon_months >= 1):
        raise ParameterError(f"horizon_months must be a positive integer; got {horizon_months!r}")
    if not (np.isfinite(discount_rate) and discount_rate > -1):
        raise ParameterError(f"discount_rate must be an annual rate > -1 (e.g. 0.10); got {discount_rate!r}")
    if not np.isfinite(margin):
        raise ParameterError(f"margin must be a number (share of revenue); got {margin!r}")
    frame, result_freq = _summary_frame(summary, _SUMMARY_COLUMNS)
    unit = freq_days(freq or result_freq or "W")
    x, tx, T = (frame[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    month = (365.25 / 12) / unit
    monthly = (1 + discount_rate) ** (1 / 12) - 1
    spend = gamma_gamma.conditional_expected_spend(x, frame["monetary_value"].to_numpy(dtype=float))
    prev = np.zeros(len(x))
    value = np.zeros(len(x))
    for k in range(1, int(horizon_months) + 1):
        cum = bgnbd.expected_purchases(k * month, x, tx, T)
        value += (cum - prev) * spend * margin / (1 + monthly) ** k
        prev = cum
    out = pd.DataFrame(
        {
            "customer_id": frame["customer_id"].to_numpy(),
            "frequency": x,
            "recency": tx,
            "T": T,
            "monetary_value": frame["monetary_value"].to_numpy(dtype=float),
            "probability_alive": bgnbd.probability_alive(x, tx, T),
            "expected_purchases": prev,
            "expected_spend": spend,
            "clv": value,
        }
    )
    out["customer_id"] = out["customer_id"].astype("string")
    return out.sort_values("clv", ascending=False, kind="stable").reset_index(drop=True)


def clv_pyramid(
    values: pd.DataFrame, *, cuts: Sequence[float] = (0.01, 0.04, 0.15, 0.80), lang: str = "zh"
) -> TierResult:
    """The customer pyramid of CLV (按终身价值的客户金字塔): :func:`~csworkbench.tiers.customer_pyramid`
    on the ``clv`` column of :func:`clv`.

    Examples
    --------
    >>> v = pd.DataFrame({"customer_id": list("abcd"), "clv": [40.0, 20, 5, 1]})
    >>> clv_pyramid(v, cuts=(0.25, 0.25, 0.25, 0.25), lang="en").table["tier"].tolist()
    ['super_heavy', 'heavy', 'sub_heavy', 'light']
    """
    return customer_pyramid(values, cuts=cuts, value="clv", lang=lang)


@dataclass(frozen=True, eq=False)
class TrackingResult:
    """What :func:`tracking` returns.

    Attributes
    ----------
    table : DataFrame
        One row per period: ``period_end`` (date), ``t`` (time units since the first day),
        ``actual``, ``expected`` (repeat transactions in the period), ``actual_cum``,
        ``expected_cum``, ``holdout`` (bool: after ``calibration_end``).
    problems : DataFrame
        Transaction rows dropped or flagged (columns :data:`csworkbench.codes.PROBLEM_COLUMNS`).
    calibration_end : Timestamp
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    calibration_end: pd.Timestamp


def _repeat_days(transactions: Any, cal_arg: Any, obs_arg: Any, columns: dict[str, Any]):
    """Purchase days per (day, first purchase or not) of the customers who started by calibration_end."""
    cal = parse_date(cal_arg, "calibration_end")
    with open_transactions(transactions, **columns) as src:
        obs = parse_date(obs_arg, "observation_end") if obs_arg is not None else src.cutoff()
        if not (src.first_day <= cal <= obs):
            raise DataError(
                f"need first date {src.first_day.date()} <= calibration_end {cal.date()} <= "
                f"observation_end {obs.date()}",
                path=src.label,
                column=columns["date"],
            )
        days = src.sql(
            """WITH d AS (SELECT DISTINCT customer_id, pday FROM tx
                                     WHERE pday <= ? AND (amount >= 0 OR amount IS NULL)),
                               f AS (SELECT customer_id, min(pday) AS first FROM d GROUP BY customer_id
                                     HAVING min(pday) <= ?)
                          SELECT d.pday, d.pday = f.first AS is_first, count(*) AS n
                          FROM d JOIN f ON d.customer_id = f.customer_id GROUP BY 1, 2""",
            [obs.date(), cal.date()],
        )
    return days, cal, obs, src.problems.frame()


def tracking(
    transactions: pd.DataFrame | str | os.PathLike,
    model: BetaGeoModel,
    calibration_end: str | pd.Timestamp,
    observation_end: str | pd.Timestamp | None = None,
    *,
    freq: str = "W",
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    today: str | pd.Timestamp | None = None,
) -> TrackingResult:
    """Cumulative repeat transactions per period, actual vs BG/NBD (跟踪图数据).

    The expected curve is Σᵢ E[X(t − sᵢ)] over customers with first purchase sᵢ (the model's
    unconditional expectation), as in Fader, Hardie & Lee (2005, fig. 2).

    Parameters
    ----------
    transactions : DataFrame or path
        The transaction log the summary was made from.
    model : BetaGeoModel
        Fitted on the calibration period.
    calibration_end, observation_end : date-like
        As in :func:`~csworkbench.clv.summary_from_transactions`.
    freq, customer_id, date, amount, today
        As in ``summary_from_transactions``.

    Returns
    -------
    TrackingResult

    Examples
    --------
    >>> from csworkbench.clv import summary_from_transactions
    >>> from csworkbench.datasets.transactions import make_transactions
    >>> tx = make_transactions(500, random_state=4)
    >>> m = BetaGeoModel().fit(summary_from_transactions(tx, "2024-09-30"))
    >>> list(tracking(tx, m, "2024-09-30").table.columns)
    ['period_end', 't', 'actual', 'expected', 'actual_cum', 'expected_cum', 'holdout']
    """
    unit = freq_days(freq)
    step = max(int(round(unit)), 1)
    days, cal, obs, problems = _repeat_days(
        transactions,
        calibration_end,
        observation_end,
        {"customer_id": customer_id, "date": date, "amount": amount, "today": today},
    )
    start = pd.Timestamp(days["pday"].min())
    offset = (pd.to_datetime(days["pday"]) - start).dt.days.to_numpy()
    n_periods = int(np.ceil(((obs - start).days + 1) / step))
    repeat_mask = ~days["is_first"].to_numpy()
    repeat = np.bincount((offset // step)[repeat_mask], weights=days["n"].to_numpy()[repeat_mask], minlength=n_periods)[
        :n_periods
    ]
    firsts = days[days["is_first"]]
    s_days = (pd.to_datetime(firsts["pday"]) - start).dt.days.to_numpy()
    counts = firsts["n"].to_numpy(dtype=float)
    ends = (np.arange(1, n_periods + 1) * step).astype(float)  # days since start at period end (exclusive)
    ends[-1] = min(ends[-1], (obs - start).days + 1)
    expected_cum = np.array(
        [np.sum(counts * model.expected_purchases_unconditional((e - 1 - s_days) / unit)) for e in ends]
    )
    period_end = start + pd.to_timedelta(ends - 1, unit="D")
    out = pd.DataFrame(
        {
            "period_end": period_end,
            "t": ends / unit,
            "actual": repeat.astype(float),
            "expected": np.diff(np.concatenate([[0.0], expected_cum])),
            "actual_cum": np.cumsum(repeat),
            "expected_cum": expected_cum,
        }
    )
    out["holdout"] = out["period_end"] > cal
    return TrackingResult(out, problems, cal)


def holdout_comparison(summary: Any, model: BetaGeoModel, *, max_frequency: int = 7) -> pd.DataFrame:
    """Conditional expectations vs the holdout (条件期望检验), by calibration frequency.

    Parameters
    ----------
    summary : SummaryResult or DataFrame
        A summary with a holdout period (``observation_end`` after ``calibration_end``).
    model : BetaGeoModel
        Fitted on the calibration period.
    max_frequency : int
        Frequencies from this up are pooled.

    Returns
    -------
    DataFrame
        ``frequency`` (0 … max_frequency, the last meaning "or more"), ``customers``,
        ``actual`` (mean holdout transactions), ``expected`` (mean E[Y(holdout) | history]).

    Examples
    --------
    >>> m = BetaGeoModel(); m.params_ = pd.Series({"r": 0.2426, "alpha": 4.414, "a": 0.793, "b": 2.426})
    >>> s = pd.DataFrame({"frequency": [0, 1], "recency": [0.0, 10], "T": [30.0, 30], "frequency_holdout": [0, 2],
    ...                   "duration_holdout": [39.0, 39.0]})
    >>> holdout_comparison(s, m)["customers"].tolist()
    [1, 1]
    """
    if not (isinstance(max_frequency, (int, np.integer)) and max_frequency >= 1):
        raise ParameterError(f"max_frequency must be a positive integer; got {max_frequency!r}")
    frame, _ = _summary_frame(summary, ("frequency", "recency", "T", "frequency_holdout", "duration_holdout"))
    x, tx, T = (frame[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    expected = model.expected_purchases(frame["duration_holdout"].to_numpy(dtype=float), x, tx, T)
    table = pd.DataFrame(
        {
            "frequency": np.minimum(x, max_frequency).astype(int),
            "actual": frame["frequency_holdout"].to_numpy(dtype=float),
            "expected": expected,
        }
    )
    return (
        table.groupby("frequency")
        .agg(customers=("actual", "size"), actual=("actual", "mean"), expected=("expected", "mean"))
        .reset_index()
    )
