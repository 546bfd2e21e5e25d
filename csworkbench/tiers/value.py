"""Customer value (客户价值): revenue, margin, orders and recency per customer from a transaction log.

The course (COURSE.md §3) starts its CRM half from the value of each customer; every tier,
pyramid and RFM score of :mod:`csworkbench.tiers` is built on the table
:func:`customer_value` computes.  The transactions come through the data layer's
transaction source (a pandas frame, or a Parquet file/folder aggregated by DuckDB — ten
million records in seconds, see ``bench/bench_tiers.py``); rows it cannot use are listed in
the result's ``problems`` and one :class:`~csworkbench.errors.DataWarning` counts them.

Reference: Blattberg, Kim & Neslin (2008), *Database Marketing*, ch. 5 (customer value).

Examples
--------
>>> import pandas as pd
>>> from csworkbench.tiers import customer_value
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2024-01-01", "2024-01-09", "2024-01-05"],
...                    "amount": [10.0, 20.0, 7.5]})
>>> res = customer_value(tx, as_of="2024-01-10")
>>> res.table[["customer_id", "revenue", "orders", "recency_days"]]
  customer_id  revenue  orders  recency_days
0           a     30.0       2             1
1           b      7.5       1             5
>>> len(res.problems), res.as_of.date()
(0, datetime.date(2024, 1, 10))
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..problems import Problems
from ..schema.source import DEFAULT_TZ, open_transactions, parse_date, warn_excluded

__all__ = ["CustomerValueResult", "customer_value"]


@dataclass(frozen=True, eq=False)
class CustomerValueResult:
    """What :func:`customer_value` returns.

    Attributes
    ----------
    table : DataFrame
        One row per customer (columns in :func:`customer_value`).
    problems : DataFrame
        Rows dropped, excluded or flagged on the way (columns
        :data:`csworkbench.codes.PROBLEM_COLUMNS`; texts by code, :func:`csworkbench.problems.localize`).
    as_of : Timestamp
        The analysis date recency is counted to.
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    as_of: pd.Timestamp


def list_missing_amounts(problems: Problems, per_customer: pd.DataFrame, amount: str) -> None:
    """List the customers a missing amount touches (the policy of docs/api-conventions.md).

    ``per_customer`` has ``customer_id``, ``missing_amounts`` (records without an amount) and
    ``n_known`` (records with one).
    """
    miss = per_customer["missing_amounts"].to_numpy() > 0
    none = per_customer["n_known"].to_numpy() == 0
    ids = per_customer["customer_id"].astype(str).to_numpy()
    problems.add(
        "amount_missing_customer",
        rows=[None] * int((miss & ~none).sum()),
        column=amount,
        values=ids[miss & ~none],
        action="known_amounts_only",
    )
    problems.add("no_known_amount", rows=[None] * int(none.sum()), column=amount, values=ids[none], action="kept_nan")


def customer_value(
    transactions: pd.DataFrame | str | os.PathLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    margin: str | None = None,
    margin_rate: float | None = None,
    as_of: str | pd.Timestamp | None = None,
    today: str | pd.Timestamp | None = None,
    date_format: str | None = None,
    tz: str = DEFAULT_TZ,
) -> CustomerValueResult:
    """Value of each customer from a transaction log (客户价值): revenue, margin, orders, recency.

    Parameters
    ----------
    transactions : DataFrame or path
        One row per purchase record, or the path of a Parquet file / folder of Parquet files
        (aggregated by DuckDB without loading it into pandas).
    customer_id, date, amount : str
        Column names.
    margin : str, optional
        Column with the margin (profit) of each record; summed per customer.
    margin_rate : float, optional
        Margin as a share of revenue, when there is no margin column (e.g. 0.3).
    as_of : date-like, optional
        The analysis date: records after it are excluded and listed; recency is counted to it.
        Default: the latest date in the data that is not in the future.
    today : date-like, optional
        Dates after this are "in the future" (default: today).
    date_format : str, optional
        The format of text dates (e.g. ``"%d/%m/%y"``): ambiguous dates are read with it instead
        of being listed (see :func:`~csworkbench.schema.validate_transactions`).
    tz : str
        The zone that zone-aware timestamps are converted to (default ``Asia/Shanghai``).

    Returns
    -------
    CustomerValueResult
        ``table``: one row per customer, sorted by ``customer_id``: ``customer_id``,
        ``revenue`` (sum of the known amounts, returns netted; NaN only when the customer has no
        record with a known amount), ``returns``
        (sum of negative amounts, ≤ 0), ``margin`` (if a margin column or rate is given),
        ``orders`` (distinct purchase days: same-day purchases count once; returns are not
        orders), ``records`` (rows), ``first_purchase``, ``last_purchase`` (last purchase day,
        returns excluded), ``recency_days`` (``as_of`` − last purchase), ``missing_amounts``
        (records without an amount: counted as orders, not in the money figures; the customers
        are listed in ``problems``); ``problems``; ``as_of``.

    Raises
    ------
    ParameterError
        Both ``margin`` and ``margin_rate``, a rate outside [−1, 1], or an ``as_of`` that is no date.
    DataError
        No usable transaction (see :func:`csworkbench.schema.source.open_transactions`).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                    "date": ["2024-01-01", "2024-01-01", "2024-01-09", "2024-01-05"],
    ...                    "amount": [10.0, 5.0, 20.0, 7.5]})
    >>> cv = customer_value(tx, as_of="2024-01-10").table
    >>> cv[["customer_id", "revenue", "orders", "records", "recency_days"]]
      customer_id  revenue  orders  records  recency_days
    0           a     35.0       2        3             1
    1           b      7.5       1        1             5
    """
    if margin is not None and margin_rate is not None:
        raise ParameterError("give either a margin column or a margin_rate, not both")
    if margin_rate is not None and not (np.isfinite(margin_rate) and -1 <= float(margin_rate) <= 1):
        raise ParameterError(f"margin_rate must be a share between -1 and 1; got {margin_rate!r}")
    cutoff = parse_date(as_of, "as_of") if as_of is not None else None
    with open_transactions(
        transactions,
        customer_id=customer_id,
        date=date,
        amount=amount,
        margin=margin,
        today=today,
        date_format=date_format,
        tz=tz,
    ) as src:
        cutoff = cutoff if cutoff is not None else src.cutoff()
        if src.last_day > cutoff:
            src.list_rows(
                f"pday > DATE '{cutoff.date().isoformat()}'",
                date,
                "pday",
                "after_as_of",
                "excluded",
                date=str(cutoff.date()),
            )
        src.daily(cutoff, margin=bool(margin))
        margin_sql = "CASE WHEN sum(n_margin) = sum(n_rows) THEN sum(margin) END AS margin," if margin else ""
        out = src.sql(f"""
            SELECT customer_id,
                   CASE WHEN sum(n_known) > 0 THEN coalesce(sum(amt), 0) + sum(ret) END AS revenue,
                   sum(ret) AS returns,
                   {margin_sql}
                   count(*) FILTER (WHERE n_buy > 0) AS orders,
                   CAST(sum(n_rows) AS BIGINT) AS records,
                   min(pday) AS first_purchase,
                   max(pday) FILTER (WHERE n_buy > 0) AS last_purchase,
                   CAST(sum(n_miss) AS BIGINT) AS missing_amounts, CAST(sum(n_known) AS BIGINT) AS n_known
            FROM daily GROUP BY customer_id ORDER BY customer_id""")
        list_missing_amounts(src.problems, out, amount)
    if out.empty:
        raise DataError(
            f"no transaction on or before as_of {cutoff.date()}", path=src.label, problems=src.problems.frame()
        )
    out = out.drop(columns="n_known")
    out["missing_amounts"] = out.pop("missing_amounts").astype("int64")
    out["orders"] = out["orders"].astype("int64")
    out["records"] = out["records"].astype("int64")
    for col in ("first_purchase", "last_purchase"):
        out[col] = pd.to_datetime(out[col])
    if margin_rate is not None:
        out.insert(3, "margin", out["revenue"] * float(margin_rate))
    out["recency_days"] = (cutoff - out["last_purchase"]).dt.days.astype("Int64")
    problems = src.problems.frame()
    warn_excluded(problems, "customer_value")
    return CustomerValueResult(out, problems, cutoff)
