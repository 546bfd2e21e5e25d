"""The customer summary of the BG/NBD literature (RFM 汇总): frequency, recency, T, spend, holdout.

:func:`summary_from_transactions` turns a transaction log into the per-customer state the
"buy till you die" models need at the end of a calibration period — repeat transactions
(frequency), time of the last one (recency), age (T) and mean repeat spend — plus what each
customer did in the holdout period after it.  All purchases of a customer on one day are one
transaction; time is counted from each customer's first purchase.  The log comes through the
data layer's transaction source (a pandas frame or a Parquet file/folder aggregated by
DuckDB); rows it cannot use are listed in the result's ``problems``.

Reference: Fader, Hardie & Lee (2005), "'Counting your customers' the easy way",
*Marketing Science* 24(2), 275–284 (the CDNOW summary: 2,357 customers, 946 repeat buyers).

Examples
--------
>>> import pandas as pd
>>> from csworkbench.clv import summary_from_transactions
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2024-01-01", "2024-01-15", "2024-01-08"],
...                    "amount": [10.0, 30.0, 5.0]})
>>> res = summary_from_transactions(tx, "2024-01-15")
>>> res.table[["customer_id", "frequency", "recency", "T", "monetary_value"]]
  customer_id  frequency  recency    T  monetary_value
0           a          1      2.0  2.0            30.0
1           b          0      0.0  1.0             NaN
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..schema.source import DEFAULT_TZ, TransactionSource, open_transactions, parse_date, warn_excluded
from ..tiers.value import list_missing_amounts

__all__ = ["FREQ_DAYS", "SummaryResult", "summary_from_transactions"]

#: Days per time unit of the summary.
FREQ_DAYS: dict[str, float] = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}


def freq_days(freq: str) -> float:
    """Days per time unit ``freq``; :class:`~csworkbench.errors.ParameterError` for an unknown one."""
    try:
        return FREQ_DAYS[freq]
    except KeyError:
        raise ParameterError(f"freq must be one of {list(FREQ_DAYS)} (days, weeks, months); got {freq!r}") from None


@dataclass(frozen=True, eq=False)
class SummaryResult:
    """What :func:`summary_from_transactions` returns.

    Attributes
    ----------
    table : DataFrame
        One row per customer (columns in :func:`summary_from_transactions`).
    problems : DataFrame
        Rows and customers excluded or flagged (columns :data:`csworkbench.codes.PROBLEM_COLUMNS`).
    calibration_end, observation_end : Timestamp
        The last days of the calibration and of the holdout period.
    freq : str
        The time unit of ``recency``, ``T`` and ``duration_holdout``.
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    calibration_end: pd.Timestamp
    observation_end: pd.Timestamp
    freq: str


def _periods(src: TransactionSource, calibration_end, observation_end, date: str) -> tuple[pd.Timestamp, ...]:
    """The two period ends; any day on or after the first purchase (a month-end cut-off after
    the last one is normal).  Errors name the parameter the caller passed."""
    cal_given = parse_date(calibration_end, "calibration_end") if calibration_end is not None else None
    obs = parse_date(observation_end, "observation_end") if observation_end is not None else src.cutoff()
    if observation_end is None and cal_given is not None:
        obs = max(obs, cal_given)  # no holdout asked for: the period ends with the calibration
    cal = cal_given if cal_given is not None else obs
    if cal < src.first_day:
        name = "calibration_end" if calibration_end is not None else "observation_end"
        raise DataError(
            f"{name} {cal.date()} is before the first transaction ({src.first_day.date()}); "
            f"choose a day on or after it",
            path=src.label,
            column=date,
        )
    if obs < cal:
        raise ParameterError(f"observation_end {obs.date()} is before calibration_end {cal.date()}")
    return cal, obs


def _per_customer(src: TransactionSource, cal: pd.Timestamp, obs: pd.Timestamp, date: str, amount: str) -> pd.DataFrame:
    """One row per customer with calibration and holdout aggregates (DuckDB)."""
    o, c = obs.date().isoformat(), cal.date().isoformat()
    if src.last_day > obs:
        src.list_rows(f"pday > DATE '{o}'", date, "pday", "after_observation_end", "excluded", date=o)
    if src.n_returns:
        src.list_rows(f"amount < 0 AND pday <= DATE '{o}'", amount, "amount", "return_not_purchase", "excluded")
    src.daily(obs, margin=False)
    return src.sql(f"""
        SELECT customer_id, min(pday) AS first_purchase,
               count(*) FILTER (WHERE pday <= DATE '{c}') AS n_cal,
               max(pday) FILTER (WHERE pday <= DATE '{c}') AS last_cal,
               arg_min(amt, pday) AS first_amt, arg_min(n_miss, pday) > 0 AS first_miss,
               count(*) FILTER (WHERE pday > DATE '{c}') AS frequency_holdout,
               sum(amt) FILTER (WHERE pday <= DATE '{c}' AND n_miss = 0) AS sum_known,
               count(*) FILTER (WHERE pday <= DATE '{c}' AND n_miss = 0) AS days_known,
               avg(amt) FILTER (WHERE pday > DATE '{c}' AND n_miss = 0) AS hold_known,
               CAST(sum(n_miss) AS BIGINT) AS missing_amounts, CAST(sum(n_known) AS BIGINT) AS n_known
        FROM daily WHERE n_buy > 0 GROUP BY customer_id ORDER BY customer_id""")


def _drop_late(out: pd.DataFrame, src: TransactionSource, customer_id: str) -> pd.DataFrame:
    """Leave out (and list) customers whose first purchase is after calibration_end."""
    late = out["n_cal"].to_numpy() == 0
    if not late.any():
        return out
    listed = out.loc[late].head(1000)
    for cid, first in zip(listed["customer_id"], listed["first_purchase"]):
        src.problems.add(
            "first_purchase_late_dated",
            rows=[None],
            column=customer_id,
            values=[str(cid)],
            action="excluded",
            date=str(pd.Timestamp(first).date()),
        )
    if late.sum() > len(listed):
        src.problems.add(
            "first_purchase_late",
            rows=[None],
            column=customer_id,
            values=[f"{int(late.sum()) - len(listed)} more customers"],
            action="excluded",
        )
    return out.loc[~late].reset_index(drop=True)


def summary_from_transactions(
    transactions: pd.DataFrame | str | os.PathLike,
    calibration_end: str | pd.Timestamp | None = None,
    observation_end: str | pd.Timestamp | None = None,
    *,
    freq: str = "W",
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    today: str | pd.Timestamp | None = None,
    date_format: str | None = None,
    tz: str = DEFAULT_TZ,
) -> SummaryResult:
    """The BG/NBD summary per customer (RFM 汇总) with calibration and holdout figures.

    Parameters
    ----------
    transactions : DataFrame or path
        One row per purchase record, or a Parquet file / folder (aggregated by DuckDB).
    calibration_end : date-like, optional
        Last day of the calibration period (inclusive). Default: ``observation_end`` (no
        holdout). Any day on or after the first purchase.
    observation_end : date-like, optional
        Last day of the holdout period (inclusive). Default: the latest date in the data that
        is not in the future (or ``calibration_end`` when that is later). Records after it
        are excluded and listed.
    freq : {"W", "D", "M"}
        Time unit: weeks (days / 7, the literature's), days or months (days / 30.44).
    customer_id, date, amount : str
        Column names.
    today : date-like, optional
        Dates after this are "in the future" (default: today).
    date_format : str, optional
        The format of text dates (e.g. ``"%d/%m/%y"``): ambiguous dates are read with it instead
        of being listed (see :func:`~csworkbench.schema.validate_transactions`).
    tz : str
        The zone that zone-aware timestamps are converted to (default ``Asia/Shanghai``).

    Returns
    -------
    SummaryResult
        ``table``: one row per customer whose first purchase is on or before
        ``calibration_end``, sorted by ``customer_id``: ``customer_id``; ``frequency`` (repeat
        transactions in the calibration period = distinct purchase days − 1); ``recency`` (time
        from first to last calibration purchase); ``T`` (time from first purchase to
        ``calibration_end``); ``monetary_value`` (mean amount of the repeat transactions, the
        first excluded; NaN for customers without repeat purchases — missing, not zero);
        ``monetary_days`` (the repeat days that mean is over: ``frequency`` less the repeat days
        whose amount is missing — the Gamma-Gamma weight); ``first_purchase``; ``frequency_holdout`` (transactions after ``calibration_end`` up to
        ``observation_end``); ``monetary_value_holdout`` (their mean; NaN if none);
        ``duration_holdout``.  ``problems``, ``calibration_end``, ``observation_end``, ``freq``.

    Raises
    ------
    ParameterError
        An unknown ``freq``, a period end that is no date, or ``observation_end`` before
        ``calibration_end``.
    DataError
        ``calibration_end`` outside the data, or no usable transaction.

    Notes
    -----
    Returns (negative amounts) are not purchases: they are excluded from the counts and
    listed. A missing amount keeps the day as a purchase (frequency, recency, T) but the day is
    left out of the mean spend, which is over the repeat days whose amount is known (NaN when
    there is none); the customers are listed in ``problems`` by id.  A zero amount is a
    purchase worth 0.  ``calibration_end`` and ``observation_end`` may be any day on or after
    the first purchase — a month-end after the last purchase is a normal cut-off.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "a", "b"],
    ...                    "date": ["2024-01-01", "2024-01-08", "2024-01-08", "2024-01-29", "2024-01-15"],
    ...                    "amount": [10.0, 4.0, 6.0, 30.0, 5.0]})
    >>> s = summary_from_transactions(tx, calibration_end="2024-01-22", observation_end="2024-02-05").table
    >>> s[["customer_id", "frequency", "recency", "T", "monetary_value", "frequency_holdout"]]
      customer_id  frequency  recency    T  monetary_value  frequency_holdout
    0           a          1      1.0  3.0            10.0                  1
    1           b          0      0.0  1.0             NaN                  0
    """
    unit = freq_days(freq)
    with open_transactions(
        transactions, customer_id=customer_id, date=date, amount=amount, today=today, date_format=date_format, tz=tz
    ) as src:
        cal, obs = _periods(src, calibration_end, observation_end, date)
        out = _per_customer(src, cal, obs, date, amount)
    out = _drop_late(out, src, customer_id)
    if out.empty:
        raise DataError(
            f"no customer made a purchase on or before calibration_end {cal.date()}",
            path=src.label,
            problems=src.problems.frame(),
        )
    first = pd.to_datetime(out["first_purchase"])
    freq_cal = out["n_cal"].to_numpy(dtype="int64") - 1
    # missing amounts: the day still counts as a purchase; mean spend is over the days whose amount is known
    first_known = ~out["first_miss"].fillna(False).to_numpy(dtype=bool)
    repeat_sum = out["sum_known"].fillna(0.0).to_numpy(dtype=float) - np.where(
        first_known, out["first_amt"].fillna(0.0).to_numpy(dtype=float), 0.0
    )
    repeat_days = out["days_known"].to_numpy(dtype="int64") - first_known.astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where((freq_cal > 0) & (repeat_days > 0), repeat_sum / np.maximum(repeat_days, 1), np.nan)
    hold_m = out["hold_known"].to_numpy(dtype=float)
    list_missing_amounts(src.problems, out, amount)
    table = pd.DataFrame(
        {
            "customer_id": out["customer_id"],
            "frequency": freq_cal,
            "recency": (pd.to_datetime(out["last_cal"]) - first).dt.days.to_numpy(dtype=float) / unit,
            "T": (cal - first).dt.days.to_numpy(dtype=float) / unit,
            "monetary_value": monetary,
            "monetary_days": np.where(freq_cal > 0, np.maximum(repeat_days, 0), 0),
            "first_purchase": first,
            "frequency_holdout": out["frequency_holdout"].to_numpy(dtype="int64"),
            "monetary_value_holdout": hold_m,
            "duration_holdout": (obs - cal).days / unit,
        }
    )
    problems = src.problems.frame()
    warn_excluded(problems, "summary_from_transactions")
    return SummaryResult(table, problems, cal, obs, freq)
