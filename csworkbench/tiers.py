"""Customer tiers and value (客户层级与客户价值): pyramid, Pareto/Lorenz, ABC care, RFM, value classes.

The course's CRM half (COURSE.md §3) asks which customers matter and how to serve each tier
at the right cost. This module turns a transaction log into those answers:

* :func:`customer_value` — revenue, margin, orders, first/last purchase and recency per customer;
* :func:`customer_pyramid` and :func:`tier_summary` — the customer pyramid (客户层级模型) with the
  four tiers 超重量级 / 重量级 / 次重量级 / 轻量级 (Zeithaml, Rust & Lemon 2001, "The customer
  pyramid", *California Management Review* 43(4));
* :func:`pareto_curve`, :func:`lorenz` — the 80/20 statement as numbers: top-x % share, Gini,
  "top 20 % → y %" and the smallest share of customers holding 80 %;
* :func:`abc_tiers` and :func:`care_plan` — ABC care tiers (客户关怀): A a yearly trip, B holiday
  gifts, ordinary customers cards/messages, 500 yuan cap per key customer, 100 per ordinary;
* :func:`rfm` and :class:`RFMClusters` — RFM quintile scores and named segments (Hughes 1994,
  *Strategic Database Marketing*), and K-means clusters on log-scaled RFM;
* :func:`value_classes`, :func:`differentiation_matrix`, :func:`strategy_matrix`,
  :func:`strategic_score` — Peppers & Rogers (*Managing Customer Relationships*, 2004) value
  classes MVC/MGC/BZC, the differentiation matrix, the customer strategy matrix and the seven
  strategic-customer criteria (战略客户);
* :func:`retention_economics` — the course's retention figures as a calculator;
* :func:`uplift_tree` — the course's bank experiment (银行决策树): randomised experiment and
  control group, a readable decision tree on the experiment group, uplift per leaf validated
  against the control group (Radcliffe & Surry 2011, "Real-world uplift modelling").

Scale: :func:`customer_value` and :func:`rfm` take a pandas frame *or* the path of a Parquet
file / directory of Parquet files; both are aggregated by DuckDB (no per-customer Python loop),
so ten million transactions take seconds (see ``bench/bench_tiers.py``).

Bad input never passes silently: rows without a customer id or date are dropped, returns,
future dates and rows after the cut-off are listed; the table travels in
``result.attrs["problems"]`` (JSON-safe records; :func:`problems_table` turns them into a
tidy frame with columns ``row, column, value, problem, action``) and a
:class:`~csworkbench.errors.DataWarning` names what was excluded.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .errors import DataError, DataWarning, ModelError
from .i18n import check_language, t

__all__ = [
    "PYRAMID_TIERS",
    "customer_value",
    "problems_table",
    "customer_pyramid",
    "tier_summary",
    "pareto_curve",
    "lorenz",
    "LorenzResult",
    "abc_tiers",
    "CARE_PROGRAMME",
    "care_plan",
    "care_budget",
    "rfm",
    "rfm_summary",
    "RFM_SEGMENTS",
    "RFMClusters",
    "value_classes",
    "differentiation_matrix",
    "strategy_matrix",
    "STRATEGIC_CRITERIA",
    "strategic_score",
    "retention_economics",
    "uplift_tree",
    "UpliftTreeResult",
    "display_table",
    "plot_pyramid",
    "plot_lorenz",
    "plot_rfm",
    "plot_uplift",
]

from .schema import PROBLEM_COLUMNS  # noqa: E402  (one definition of the problems table)
#: Rows listed per kind of problem for Parquet input (the count of the rest is given).
MAX_LISTED = 1000

# =========================================================================== transaction source


def _figure(title: str | None = None) -> go.Figure:
    """An empty plotly figure in the shared theme (plain plotly if the theme is unavailable)."""
    try:
        from .plots import plotly_template

        fig = go.Figure(layout={"template": plotly_template()})
    except Exception:  # pragma: no cover - theme module missing or broken
        fig = go.Figure()
    if title:
        fig.update_layout(title_text=title)
    return fig


def _problems(records: list[dict[str, Any]]) -> pd.DataFrame:
    out = pd.DataFrame(records, columns=PROBLEM_COLUMNS)
    out["row"] = out["row"].astype("Int64")
    return out


def _records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON-safe problem records for ``DataFrame.attrs`` (so results can still be saved to Parquet)."""
    return [{"row": None if r.get("row") is None or pd.isna(r.get("row")) else int(r["row"]),
             "column": None if r.get("column") is None else str(r["column"]),
             "value": None if r.get("value") is None else str(r["value"]),
             "problem": str(r["problem"]), "action": str(r["action"])} for r in records]


def problems_table(result: pd.DataFrame) -> pd.DataFrame:
    """The rows and customers excluded or flagged on the way to ``result`` (数据问题表).

    Results of :func:`customer_value`, :func:`rfm`, :func:`customer_pyramid`,
    :func:`abc_tiers` and :func:`csworkbench.clv.summary_from_transactions` keep these as
    JSON-safe records in ``result.attrs["problems"]``; this returns them as a tidy frame.

    Returns
    -------
    DataFrame
        ``row`` (1-based data row, NA for customer-level entries), ``column``, ``value``,
        ``problem``, ``action`` (dropped / excluded / flagged / kept as NaN / no tier).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", None], "date": ["2024-01-01", "2024-01-02"], "amount": [1.0, 2.0]})
    >>> import warnings; warnings.simplefilter("ignore")
    >>> problems_table(customer_value(tx))[["row", "problem", "action"]]
       row              problem   action
    0    2  missing customer id  dropped
    """
    return _problems(list(result.attrs.get("problems", [])))


def _warn_excluded(problems: pd.DataFrame, what: str) -> None:
    excluded = problems[~problems["action"].isin(["flagged", "kept as NaN"])]
    if len(excluded):
        counts = excluded.groupby("problem", sort=False).size()
        text = "; ".join(f"{n} × {p}" for p, n in counts.items())
        warnings.warn(f"{what}: excluded {text} (see .attrs['problems'])", DataWarning, stacklevel=3)


@dataclass
class _Source:
    """Transactions ready for DuckDB: view ``tx(customer_id, pday, amount, margin, row)``."""

    con: Any
    problems: list[dict[str, Any]]
    label: str | None
    has_margin: bool
    limit: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now().normalize() + pd.Timedelta(days=1))
    first_day: pd.Timestamp | None = None
    last_day: pd.Timestamp | None = None
    last_not_future: pd.Timestamp | None = None
    n_returns: int = 0

    def collect_stats(self) -> None:
        """One scan for the date range, the latest date not in the future and the returns."""
        lim = self.limit.date().isoformat()
        first, last, last_ok, n, n_ret = self.con.execute(
            f"SELECT min(pday), max(pday), max(pday) FILTER (WHERE pday <= DATE '{lim}'), count(*), "
            f"count(*) FILTER (WHERE amount < 0) FROM tx").fetchall()[0]
        if not n:
            raise DataError("no valid transaction left after validation (no rows with customer id and date)",
                            path=self.label, problems=_problems(self.problems))
        self.first_day, self.last_day = pd.Timestamp(first), pd.Timestamp(last)
        self.last_not_future = pd.Timestamp(last_ok) if last_ok is not None else None
        self.n_returns = int(n_ret)

    def cutoff(self) -> pd.Timestamp:
        """Latest transaction date not in the future (the default analysis date)."""
        if self.last_not_future is None:
            raise DataError(f"every transaction is dated after {self.limit.date()} (in the future)", path=self.label)
        return self.last_not_future

    def daily(self, cutoff: pd.Timestamp) -> None:
        """Temp table ``daily``: one row per customer and day up to ``cutoff`` (same-day records summed).

        Columns: ``customer_id, pday, amt`` (sum of non-negative amounts), ``n_buy`` (purchase
        records, amount >= 0 or missing), ``n_miss`` (records with a missing amount), ``ret``
        (sum of negative amounts), ``n_rows``, ``margin``, ``n_margin``.
        """
        self.con.execute(f"""CREATE OR REPLACE TEMP TABLE daily AS
            SELECT customer_id, pday,
                   sum(amount) FILTER (WHERE amount >= 0) AS amt,
                   count(*) FILTER (WHERE amount >= 0 OR amount IS NULL) AS n_buy,
                   count(*) FILTER (WHERE amount IS NULL) AS n_miss,
                   coalesce(sum(amount) FILTER (WHERE amount < 0), 0) AS ret,
                   count(*) AS n_rows, sum(margin) AS margin, count(margin) AS n_margin
            FROM tx WHERE pday <= DATE '{cutoff.date().isoformat()}' GROUP BY customer_id, pday""")

    def sql(self, query: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        # through Arrow: three times faster than .df() for millions of string ids
        table = self.con.sql(query, params=params or None).to_arrow_table()
        return table.to_pandas(date_as_object=False)

    def scalar(self, query: str, params: Sequence[Any] | None = None) -> Any:
        return self.con.execute(query, params or []).fetchall()[0][0]

    def list_rows(self, where: str, column: str, value_sql: str, problem: str, action: str,
                  params: Sequence[Any] | None = None, *, n: int | None = None, table: str = "tx") -> int:
        """Append the rows of ``table`` matching ``where`` to the problems (at most MAX_LISTED)."""
        if n is None:
            n = int(self.scalar(f"SELECT count(*) FROM {table} WHERE {where}", params))
        if n:
            rows = self.sql(f"SELECT row, CAST({value_sql} AS VARCHAR) AS v FROM {table} WHERE {where} "
                            f"ORDER BY row LIMIT {MAX_LISTED}", params)
            self.problems.extend({"row": int(r), "column": column, "value": v, "problem": problem,
                                  "action": action} for r, v in zip(rows["row"], rows["v"]))
            if n > MAX_LISTED:
                self.problems.append({"row": None, "column": column, "value": f"{n - MAX_LISTED} more rows",
                                      "problem": problem, "action": action})
        return n

    def close(self) -> None:
        self.con.close()


def _numeric_type(duckdb_type: str) -> bool:
    return duckdb_type.upper().split("(")[0] in {"DOUBLE", "FLOAT", "REAL", "DECIMAL", "INTEGER", "BIGINT", "SMALLINT",
                                                 "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT"}


def _is_path(obj: Any) -> bool:
    return isinstance(obj, (str, os.PathLike))


def _open_transactions(
    transactions: pd.DataFrame | str | os.PathLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    margin: str | None = None,
    today: str | pd.Timestamp | None = None,
) -> _Source:
    """Validate a transactions frame or open a Parquet file/dataset as the DuckDB view ``tx``.

    Rows with no customer id or no parseable date are dropped and listed; non-numeric amounts
    become NULL (missing) and are listed; returns and future dates are listed as flagged.
    """
    import duckdb

    limit = (pd.Timestamp(today).normalize() if today is not None
             else pd.Timestamp.now().normalize() + pd.Timedelta(days=1))
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    problems: list[dict[str, Any]] = []
    if isinstance(transactions, pd.DataFrame):
        from .schema import validate_transactions

        label = transactions.attrs.get("source")
        frame = transactions.assign(_csw_row=np.arange(1, len(transactions) + 1))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            clean, found = validate_transactions(frame, customer_id=customer_id, date=date, amount=amount,
                                                 margin=margin, today=today, path=label)
        problems.extend(found.to_dict("records"))
        keep = {"customer_id": clean["customer_id"].astype(str), "pday": clean["date"].dt.normalize(),
                "amount": clean["amount"].astype("float64"), "row": clean["_csw_row"].astype("int64")}
        keep["margin"] = clean["margin"].astype("float64") if margin else np.nan
        con.register("tx_frame", pd.DataFrame(keep))
        con.execute("CREATE VIEW tx AS SELECT customer_id, CAST(pday AS DATE) AS pday, amount, "
                    "CAST(margin AS DOUBLE) AS margin, row FROM tx_frame")
        src = _Source(con, problems, label, margin is not None, limit)
        try:
            src.collect_stats()
        except DataError:
            con.close()
            raise
        return src
    if not _is_path(transactions):
        con.close()
        raise DataError(f"transactions must be a pandas DataFrame or the path of a Parquet file or folder; "
                        f"got {type(transactions).__name__}")
    path = Path(transactions)
    if path.is_dir():
        pattern = str(path / "**" / "*.parquet")
        if not any(path.rglob("*.parquet")):
            con.close()
            raise DataError("folder holds no .parquet files; expected a Parquet dataset", path=path)
    elif path.is_file():
        if path.suffix.lower() not in (".parquet", ".pq"):
            con.close()
            raise DataError(f"expected a Parquet file (.parquet) or a pandas DataFrame; got {path.suffix!r} "
                            "(read other formats with csworkbench.io.read_table first)", path=path)
        pattern = str(path)
    else:
        con.close()
        raise DataError("no such file or folder", path=path)
    try:
        literal = "'" + pattern.replace("'", "''") + "'"
        con.execute(f"CREATE VIEW raw AS SELECT * FROM read_parquet({literal}, file_row_number = true, "
                    "union_by_name = true)")
        types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE raw)").fetchall())
    except duckdb.Error as exc:
        con.close()
        raise DataError(f"cannot read as Parquet: {exc}", path=path) from None
    needed = [customer_id, date, amount] + ([margin] if margin else [])
    missing = [c for c in needed if c not in types]
    if missing:
        con.close()
        raise DataError(f"missing column(s) {missing}; found {list(types)}", path=path, column=missing[0])

    def q(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    date_sql = (f"TRY_CAST({q(date)} AS DATE)" if not types[date].upper().startswith(("TIMESTAMP", "DATE"))
                else f"CAST({q(date)} AS DATE)")
    margin_sql = f"TRY_CAST({q(margin)} AS DOUBLE)" if margin else "CAST(NULL AS DOUBLE)"
    # ids are taken as stored (no trimming: that would cost a string copy of every row)
    id_sql = (f"NULLIF({q(customer_id)}, '')" if types[customer_id].upper() == "VARCHAR"
              else f"CAST({q(customer_id)} AS VARCHAR)")
    amount_sql = (f"CAST({q(amount)} AS DOUBLE)" if _numeric_type(types[amount])
                  else f"TRY_CAST({q(amount)} AS DOUBLE)")
    con.execute(f"""CREATE VIEW tx_all AS SELECT {id_sql} AS customer_id,
                    {date_sql} AS pday, {amount_sql} AS amount, {margin_sql} AS margin,
                    file_row_number + 1 AS row, {q(amount)} AS amount_raw, {q(date)} AS date_raw FROM raw""")
    src = _Source(con, problems, str(path), margin is not None, limit)
    lim = limit.date().isoformat()
    checks = [
        ("customer_id IS NULL", customer_id, "customer_id", "missing customer id", "dropped"),
        ("customer_id IS NOT NULL AND pday IS NULL AND date_raw IS NOT NULL", date, "date_raw",
         "not a date: expected e.g. 2024-03-31", "dropped"),
        ("customer_id IS NOT NULL AND date_raw IS NULL", date, "date_raw", "missing date", "dropped"),
        ("amount IS NULL AND amount_raw IS NOT NULL" if not _numeric_type(types[amount]) else "FALSE", amount,
         "amount_raw", "not a number: amount must be numeric", "kept as NaN"),
        ("amount IS NULL AND amount_raw IS NULL", amount, "amount_raw", "missing amount", "kept as NaN"),
        ("amount < 0 AND customer_id IS NOT NULL AND pday IS NOT NULL", amount, "amount",
         "negative amount: treated as a return", "flagged"),
        (f"pday > DATE '{lim}' AND customer_id IS NOT NULL", date, "pday", f"date after {lim} (in the future)",
         "flagged"),
    ]
    try:
        counts = con.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE {c[0]})" for c in checks)
                             + " FROM tx_all").fetchall()[0]
    except duckdb.Error as exc:
        con.close()
        raise DataError(f"cannot read as Parquet: {exc}", path=path) from None
    for check, n in zip(checks, counts):
        if n:
            src.list_rows(*check, n=int(n), table="tx_all")
    con.execute("CREATE VIEW tx AS SELECT customer_id, pday, amount, margin, row FROM tx_all "
                "WHERE customer_id IS NOT NULL AND pday IS NOT NULL")
    try:
        src.collect_stats()
    except DataError:
        con.close()
        raise
    return src


def _as_date(value: Any, name: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a date such as '1997-09-30'; got {value!r}") from None
    if pd.isna(stamp):
        raise DataError(f"{name} must be a date such as '1997-09-30'; got {value!r}")
    return stamp.normalize()


# =========================================================================== customer value


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
) -> pd.DataFrame:
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

    Returns
    -------
    DataFrame
        One row per customer, sorted by ``customer_id``: ``customer_id``, ``revenue`` (sum of
        amounts, returns netted; NaN if an amount is missing), ``returns`` (sum of negative
        amounts, ≤ 0), ``margin`` (if a margin column or rate is given), ``orders`` (distinct
        purchase days: same-day purchases count once; returns are not orders), ``records``
        (rows), ``first_purchase``, ``last_purchase`` (last purchase day, returns excluded),
        ``recency_days`` (``as_of`` − last purchase). ``attrs``: ``problems``, ``as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                    "date": ["2024-01-01", "2024-01-01", "2024-01-09", "2024-01-05"],
    ...                    "amount": [10.0, 5.0, 20.0, 7.5]})
    >>> cv = customer_value(tx, as_of="2024-01-10")
    >>> cv[["customer_id", "revenue", "orders", "records", "recency_days"]]
      customer_id  revenue  orders  records  recency_days
    0           a     35.0       2        3             1
    1           b      7.5       1        1             5
    """
    if margin is not None and margin_rate is not None:
        raise DataError("give either a margin column or a margin_rate, not both")
    if margin_rate is not None and not (np.isfinite(margin_rate) and -1 <= float(margin_rate) <= 1):
        raise DataError(f"margin_rate must be a share between -1 and 1; got {margin_rate!r}")
    src = _open_transactions(transactions, customer_id=customer_id, date=date, amount=amount, margin=margin,
                             today=today)
    try:
        cutoff = _as_date(as_of, "as_of") if as_of is not None else src.cutoff()
        if src.last_day > cutoff:
            src.list_rows(f"pday > DATE '{cutoff.date().isoformat()}'", date, "pday", f"after as_of {cutoff.date()}",
                          "excluded")
        src.daily(cutoff)
        margin_sql = ("CASE WHEN sum(n_margin) = sum(n_rows) THEN sum(margin) END AS margin," if margin else "")
        out = src.sql(f"""
            SELECT customer_id,
                   CASE WHEN sum(n_miss) = 0 THEN coalesce(sum(amt), 0) + sum(ret) END AS revenue,
                   sum(ret) AS returns,
                   {margin_sql}
                   count(*) FILTER (WHERE n_buy > 0) AS orders,
                   sum(n_rows) AS records,
                   min(pday) AS first_purchase,
                   max(pday) FILTER (WHERE n_buy > 0) AS last_purchase
            FROM daily GROUP BY customer_id ORDER BY customer_id""")
    finally:
        src.close()
    if out.empty:
        raise DataError(f"no transaction on or before as_of {cutoff.date()}", path=src.label)
    out["orders"] = out["orders"].astype("int64")
    out["records"] = out["records"].astype("int64")
    for col in ("first_purchase", "last_purchase"):
        out[col] = pd.to_datetime(out[col])
    if margin_rate is not None:
        out.insert(3, "margin", out["revenue"] * float(margin_rate))
    out["recency_days"] = (cutoff - out["last_purchase"]).dt.days.astype("Int64")
    problems = _problems(src.problems)
    out.attrs["problems"] = _records(src.problems)
    out.attrs["as_of"] = str(cutoff.date())
    _warn_excluded(problems, "customer_value")
    return out


# =========================================================================== pyramid

#: Tier keys of the customer pyramid, top first, and the i18n key of each label.
PYRAMID_TIERS: tuple[str, ...] = ("super_heavy", "heavy", "sub_heavy", "light")


def _values(values: pd.Series | pd.DataFrame, value: str | None, customer_id: str = "customer_id") -> pd.Series:
    """A float Series of values indexed by customer id from a Series or a frame."""
    if isinstance(values, pd.DataFrame):
        if value is None:
            for cand in ("value", "clv", "revenue", "margin"):
                if cand in values.columns:
                    value = cand
                    break
            else:
                raise DataError(f"say which column holds the value (value=…); found {list(values.columns)}")
        if value not in values.columns:
            raise DataError(f"no column {value!r}; found {list(values.columns)}", column=value)
        ids = values[customer_id] if customer_id in values.columns else values.index
        series = pd.Series(pd.to_numeric(values[value], errors="coerce").to_numpy(dtype=float),
                           index=pd.Index(ids, name="customer_id"), name=value)
        bad = series.isna() & values[value].notna().to_numpy()
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"must be numeric; got {values[value].iloc[first]!r}", column=value, row=first + 1)
    elif isinstance(values, pd.Series):
        series = pd.Series(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float),
                           index=pd.Index(values.index, name="customer_id"), name=values.name or "value")
    else:
        arr = np.asarray(values, dtype=float)
        series = pd.Series(arr, index=pd.Index(np.arange(1, len(arr) + 1), name="customer_id"), name="value")
    if series.index.hasnans:
        rows = np.flatnonzero(pd.isna(series.index)) + 1
        raise DataError(f"{len(rows)} customer id(s) missing (first at row {rows[0]}); every value needs an id",
                        column=customer_id, row=int(rows[0]))
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()][0]
        raise DataError(f"customer id {dup!r} appears more than once; expected one value per customer "
                        "(aggregate with customer_value first)", column=customer_id)
    if len(series) == 0:
        raise DataError("no customers: the value table is empty")
    return series


def _tier_by_share(values: np.ndarray, cum_shares: np.ndarray) -> np.ndarray:
    """Index of the tier of each value (0 = top) given cumulative customer shares from the top.

    Tie rule: customers are ranked from the highest value down with ``method="min"``, so a
    group of equal values shares the rank of its first member; the whole group goes to the
    tier in which that first member falls. A tier can therefore hold slightly more than its
    nominal share, never less than a whole tie group, and ties are never split.
    """
    n = len(values)
    rank0 = pd.Series(values).rank(ascending=False, method="min").to_numpy() - 1  # 0-based
    position = rank0 / n  # share of customers strictly above
    return np.searchsorted(cum_shares, position + 1e-12, side="right").clip(max=len(cum_shares))


def customer_pyramid(
    values: pd.Series | pd.DataFrame,
    cuts: Sequence[float] = (0.01, 0.04, 0.15, 0.80),
    *,
    thresholds: Sequence[float] | None = None,
    value: str | None = None,
    nonpositive: str = "separate",
    lang: str = "zh",
) -> pd.DataFrame:
    """The customer pyramid (客户层级模型): 超重量级 / 重量级 / 次重量级 / 轻量级.

    Parameters
    ----------
    values : Series or DataFrame
        Value per customer (revenue, margin or CLV): a Series indexed by customer id or a
        frame with ``customer_id`` and the ``value`` column.
    cuts : four floats
        Shares of (positive-value) customers in each tier from the top; must sum to 1.
        Default 1 % / 4 % / 15 % / 80 %.
    thresholds : three floats, optional
        Value thresholds instead of shares, descending: value ≥ t1 super-heavy, ≥ t2 heavy,
        ≥ t3 sub-heavy, else light.
    value : str, optional
        Value column of a frame (default: the first of value, clv, revenue, margin).
    nonpositive : {"separate", "light", "error"}
        Customers with value ≤ 0 (zero-value and below-zero customers): ``"separate"`` gives
        them their own tier ``nonpositive`` (零或负价值) under the pyramid, ``"light"`` puts them
        into the lightweight tier, ``"error"`` raises.
    lang : {"zh", "en"}
        Language of ``tier_label``.

    Returns
    -------
    DataFrame
        Sorted by value descending: ``customer_id``, ``value``, ``rank`` (1 = highest, ties share
        the smallest rank), ``top_share`` (share of ranked customers strictly above), ``tier``
        (key), ``tier_label``. Customers with a missing value get tier NaN and are listed in
        ``attrs["problems"]``.

    Notes
    -----
    Ties never split: with share cuts, a group of equal values goes entirely to the tier in
    which its highest-ranked member falls (ranks with ``method="min"``), so an upper tier may
    hold a little more than its share. With thresholds, equal values get equal tiers anyway.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.Series([100.0, 50, 50, 10, 0], index=list("abcde"))
    >>> customer_pyramid(v, cuts=(0.25, 0.25, 0.25, 0.25), lang="en")[["customer_id", "tier"]]
      customer_id         tier
    0           a  super_heavy
    1           b        heavy
    2           c        heavy
    3           d        light
    4           e  nonpositive
    """
    check_language(lang)
    if nonpositive not in ("separate", "light", "error"):
        raise DataError(f"nonpositive must be 'separate', 'light' or 'error'; got {nonpositive!r}")
    series = _values(values, value)
    if (series.fillna(0) == 0).all() and series.notna().any():
        raise DataError("every customer's value is zero: a pyramid needs some positive values")
    missing = series.isna()
    problems = [{"row": None, "column": series.name, "value": str(cid), "problem": "missing value",
                 "action": "no tier"} for cid in series.index[missing]]
    frame = pd.DataFrame({"customer_id": series.index.to_numpy(), "value": series.to_numpy()})
    frame["rank"] = frame["value"].rank(ascending=False, method="min").astype("Int64")
    tier = np.full(len(frame), None, dtype=object)
    nonpos = (frame["value"] <= 0).to_numpy()
    if nonpos.any() and nonpositive == "error":
        first = frame.loc[nonpos, "customer_id"].iloc[0]
        raise DataError(f"{int(nonpos.sum())} customer(s) with value <= 0 (e.g. {first!r}); "
                        "use nonpositive='separate' or 'light'", column=str(series.name))
    ranked = ~missing.to_numpy() & (~nonpos if nonpositive == "separate" else np.ones(len(frame), bool))
    if thresholds is not None:
        th = np.asarray(thresholds, dtype=float)
        if th.shape != (3,) or np.any(np.diff(th) > 0):
            raise DataError(f"thresholds must be three descending values (super-heavy, heavy, sub-heavy); "
                            f"got {list(thresholds)}")
        v = frame["value"].to_numpy()[ranked]
        idx = np.select([v >= th[0], v >= th[1], v >= th[2]], [0, 1, 2], 3)
        tier[ranked] = np.asarray(PYRAMID_TIERS, dtype=object)[idx]
        frame["top_share"] = np.nan
        sub_rank = pd.Series(v).rank(ascending=False, method="min").to_numpy() - 1
        frame.loc[ranked, "top_share"] = sub_rank / max(ranked.sum(), 1)
    else:
        c = np.asarray(cuts, dtype=float)
        if c.shape != (4,) or np.any(c < 0) or not math.isclose(c.sum(), 1.0, abs_tol=1e-9):
            raise DataError(f"cuts must be four customer shares from the top summing to 1 "
                            f"(e.g. 0.01, 0.04, 0.15, 0.80); got {list(cuts)} (sum {c.sum():.4g})")
        v = frame["value"].to_numpy()[ranked]
        frame["top_share"] = np.nan
        if len(v):
            idx = _tier_by_share(v, np.cumsum(c)[:-1])
            tier[ranked] = np.asarray(PYRAMID_TIERS, dtype=object)[idx]
            sub_rank = pd.Series(v).rank(ascending=False, method="min").to_numpy() - 1
            frame.loc[ranked, "top_share"] = sub_rank / len(v)
    if nonpositive == "separate":
        tier[nonpos] = "nonpositive"
    frame["tier"] = pd.Series(tier, dtype="string")
    frame["tier_label"] = frame["tier"].map(lambda k: t(f"tier.{k}", lang) if isinstance(k, str) else pd.NA)
    frame = frame.sort_values(["value", "customer_id"], ascending=[False, True], na_position="last",
                              kind="stable").reset_index(drop=True)
    frame.attrs["problems"] = _records(problems)
    frame.attrs["cuts"] = None if thresholds is not None else [float(x) for x in cuts]
    frame.attrs["thresholds"] = None if thresholds is None else [float(x) for x in thresholds]
    if problems:
        warnings.warn(f"customer_pyramid: {len(problems)} customer(s) with a missing value get no tier",
                      DataWarning, stacklevel=2)
    return frame


def _tier_order(tiers: pd.Series) -> list[str]:
    known = list(PYRAMID_TIERS) + ["nonpositive"] + ["A", "B", "C"]
    present = [k for k in tiers.dropna().unique()]
    return [k for k in known if k in present] + sorted(k for k in present if k not in known)


def tier_summary(tiers: pd.DataFrame, *, value: str = "value", tier: str = "tier", lang: str = "zh") -> pd.DataFrame:
    """Customers and value per tier: the table under the pyramid (层级汇总).

    Parameters
    ----------
    tiers : DataFrame
        Output of :func:`customer_pyramid` or :func:`abc_tiers` (columns ``tier``, ``value``).
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
    >>> p = customer_pyramid(pd.Series([100.0, 50, 50, 10]), cuts=(0.25, 0.25, 0.25, 0.25), lang="en")
    >>> tier_summary(p, lang="en")[["tier", "customers", "value_share"]]
              tier  customers  value_share
    0  super_heavy          1     0.476190
    1        heavy          2     0.476190
    2        light          1     0.047619
    3        total          4     1.000000
    """
    check_language(lang)
    for col in (value, tier):
        if col not in tiers.columns:
            raise DataError(f"no column {col!r}; expected the output of customer_pyramid/abc_tiers", column=col)
    data = tiers[tiers[tier].notna()]
    order = _tier_order(data[tier])
    g = data.groupby(tier, observed=True)[value]
    out = pd.DataFrame({"customers": g.size(), "value": g.sum(min_count=1), "mean_value": g.mean(),
                        "min_value": g.min(), "max_value": g.max()}).reindex(order)
    out.index.name = "tier"
    out = out.reset_index()
    total_value = data[value].sum()
    out.loc[len(out)] = {"tier": "total", "customers": len(data), "value": total_value,
                         "mean_value": data[value].mean(), "min_value": data[value].min(),
                         "max_value": data[value].max()}
    out["customers"] = out["customers"].astype("int64")
    out.insert(2, "customer_share", out["customers"] / len(data))
    out.insert(4, "value_share", out["value"] / total_value if total_value else np.nan)
    out.insert(1, "tier_label", [_tier_label(k, lang) for k in out["tier"]])
    out["tier"] = out["tier"].astype("string")
    return out


def _tier_label(key: str, lang: str) -> str:
    if key == "total":
        return t("tier.total", lang)
    if key in ("A", "B", "C"):
        return t(f"tier.abc_{key}", lang)
    return t(f"tier.{key}", lang)


# =========================================================================== Pareto / Lorenz


def _nonnegative(series: pd.Series, what: str, negative: str = "error") -> np.ndarray:
    if negative not in ("error", "zero"):
        raise DataError(f"negative must be 'error' or 'zero'; got {negative!r}")
    v = series.to_numpy(dtype=float)
    if negative == "zero" and (v < 0).any():
        warnings.warn(f"{what}: {int((v < 0).sum())} customer(s) with a negative value counted as 0",
                      DataWarning, stacklevel=3)
        v = np.where(v < 0, 0.0, v)
    if np.isnan(v).any():
        cid = series.index[np.isnan(v)][0]
        raise DataError(f"{what}: customer {cid!r} has a missing value; drop or fill it explicitly first",
                        column=str(series.name))
    if (v < 0).any():
        cid = series.index[v < 0][0]
        raise DataError(f"{what}: needs values >= 0; customer {cid!r} has {v[v < 0][0]:g} "
                        "(below-zero customers: see value_classes, or clip explicitly)", column=str(series.name))
    if v.sum() <= 0:
        raise DataError(f"{what}: every value is zero; a concentration curve needs a positive total",
                        column=str(series.name))
    return v


def pareto_curve(values: pd.Series | pd.DataFrame, *, value: str | None = None, negative: str = "error") -> pd.DataFrame:
    """Share of value held by the top x % of customers, for every x (帕累托曲线, 80/20).

    Parameters
    ----------
    values : Series or DataFrame
        Non-negative value per customer (as for :func:`customer_pyramid`).
    value : str, optional
        Value column of a frame.
    negative : {"error", "zero"}
        Below-zero customers (net returns) raise, or count as 0 (with a warning).

    Returns
    -------
    DataFrame
        ``n + 1`` rows from (0, 0) to (1, 1): ``customers`` (number of top customers),
        ``customer_share`` and ``value_share`` (cumulative, customers sorted by value descending).

    Examples
    --------
    >>> import pandas as pd
    >>> pareto_curve(pd.Series([60.0, 30, 10]))["value_share"].round(2).tolist()
    [0.0, 0.6, 0.9, 1.0]
    """
    v = np.sort(_nonnegative(_values(values, value), "pareto_curve", negative))[::-1]
    n = len(v)
    return pd.DataFrame({"customers": np.arange(n + 1), "customer_share": np.arange(n + 1) / n,
                         "value_share": np.concatenate([[0.0], np.cumsum(v) / v.sum()])})


@dataclass
class LorenzResult:
    """Concentration of customer value: Lorenz curve, Gini and the 80/20 figures.

    Attributes
    ----------
    curve : DataFrame
        ``customer_share, value_share`` of the Lorenz curve (customers from the smallest up).
    pareto : DataFrame
        The top-down curve of :func:`pareto_curve`.
    gini : float
        Gini coefficient (0 = everyone equal, (n−1)/n = one customer holds everything).
    top20_share : float
        Share of value held by the top 20 % of customers (interpolated on the curve).
    share_for_80 : float
        Smallest share of customers (from the top) holding 80 % of the value (interpolated).
    n_customers, total : int, float
    """

    curve: pd.DataFrame
    pareto: pd.DataFrame
    gini: float
    top20_share: float
    share_for_80: float
    n_customers: int
    total: float

    def top_share(self, x: float) -> float:
        """Share of value held by the top ``x`` share of customers."""
        return float(np.interp(x, self.pareto["customer_share"], self.pareto["value_share"]))

    def summary(self, lang: str = "zh") -> pd.DataFrame:
        """Tidy table ``measure, measure_label, value``."""
        rows = [("gini", self.gini), ("top20_share", self.top20_share), ("share_for_80", self.share_for_80),
                ("n_customers", self.n_customers), ("total", self.total)]
        return pd.DataFrame({"measure": [r[0] for r in rows],
                             "measure_label": [t(f"tier.lorenz_{r[0]}", lang) for r in rows],
                             "value": [float(r[1]) for r in rows]})

    def figure(self, lang: str = "zh", title: str | None = None) -> go.Figure:
        """Pareto (top-down) curve with the equality line and the 20 % / 80 % markers."""
        return plot_lorenz(self, lang=lang, title=title)


def lorenz(values: pd.Series | pd.DataFrame, *, value: str | None = None, negative: str = "error") -> LorenzResult:
    """Lorenz curve and Gini coefficient of customer value (洛伦兹曲线与基尼系数).

    The Gini coefficient is computed exactly from the sorted values,
    ``G = 2 Σ i·x₍ᵢ₎ / (n Σ x) − (n + 1)/n`` (x ascending, i = 1 … n).

    Parameters
    ----------
    values : Series or DataFrame
        Non-negative value per customer.
    value : str, optional
        Value column of a frame.
    negative : {"error", "zero"}
        Below-zero customers raise, or count as 0 (with a warning).

    Returns
    -------
    LorenzResult

    Examples
    --------
    >>> import pandas as pd
    >>> res = lorenz(pd.Series([0.0, 0, 0, 1]))
    >>> res.gini, res.top20_share, res.share_for_80
    (0.75, 0.8, 0.2)
    """
    series = _values(values, value)
    v = np.sort(_nonnegative(series, "lorenz", negative))
    n = len(v)
    total = float(v.sum())
    gini = float(2 * np.sum(np.arange(1, n + 1) * v) / (n * total) - (n + 1) / n)
    curve = pd.DataFrame({"customer_share": np.arange(n + 1) / n,
                          "value_share": np.concatenate([[0.0], np.cumsum(v) / total])})
    pareto = pareto_curve(series.clip(lower=0) if negative == "zero" else series)
    top20 = float(np.interp(0.2, pareto["customer_share"], pareto["value_share"]))
    # smallest x with top-x share >= 0.8 on the piecewise-linear curve (value_share is non-decreasing)
    ys = pareto["value_share"].to_numpy()
    xs = pareto["customer_share"].to_numpy()
    k = int(np.searchsorted(ys, 0.8 - 1e-12, side="left"))
    if k == 0:
        share80 = 0.0
    else:
        y0, y1 = ys[k - 1], ys[k]
        share80 = float(xs[k - 1] + (xs[k] - xs[k - 1]) * ((0.8 - y0) / (y1 - y0) if y1 > y0 else 1.0))
    return LorenzResult(curve, pareto, round(gini, 12), round(top20, 12), round(share80, 12), n, total)


# =========================================================================== ABC tiers and care plan


def abc_tiers(
    values: pd.Series | pd.DataFrame,
    shares: Sequence[float] = (0.2, 0.3, 0.5),
    *,
    value: str | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """ABC care tiers (ABC分类): A key customers, B important, C ordinary, by value shares.

    Parameters
    ----------
    values : Series or DataFrame
        Value per customer.
    shares : three floats
        Shares of customers in A, B, C from the top (sum 1). Same tie rule as
        :func:`customer_pyramid`: ties are never split. Customers with value ≤ 0 go to C.
    value : str, optional
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        ``customer_id, value, rank, tier ("A"/"B"/"C"), tier_label`` sorted by value descending.
        Customers with a missing value are listed in ``attrs["problems"]`` and get no tier.

    Examples
    --------
    >>> import pandas as pd
    >>> abc_tiers(pd.Series([9.0, 5, 3, 2, 1, 1, 0, 0, 0, 0]))["tier"].tolist()
    ['A', 'A', 'B', 'B', 'B', 'B', 'C', 'C', 'C', 'C']
    """
    check_language(lang)
    s = np.asarray(shares, dtype=float)
    if s.shape != (3,) or np.any(s < 0) or not math.isclose(s.sum(), 1.0, abs_tol=1e-9):
        raise DataError(f"shares must be three customer shares (A, B, C) summing to 1; got {list(shares)}")
    series = _values(values, value)
    if (series.fillna(0) == 0).all():
        raise DataError("every customer's value is zero or missing: ABC tiers need some positive values")
    frame = pd.DataFrame({"customer_id": series.index, "value": series.to_numpy()})
    frame["rank"] = frame["value"].rank(ascending=False, method="min").astype("Int64")
    ok = frame["value"].notna().to_numpy()
    tier = np.full(len(frame), None, dtype=object)
    idx = _tier_by_share(frame["value"].to_numpy()[ok], np.cumsum(s)[:-1])
    tier[ok] = np.array(["A", "B", "C"], dtype=object)[idx]
    tier[ok & (frame["value"].to_numpy() <= 0)] = "C"
    frame["tier"] = pd.Series(tier, dtype="string")
    frame["tier_label"] = frame["tier"].map(lambda k: t(f"tier.abc_{k}", lang) if isinstance(k, str) else pd.NA)
    frame = frame.sort_values(["value", "customer_id"], ascending=[False, True], na_position="last",
                              kind="stable").reset_index(drop=True)
    frame.attrs["problems"] = _records([{"row": None, "column": str(series.name), "value": str(c),
                                          "problem": "missing value", "action": "no tier"}
                                         for c in series.index[series.isna()]])
    return frame


#: The course's care programme (客户关怀计划), per ABC tier: activity key, times per year and
#: unit cost in yuan. The unit costs are assumptions to adapt; the caps are the course's
#: (500 yuan per key customer, 100 per ordinary customer). Quarterly visits cost staff time,
#: not gift budget (unit cost 0).
CARE_PROGRAMME: dict[str, list[tuple[str, int, float]]] = {
    "A": [("trip", 1, 380.0), ("birthday_gift", 1, 80.0), ("quarterly_visit", 4, 0.0)],
    "B": [("holiday_gift", 3, 25.0), ("birthday_card", 1, 10.0)],
    "C": [("holiday_message", 4, 1.0), ("birthday_message", 1, 1.0)],
}

#: Yearly care budget cap per customer (yuan): the course's 500 per key customer and 100 per
#: ordinary customer.
CARE_CAPS: dict[str, float] = {"A": 500.0, "B": 100.0, "C": 100.0}


def care_plan(
    tiers: pd.DataFrame,
    budget_caps: Mapping[str, float] | None = None,
    *,
    programme: Mapping[str, Sequence[tuple[str, int, float]]] | None = None,
    tier: str = "tier",
    lang: str = "zh",
) -> pd.DataFrame:
    """The care plan per customer (客户关怀计划): activities, contacts a year, cost within the cap.

    Parameters
    ----------
    tiers : DataFrame
        One row per customer with ``customer_id`` and a tier column (output of :func:`abc_tiers`).
    budget_caps : mapping tier → yuan, optional
        Yearly cap per customer; default :data:`CARE_CAPS` (A 500, B 100, C 100).
    programme : mapping tier → [(activity, times per year, unit cost)], optional
        Default :data:`CARE_PROGRAMME` (A yearly trip, birthday gift, quarterly visits; B
        holiday gifts and a birthday card; C holiday and birthday messages).
    tier : str
        Tier column.
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        ``customer_id, tier, activities`` (labels joined by "、"/", "), ``contacts_per_year``,
        ``planned_cost`` (Σ times × unit cost), ``cap``, ``budget`` (min(planned, cap)),
        ``capped`` (planned cost exceeded the cap). ``attrs["total"]`` is the total budget.
        Use :func:`care_budget` for the totals per tier.

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
    caps = dict(CARE_CAPS if budget_caps is None else budget_caps)
    prog = dict(CARE_PROGRAMME if programme is None else programme)
    for col in ("customer_id", tier):
        if col not in tiers.columns:
            raise DataError(f"no column {col!r}; expected one row per customer with a tier", column=col)
    present = set(tiers[tier].dropna().unique())
    for key in sorted(present):
        if key not in prog:
            raise DataError(f"tier {key!r} has no care programme; programme covers {sorted(prog)}", column=tier)
        if key not in caps:
            raise DataError(f"tier {key!r} has no budget cap; budget_caps covers {sorted(caps)}", column=tier)
    for key, cap in caps.items():
        if not (np.isfinite(cap) and cap >= 0):
            raise DataError(f"budget cap of tier {key!r} must be a number >= 0; got {cap!r}")
    sep = "、" if lang == "zh" else ", "
    per_tier = pd.DataFrame({
        tier: list(prog),
        "activities": [sep.join(t(f"care.{a}", lang) for a, _, _ in prog[k]) for k in prog],
        "contacts_per_year": [int(sum(n for _, n, _ in prog[k])) for k in prog],
        "planned_cost": [float(sum(n * c for _, n, c in prog[k])) for k in prog],
        "cap": [float(caps.get(k, np.nan)) for k in prog],
    })
    out = tiers[["customer_id", tier]].merge(per_tier, on=tier, how="left")
    out["budget"] = np.minimum(out["planned_cost"], out["cap"])
    out["capped"] = out["planned_cost"] > out["cap"]
    if out["capped"].any():
        warnings.warn("care_plan: planned care cost exceeds the cap in tier(s) "
                      f"{sorted(out.loc[out['capped'], tier].unique())}; budget cut to the cap", DataWarning,
                      stacklevel=2)
    out = out.rename(columns={tier: "tier"})
    out.attrs["total"] = float(out["budget"].sum())
    return out


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
    >>> plan = care_plan(pd.DataFrame({"customer_id": list("abc"), "tier": ["A", "C", "C"]}), lang="en")
    >>> care_budget(plan, lang="en")[["tier", "customers", "budget"]]
        tier  customers  budget
    0      A          1   460.0
    1      C          2    10.0
    2  total          3   470.0
    """
    g = plan.groupby("tier", observed=True)
    out = pd.DataFrame({"customers": g.size(), "activities": g["activities"].first(),
                        "contacts_per_year": g["contacts_per_year"].first(),
                        "budget_per_customer": g["budget"].first(), "budget": g["budget"].sum()})
    out = out.reindex(_tier_order(plan["tier"])).reset_index()
    out.loc[len(out)] = {"tier": "total", "customers": int(out["customers"].sum()), "activities": "",
                         "contacts_per_year": np.nan, "budget_per_customer": np.nan, "budget": out["budget"].sum()}
    out["customers"] = out["customers"].astype("int64")
    out.insert(1, "tier_label", [_tier_label(k, lang) for k in out["tier"]])
    return out


# =========================================================================== RFM

#: RFM segment of each (R score, F score) cell, the common R × F grid (5 = best).
RFM_SEGMENTS: dict[tuple[int, int], str] = {}
for _r in range(1, 6):
    for _f in range(1, 6):
        if _r <= 2:
            _seg = "hibernating" if _f <= 2 else ("at_risk" if _f <= 4 else "cant_lose")
        elif _r == 3:
            _seg = "about_to_sleep" if _f <= 2 else ("need_attention" if _f == 3 else "loyal")
        elif _r == 4:
            _seg = "promising" if _f == 1 else ("potential_loyalist" if _f <= 3 else "loyal")
        else:
            _seg = "new_customer" if _f == 1 else ("potential_loyalist" if _f <= 3 else "champion")
        RFM_SEGMENTS[(_r, _f)] = _seg
del _r, _f, _seg


def _score(values: pd.Series, bins: int, higher_is_better: bool) -> pd.Series:
    """Quantile score 1…bins (bins = best) without splitting ties.

    Tie rule: a customer's score is 1 + floor(bins × share of customers strictly worse), the
    share coming from ranks with ``method="min"``. A score must be earned: a tie group takes the
    score of its lowest-placed member, so equal values always share a score and, e.g., the many
    one-time buyers all get F = 1 (classes can be unequal in size).
    """
    v = values.astype(float)
    worse = v.rank(ascending=higher_is_better, method="min") - 1
    share = worse / v.notna().sum()
    score = np.minimum(1 + np.floor(share * bins), bins)
    return score.astype("Int64")


def rfm(
    transactions: pd.DataFrame | str | os.PathLike,
    *,
    bins: int = 5,
    monetary: str = "total",
    as_of: str | pd.Timestamp | None = None,
    lang: str = "zh",
    **columns: Any,
) -> pd.DataFrame:
    """RFM scores and segments (RFM分析): recency, frequency, monetary quintiles.

    Parameters
    ----------
    transactions : DataFrame or path
        A transaction log (frame or Parquet path, as for :func:`customer_value`) or the output
        of :func:`customer_value` itself (recognised by its ``orders`` and ``recency_days``
        columns).
    bins : int
        Number of score classes (5 = quintiles).
    monetary : {"total", "mean"}
        M is the customer's total revenue or revenue per order.
    as_of : date-like, optional
        Analysis date for recency (see :func:`customer_value`).
    lang : {"zh", "en"}
        Language of ``segment_label``.
    **columns
        ``customer_id=``, ``date=``, ``amount=``, ``today=`` passed to :func:`customer_value`.

    Returns
    -------
    DataFrame
        ``customer_id, recency_days, frequency, monetary, R, F, M`` (1…bins, bins best: recent,
        frequent, high spend), ``rfm_cell`` (e.g. "545"), ``rfm_score`` (R+F+M), ``segment``
        (key of :data:`RFM_SEGMENTS` from R and F), ``segment_label`` (the last three are
        categorical, which keeps millions of customers cheap).

    Notes
    -----
    Tie rule: score = 1 + floor(bins × share of customers strictly worse) — all customers with
    the same value get the score of the lowest-placed of them, so ties never straddle two
    scores and a high score is earned (with many one-time buyers they all get F = 1 and F has
    fewer than ``bins`` occupied classes). Customers with no
    purchase (only returns) have no recency and get NaN scores.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": list("aabbbc"), "amount": [10.0, 20, 5, 5, 5, 100],
    ...                    "date": ["2024-01-01", "2024-03-01", "2024-01-01", "2024-02-01", "2024-03-02",
    ...                             "2024-01-15"]})
    >>> rfm(tx, bins=3, lang="en")[["customer_id", "R", "F", "M", "rfm_cell"]]
      customer_id  R  F  M rfm_cell
    0           a  2  2  2      222
    1           b  3  3  1      331
    2           c  1  1  3      113
    """
    check_language(lang)
    if not isinstance(bins, (int, np.integer)) or bins < 2:
        raise DataError(f"bins must be an integer >= 2; got {bins!r}")
    if monetary not in ("total", "mean"):
        raise DataError(f"monetary must be 'total' or 'mean'; got {monetary!r}")
    if isinstance(transactions, pd.DataFrame) and {"orders", "recency_days", "revenue"} <= set(transactions.columns):
        cv = transactions
    else:
        cv = customer_value(transactions, as_of=as_of, **columns)
    out = pd.DataFrame({"customer_id": cv["customer_id"].reset_index(drop=True),
                        "recency_days": cv["recency_days"].astype("float64").to_numpy(),
                        "frequency": cv["orders"].to_numpy()})
    out["monetary"] = (cv["revenue"] if monetary == "total"
                       else cv["revenue"] / cv["orders"].where(cv["orders"] > 0)).to_numpy(dtype=float)
    no_purchase = out["frequency"] == 0
    out.loc[no_purchase, ["recency_days", "monetary"]] = np.nan
    out["R"] = _score(out["recency_days"], bins, higher_is_better=False)
    out["F"] = _score(out["frequency"].where(~no_purchase), bins, higher_is_better=True)
    out["M"] = _score(out["monetary"], bins, higher_is_better=True)
    ok = out[["R", "F", "M"]].notna().all(axis=1).to_numpy()
    r, f, m = (out[c].fillna(0).to_numpy(dtype=np.int64) for c in ("R", "F", "M"))
    code = np.where(ok, r * 100 + f * 10 + m, -1)
    # a categorical over the codes present: the string work is done once per distinct cell
    cells = pd.Categorical(code)
    cats = [str(c) if c >= 0 else None for c in cells.categories]
    cell_codes = np.where(ok, cells.codes, -1)
    out["rfm_cell"] = pd.Categorical.from_codes(cell_codes, categories=[c or "" for c in cats])
    out["rfm_score"] = out["R"] + out["F"] + out["M"]
    # segment from R and F mapped onto the 5 × 5 grid (when bins != 5)
    r5 = np.ceil(r * 5 / bins).astype(int).clip(0, 5)
    f5 = np.ceil(f * 5 / bins).astype(int).clip(0, 5)
    grid = np.full((6, 6), "", dtype=object)
    for (ri, fi), key in RFM_SEGMENTS.items():
        grid[ri, fi] = key
    keys = sorted(set(RFM_SEGMENTS.values()))
    seg_code = np.where(ok, pd.Categorical(grid[r5, f5], categories=keys + [""]).codes, -1)
    seg_code = np.where(seg_code == len(keys), -1, seg_code)
    out["segment"] = pd.Categorical.from_codes(seg_code, categories=keys)
    out["segment_label"] = pd.Categorical.from_codes(seg_code, categories=[t(f"rfm.{k}", lang) for k in keys])
    out.attrs["problems"] = list(cv.attrs.get("problems", []))
    out.attrs["as_of"] = cv.attrs.get("as_of")
    return out


def rfm_summary(scores: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """Customers and mean R/F/M per RFM segment (RFM 细分汇总), largest segment first.

    Returns
    -------
    DataFrame
        ``segment, segment_label, customers, customer_share, recency_days, frequency,
        monetary`` (means), ``monetary_share``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": list("abc"), "amount": [1.0, 2, 3],
    ...                    "date": ["2024-01-01", "2024-01-02", "2024-01-03"]})
    >>> int(rfm_summary(rfm(tx, bins=3), lang="en")["customers"].sum())
    3
    """
    check_language(lang)
    data = scores.dropna(subset=["segment"]).astype({"segment": "string"})
    g = data.groupby("segment")
    out = pd.DataFrame({"customers": g.size(), "recency_days": g["recency_days"].mean(),
                        "frequency": g["frequency"].mean(), "monetary": g["monetary"].mean(),
                        "monetary_total": g["monetary"].sum()})
    out = out.sort_values("customers", ascending=False, kind="stable").reset_index()
    out.insert(1, "segment_label", [t(f"rfm.{k}", lang) for k in out["segment"]])
    out.insert(3, "customer_share", out["customers"] / len(data))
    out["monetary_share"] = out.pop("monetary_total") / data["monetary"].sum()
    return out


class RFMClusters:
    """K-means clusters on log-scaled RFM, k chosen by the silhouette (RFM聚类).

    Parameters
    ----------
    k_range : sequence of int
        Candidate numbers of clusters (default 2 … 8).
    random_state : int
        Seed of K-means and of the silhouette sample.
    n_init : int
        K-means restarts.
    silhouette_sample : int
        Customers sampled for the silhouette when there are more (it is O(n²)).

    Attributes
    ----------
    k_ : int
        The chosen number of clusters (highest mean silhouette).
    silhouette_ : DataFrame
        ``k, silhouette, inertia`` per candidate.
    labels_ : ndarray
        Cluster (0 … k−1, ordered by mean monetary value, 0 = highest) of each customer.
    model_ : sklearn.cluster.KMeans
        The fitted model on the standardised ``log1p`` features.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"recency_days": np.r_[rng.integers(1, 10, 50), rng.integers(200, 300, 50)],
    ...                   "frequency": np.r_[rng.integers(10, 20, 50), rng.integers(1, 2, 50)],
    ...                   "monetary": np.r_[rng.uniform(500, 900, 50), rng.uniform(5, 20, 50)]})
    >>> RFMClusters(k_range=range(2, 5), random_state=0).fit(X).k_
    2
    """

    FEATURES = ("recency_days", "frequency", "monetary")

    def __init__(self, k_range: Sequence[int] = range(2, 9), *, random_state: int = 0, n_init: int = 10,
                 silhouette_sample: int = 5000) -> None:
        self.k_range = k_range
        self.random_state = random_state
        self.n_init = n_init
        self.silhouette_sample = silhouette_sample

    def _validate_params(self) -> list[int]:
        ks = sorted({int(k) for k in self.k_range})
        if not ks or ks[0] < 2:
            raise ModelError(f"k_range must hold integers >= 2; got {list(self.k_range)}")
        if int(self.n_init) < 1 or int(self.silhouette_sample) < 100:
            raise ModelError("n_init must be >= 1 and silhouette_sample >= 100")
        return ks

    def _features(self, frame: pd.DataFrame) -> np.ndarray:
        missing = [c for c in self.FEATURES if c not in frame.columns]
        if missing:
            raise DataError(f"missing column(s) {missing}; expected the output of rfm()", column=missing[0])
        X = frame[list(self.FEATURES)].astype(float)
        for col in self.FEATURES:
            bad = X[col].isna() | (X[col] < 0)
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise DataError(f"needs values >= 0 (no missing) for log scaling; got {X[col].iloc[i]!r} "
                                "(drop customers without purchases or with net returns first)", column=col, row=i + 1)
        return np.log1p(X.to_numpy())

    def fit(self, frame: pd.DataFrame) -> RFMClusters:
        """Fit on a frame with ``recency_days, frequency, monetary`` (the output of :func:`rfm`)."""
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score
        from sklearn.preprocessing import StandardScaler

        ks = self._validate_params()
        Z = self._features(frame)
        if len(Z) <= max(ks):
            raise DataError(f"need more customers ({len(Z)}) than the largest k ({max(ks)})")
        self.scaler_ = StandardScaler().fit(Z)
        Zs = self.scaler_.transform(Z)
        rows, models = [], {}
        for k in ks:
            km = KMeans(n_clusters=k, n_init=int(self.n_init), random_state=self.random_state).fit(Zs)
            if len(np.unique(km.labels_)) < 2:
                rows.append({"k": k, "silhouette": np.nan, "inertia": km.inertia_})
                continue
            sil = silhouette_score(Zs, km.labels_, sample_size=min(len(Zs), int(self.silhouette_sample)),
                                   random_state=self.random_state)
            rows.append({"k": k, "silhouette": float(sil), "inertia": float(km.inertia_)})
            models[k] = km
        self.silhouette_ = pd.DataFrame(rows)
        if not models:
            raise ModelError("K-means found no two distinct clusters for any k (all customers alike?)")
        self.k_ = int(self.silhouette_.loc[self.silhouette_["silhouette"].idxmax(), "k"])
        km = models[self.k_]
        # relabel clusters by mean monetary (0 = highest) so labels are stable and readable
        monetary = frame["monetary"].astype(float).to_numpy()
        means = pd.Series(monetary).groupby(km.labels_).mean().sort_values(ascending=False)
        self._relabel = {old: new for new, old in enumerate(means.index)}
        self.labels_ = np.vectorize(self._relabel.get)(km.labels_)
        self.model_ = km
        self.profile_ = self._profile(frame, self.labels_)
        return self

    def _profile(self, frame: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
        data = frame[list(self.FEATURES)].astype(float).assign(cluster=labels)
        g = data.groupby("cluster")
        prof = g.agg(customers=("monetary", "size"), recency_days=("recency_days", "mean"),
                     frequency=("frequency", "mean"), monetary=("monetary", "mean"),
                     monetary_total=("monetary", "sum")).reset_index()
        prof.insert(2, "customer_share", prof["customers"] / len(data))
        prof["monetary_share"] = prof["monetary_total"] / data["monetary"].sum()
        return prof

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Cluster of new customers (same feature columns)."""
        if not hasattr(self, "model_"):
            raise ModelError("RFMClusters is not fitted yet; call fit() first")
        raw = self.model_.predict(self.scaler_.transform(self._features(frame)))
        return np.vectorize(self._relabel.get)(raw)

    def summary(self) -> pd.DataFrame:
        """Profile table: ``cluster, customers, customer_share, recency_days, frequency, monetary
        (means), monetary_total, monetary_share``."""
        if not hasattr(self, "profile_"):
            raise ModelError("RFMClusters is not fitted yet; call fit() first")
        return self.profile_.copy()


# =========================================================================== value classes

#: The customer strategy matrix (客户策略矩阵): customers (existing/new) × offer (existing/new).
_STRATEGIES = {("existing", "existing"): "retain", ("existing", "new"): "expand",
               ("new", "existing"): "acquire", ("new", "new"): "diversify"}


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
        rows.append({"customers": cust, "offer": offer, "strategy": key,
                     "strategy_label": t(f"strategy.{key}", lang),
                     "description": t(f"strategy.{key}_text", lang), "risk": risk})
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
            raise DataError(f"{name} must lie strictly between 0 and 1; got {share!r}")
    cur = pd.to_numeric(data[current], errors="coerce").astype(float)
    pot = pd.to_numeric(data[potential], errors="coerce").astype(float)
    out = pd.DataFrame({"customer_id": data["customer_id"].to_numpy(), "current_value": cur.to_numpy(),
                        "potential_value": pot.to_numpy()})
    out["growth"] = out["potential_value"] - out["current_value"]
    cls = np.full(len(out), "other", dtype=object)
    missing = out["current_value"].isna().to_numpy()
    cls[missing] = None
    bzc = (out["current_value"] < 0).to_numpy()
    cls[bzc] = "bzc"
    pos = ~missing & ~bzc
    if pos.any():
        top = _tier_by_share(out["current_value"].to_numpy()[pos], np.array([float(mvc_share)])) == 0
        idx_pos = np.flatnonzero(pos)
        cls[idx_pos[top]] = "mvc"
        rest = idx_pos[~top]
        g = out["growth"].to_numpy()[rest]
        ok = np.isfinite(g) & (g > 0)
        if ok.any():
            grow = _tier_by_share(g[ok], np.array([float(mgc_share) * len(rest) / ok.sum()])) == 0
            cls[rest[ok][grow]] = "mgc"
    out["value_class"] = pd.Series(cls, dtype="string")
    actions = {"mvc": "retain", "mgc": "expand", "bzc": "reduce_cost", "other": "maintain"}
    out["value_class_label"] = out["value_class"].map(lambda k: t(f"value.{k}", lang) if isinstance(k, str) else pd.NA)
    out["action"] = out["value_class"].map(actions).astype("string")
    out["action_label"] = out["action"].map(lambda k: t(f"strategy.{k}", lang) if isinstance(k, str) else pd.NA)
    if missing.any():
        warnings.warn(f"value_classes: {int(missing.sum())} customer(s) with a missing current value get no class",
                      DataWarning, stacklevel=2)
    return out


def differentiation_matrix(
    data: pd.DataFrame,
    *,
    value: str = "current_value",
    needs: str = "needs",
    value_cut: float | None = None,
    needs_cut: float | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
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
    DataFrame
        One row per quadrant: ``quadrant`` (key), ``value_level``, ``needs_level``,
        ``customers``, ``share``, ``value_sum``, ``approach`` (label). The per-customer
        quadrant is in ``attrs["customers"]`` (``customer_id, quadrant``).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"customer_id": list("abcd"), "current_value": [1.0, 9, 2, 8], "needs": [1, 1, 7, 6]})
    >>> differentiation_matrix(d, lang="en")[["quadrant", "customers"]]
             quadrant  customers
    0      mass_market          1
    1    value_differ          1
    2    needs_differ          1
    3       one_to_one          1
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
    quad = np.select([~hv & ~hn, hv & ~hn, ~hv & hn, hv & hn],
                     ["mass_market", "value_differ", "needs_differ", "one_to_one"], None)
    quad = np.where(v.isna() | nd.isna(), None, quad)
    per = pd.DataFrame({"customer_id": data["customer_id"].to_numpy(), "quadrant": quad, "value": v.to_numpy()})
    keys = ["mass_market", "value_differ", "needs_differ", "one_to_one"]
    g = per.dropna(subset=["quadrant"]).groupby("quadrant")
    out = pd.DataFrame({"quadrant": keys,
                        "value_level": ["low", "high", "low", "high"], "needs_level": ["low", "low", "high", "high"]})
    out["customers"] = out["quadrant"].map(g.size()).fillna(0).astype("int64")
    out["share"] = out["customers"] / max(int(out["customers"].sum()), 1)
    out["value_sum"] = out["quadrant"].map(g["value"].sum()).fillna(0.0)
    out["approach"] = [t(f"diffmatrix.{k}", lang) for k in keys]
    out.attrs["customers"] = per[["customer_id", "quadrant"]]
    out.attrs["cuts"] = {"value": vc, "needs": nc}
    return out


#: The seven strategic-customer criteria (战略客户七条标准), COURSE.md §3.
STRATEGIC_CRITERIA: tuple[str, ...] = ("size", "influence", "stability", "competition", "value_adding",
                                       "cost_saving", "potential")


def strategic_score(
    data: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
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
    DataFrame
        ``customer_id``, one ``w_<criterion>`` contribution column per criterion (weight ×
        score), ``score`` (sum; NaN if a weighted criterion is missing), ``rank`` (1 = most
        strategic). ``attrs["weights"]`` has the normalised weights with labels.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"customer_id": ["x", "y"], **{c: [5, 1] for c in STRATEGIC_CRITERIA}})
    >>> d.loc[1, "potential"] = 5
    >>> strategic_score(d, {"size": 1, "potential": 1})[["customer_id", "score", "rank"]]
      customer_id  score  rank
    0           x    5.0     1
    1           y    3.0     2
    """
    check_language(lang)
    cols = {c: c for c in STRATEGIC_CRITERIA} | dict(columns or {})
    unknown = set(cols) - set(STRATEGIC_CRITERIA)
    if unknown:
        raise DataError(f"unknown criteria {sorted(unknown)}; expected {list(STRATEGIC_CRITERIA)}")
    w = {c: 1.0 for c in STRATEGIC_CRITERIA} if weights is None else {c: float(weights.get(c, 0.0))
                                                                       for c in STRATEGIC_CRITERIA}
    if weights is not None and set(weights) - set(STRATEGIC_CRITERIA):
        raise DataError(f"unknown criteria in weights {sorted(set(weights) - set(STRATEGIC_CRITERIA))}; "
                        f"expected {list(STRATEGIC_CRITERIA)}")
    if any(not np.isfinite(x) or x < 0 for x in w.values()) or sum(w.values()) <= 0:
        raise DataError(f"weights must be >= 0 with a positive sum; got {w}")
    total = sum(w.values())
    w = {c: x / total for c, x in w.items()}
    used = [c for c in STRATEGIC_CRITERIA if w[c] > 0]
    missing = [cols[c] for c in used if cols[c] not in data.columns]
    if "customer_id" not in data.columns or missing:
        raise DataError(f"missing column(s) {(['customer_id'] if 'customer_id' not in data.columns else []) + missing}",
                        column=(missing or ["customer_id"])[0])
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
    out.attrs["weights"] = pd.DataFrame({"criterion": list(STRATEGIC_CRITERIA),
                                         "criterion_label": [t(f"strategic.{c}", lang) for c in STRATEGIC_CRITERIA],
                                         "weight": [w[c] for c in STRATEGIC_CRITERIA]})
    return out


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
        raise DataError(f"silent_share must lie in [0, 1); got {silent_share!r}")
    if not 0 <= churn_share <= 1:
        raise DataError(f"churn_share must lie in [0, 1]; got {churn_share!r}")
    for name, v in (("complaints", complaints), ("retention_cost", retention_cost),
                    ("acquisition_multiple", acquisition_multiple), ("customer_value", customer_value)):
        if not np.isfinite(v) or v < 0:
            raise DataError(f"{name} must be a number >= 0; got {v!r}")
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
        ("replacement_cost", lost * retention_cost * acquisition_multiple,
         f"lost × {retention_cost:g} × {acquisition_multiple:g}"),
        ("retention_cost_total", lost * retention_cost, f"lost × {retention_cost:g}"),
        ("saving_by_retention", lost * retention_cost * (acquisition_multiple - 1),
         "replacement_cost − retention_cost_total"),
    ]
    return pd.DataFrame({"item": [r[0] for r in rows], "item_label": [t(f"retention.{r[0]}", lang) for r in rows],
                         "value": [round(float(r[1]), 9) for r in rows], "formula": [r[2] for r in rows]})


# =========================================================================== uplift tree (bank example)


@dataclass
class UpliftTreeResult:
    """Result of :func:`uplift_tree`.

    Attributes
    ----------
    balance : DataFrame
        Covariate balance of experiment vs control: ``feature, mean_treated, mean_control,
        smd`` (standardised mean difference), ``p_value``, ``balanced`` (|smd| < 0.1).
    leaves : DataFrame
        Per leaf: ``leaf, rule, customers, n_train`` (experiment customers the tree was grown
        on), ``n_treated`` (held-out experiment customers), ``n_control``,
        ``rate_treated_train``, ``rate_treated`` (held-out experiment group), ``rate_control``,
        ``uplift = rate_treated − rate_control`` with ``ci_low, ci_high`` (Wald CI of the
        difference), ``benefit_per_customer`` (uplift × value − cost) and ``benefit`` (times the
        leaf's customers), sorted by uplift descending. The uplift is estimated on customers
        the tree never saw, so choosing the leaves does not inflate it.
    rules : str
        The tree as text in the chosen language (``export_text`` layout), each leaf with its
        response rates (experiment / control), uplift and CI.
    tree : sklearn.tree.DecisionTreeClassifier
        The tree grown on the experiment group's training part.
    features : list of str
    """

    balance: pd.DataFrame
    leaves: pd.DataFrame
    rules: str
    tree: Any
    features: list[str]
    lang: str = "zh"
    extra: dict[str, Any] = field(default_factory=dict)

    def figure(self, title: str | None = None) -> go.Figure:
        """Uplift per leaf with confidence intervals."""
        return plot_uplift(self, lang=self.lang, title=title)


def _leaf_rules(tree: Any, features: Sequence[str], names: Mapping[str, str], lang: str) -> dict[int, str]:
    """Conjunction of split conditions leading to each leaf."""
    tr = tree.tree_
    conj = " 且 " if lang == "zh" else " and "
    rules: dict[int, str] = {}

    def walk(node: int, conds: list[str]) -> None:
        if tr.children_left[node] == -1:
            rules[node] = conj.join(conds) if conds else t("uplift.all_customers", lang)
            return
        name = names.get(features[tr.feature[node]], features[tr.feature[node]])
        thr = tr.threshold[node]
        walk(tr.children_left[node], conds + [f"{name} <= {thr:g}"])
        walk(tr.children_right[node], conds + [f"{name} > {thr:g}"])

    walk(0, [])
    return rules


def _tree_text(tree: Any, features: Sequence[str], names: Mapping[str, str], stats: pd.DataFrame, lang: str) -> str:
    """The tree in ``export_text`` layout, each leaf with its response rates and uplift."""
    tr = tree.tree_
    lines: list[str] = []

    def walk(node: int, depth: int) -> None:
        pad = "|   " * depth + "|--- "
        if tr.children_left[node] == -1:
            st = stats.loc[node]
            lines.append(pad + t("uplift.leaf_text", lang, rt=st["rate_treated"], rc=st["rate_control"],
                                 u=st["uplift"], lo=st["ci_low"], hi=st["ci_high"], n=int(st["customers"])))
            return
        name = names.get(features[tr.feature[node]], features[tr.feature[node]])
        lines.append(pad + f"{name} <= {tr.threshold[node]:g}")
        walk(tr.children_left[node], depth + 1)
        lines.append(pad + f"{name} >  {tr.threshold[node]:g}")
        walk(tr.children_right[node], depth + 1)

    walk(0, 0)
    return "\n".join(lines)


def uplift_tree(
    data: pd.DataFrame,
    treatment: str,
    outcome: str,
    features: Sequence[str],
    *,
    max_depth: int = 3,
    min_samples_leaf: int | float = 0.05,
    holdout_share: float = 0.3,
    value_per_response: float = 1.0,
    cost_per_contact: float = 0.0,
    conf_level: float = 0.95,
    feature_labels: Mapping[str, str] | None = None,
    random_state: int = 0,
    lang: str = "zh",
) -> UpliftTreeResult:
    """The course's bank decision tree with a control group (决策树与对照组).

    Steps (COURSE.md §3): (1) check that the randomised experiment group (``treatment = 1``,
    offer made) and the control group (``treatment = 0``) have the same make-up on the
    covariates; (2) grow a depth-limited decision tree (scikit-learn) on a training part of
    the experiment group, predicting the response; (3) drop the control group and the held-out
    part of the experiment group down the same tree; (4) per leaf report the response rates,
    the uplift (held-out experiment − control) with a Wald confidence interval, and the benefit.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    treatment : str
        0/1 column, 1 = experiment group.
    outcome : str
        0/1 response column.
    features : list of str
        Numeric (or 0/1) covariates for the tree and the balance check.
    max_depth : int
        Depth limit keeping the tree readable.
    min_samples_leaf : int or float
        Passed to :class:`~sklearn.tree.DecisionTreeClassifier`.
    holdout_share : float
        Share of the experiment group held out to validate the leaves' response rates.
    value_per_response : float
        Value of one extra response (e.g. margin of one product sold, yuan).
    cost_per_contact : float
        Cost of making the offer to one customer.
    conf_level : float
        Confidence level of the uplift intervals.
    feature_labels : mapping, optional
        Display names of the features in the rules (e.g. ``{"age": "年龄"}``).
    random_state : int
    lang : {"zh", "en"}

    Returns
    -------
    UpliftTreeResult

    Examples
    --------
    >>> from csworkbench.datasets.transactions import make_bank_customers
    >>> bank = make_bank_customers(4000, random_state=1)
    >>> res = uplift_tree(bank, "treatment", "response", ["age", "salary", "owns_car"], lang="en")
    >>> bool(res.balance["balanced"].all())
    True
    >>> bool(res.leaves["uplift"].iloc[0] > res.leaves["uplift"].iloc[-1])
    True
    """
    from scipy import stats
    from sklearn.tree import DecisionTreeClassifier

    check_language(lang)
    features = list(features)
    for col in [treatment, outcome, *features]:
        if col not in data.columns:
            raise DataError(f"no column {col!r}; found {list(data.columns)}", column=col)
    for col in (treatment, outcome):
        vals = set(pd.unique(data[col].dropna()))
        if not vals <= {0, 1, True, False}:
            raise DataError(f"must hold 0/1; found {sorted(map(str, vals))[:5]}", column=col)
        if data[col].isna().any():
            row = int(np.flatnonzero(data[col].isna().to_numpy())[0]) + 1
            raise DataError("missing value; every customer needs a group and an outcome", column=col, row=row)
    X = data[features].apply(pd.to_numeric, errors="coerce")
    if X.isna().any().any():
        col = X.columns[X.isna().any()][0]
        row = int(np.flatnonzero(X[col].isna().to_numpy())[0]) + 1
        raise DataError("must be numeric with no missing values (encode categories as 0/1 first)", column=col, row=row)
    if not 0 < holdout_share < 1:
        raise DataError(f"holdout_share must lie strictly between 0 and 1; got {holdout_share!r}")
    treat = data[treatment].astype(int).to_numpy()
    y = data[outcome].astype(int).to_numpy()
    if treat.sum() < 20 or (1 - treat).sum() < 20:
        raise DataError(f"need at least 20 customers in each group; got {int(treat.sum())} experiment, "
                        f"{int((1 - treat).sum())} control", column=treatment)

    # (1) balance
    rows = []
    for col in features:
        a, b = X[col].to_numpy()[treat == 1], X[col].to_numpy()[treat == 0]
        pooled = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
        smd = (a.mean() - b.mean()) / pooled if pooled > 0 else 0.0
        p = stats.ttest_ind(a, b, equal_var=False).pvalue if pooled > 0 else 1.0
        rows.append({"feature": col, "feature_label": (feature_labels or {}).get(col, col),
                     "mean_treated": a.mean(), "mean_control": b.mean(),
                     "smd": smd, "p_value": p, "balanced": abs(smd) < 0.1})
    balance = pd.DataFrame(rows)
    if not balance["balanced"].all():
        warnings.warn("uplift_tree: experiment and control groups differ on "
                      f"{balance.loc[~balance['balanced'], 'feature'].tolist()} (|SMD| >= 0.1); "
                      "the uplift per leaf may be biased", DataWarning, stacklevel=2)

    # (2) tree on the experiment group's training part
    rng = np.random.default_rng(random_state)
    idx_t = np.flatnonzero(treat == 1)
    hold = np.zeros(len(data), dtype=bool)
    hold[rng.choice(idx_t, size=int(round(holdout_share * len(idx_t))), replace=False)] = True
    train = (treat == 1) & ~hold
    tree = DecisionTreeClassifier(max_depth=int(max_depth), min_samples_leaf=min_samples_leaf,
                                  random_state=random_state).fit(X.to_numpy()[train], y[train])
    leaf = tree.apply(X.to_numpy())

    # (3)-(4) per leaf
    names = dict(feature_labels or {})
    rules = _leaf_rules(tree, features, names, lang)
    z = stats.norm.ppf(0.5 + conf_level / 2)
    recs = []
    for node, rule in rules.items():
        m = leaf == node
        nt, nc = int((m & train).sum()), int((m & (treat == 0)).sum())
        nh = int((m & hold).sum())
        # honest estimate: the leaf was chosen on the training part, so the uplift compares the
        # held-out experiment customers with the control group (no winner's curse)
        mt = m & hold
        rt = y[mt].mean() if mt.any() else np.nan
        rc = y[m & (treat == 0)].mean() if nc else np.nan
        se = np.sqrt(rt * (1 - rt) / max(mt.sum(), 1) + rc * (1 - rc) / max(nc, 1)) if nc and mt.any() else np.nan
        upl = rt - rc
        recs.append({"leaf": int(node), "rule": rule, "customers": int(m.sum()), "n_train": nt,
                     "n_treated": int(mt.sum()), "n_control": nc,
                     "rate_treated_train": y[m & train].mean() if nt else np.nan,
                     "rate_treated": rt, "rate_control": rc, "uplift": upl,
                     "ci_low": upl - z * se, "ci_high": upl + z * se,
                     "benefit_per_customer": upl * value_per_response - cost_per_contact,
                     "benefit": (upl * value_per_response - cost_per_contact) * int(m.sum())})
    leaves = pd.DataFrame(recs).sort_values("uplift", ascending=False, kind="stable").reset_index(drop=True)
    text = _tree_text(tree, features, names, leaves.set_index("leaf"), lang)
    return UpliftTreeResult(balance, leaves, text, tree, features, lang,
                            {"holdout_rows": np.flatnonzero(hold), "train_rows": np.flatnonzero(train)})


# =========================================================================== tables for reports


def display_table(frame: pd.DataFrame, lang: str = "zh", *, drop_keys: bool = True, mask: bool = False) -> pd.DataFrame:
    """A copy of a result table with its column names in ``lang`` (for notebooks and reports).

    Column ``x`` is renamed with the label ``tiercol.x`` when there is one; others keep their
    names. With ``drop_keys``, key columns that have a label column next to them (``tier`` next
    to ``tier_label``, ``segment``, ``value_class``, ``action``, ``measure``, ``quadrant`` …) are
    dropped, since the label says the same in the reader's language.  With ``mask``, customer
    ids that are personal data — a mobile number, an ID-card or a bank-card number — are masked
    (:func:`csworkbench.complaints.privacy.mask_pii`); other ids are shown as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> p = customer_pyramid(pd.Series([3.0, 2, 1]), cuts=(0.4, 0.2, 0.2, 0.2))
    >>> list(display_table(tier_summary(p), "zh").columns)[:3]
    ['层级', '客户数', '客户占比']
    >>> ids = pd.DataFrame({"customer_id": ["00017", "13812345678"], "clv": [1.0, 2.0]})
    >>> display_table(ids, "en", mask=True).iloc[:, 0].tolist()
    ['00017', '138****5678']
    """
    check_language(lang)
    out = frame.copy()
    if mask and "customer_id" in out.columns:
        from .complaints.privacy import mask_pii

        out["customer_id"] = mask_pii(out["customer_id"].astype("object"))
    if drop_keys:
        out = out.drop(columns=[c for c in out.columns if f"{c}_label" in out.columns])
    from .i18n import load_catalog

    catalog = load_catalog()
    out.columns = [catalog[f"tiercol.{c}"][lang] if f"tiercol.{c}" in catalog else c for c in out.columns]
    out.attrs = {}
    return out


# =========================================================================== plots


def plot_pyramid(pyramid: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """The customer pyramid as centred bars: width = share of customers, text = share of value.

    Parameters
    ----------
    pyramid : DataFrame
        Output of :func:`customer_pyramid` (or of :func:`tier_summary`).

    Examples
    --------
    >>> import pandas as pd
    >>> fig = plot_pyramid(customer_pyramid(pd.Series(range(1, 101), dtype=float)), lang="en")
    >>> len(fig.data)
    1
    """
    summary = pyramid if "customer_share" in pyramid.columns else tier_summary(pyramid, lang=lang)
    summary = summary[summary["tier"] != "total"]
    fig = _figure(title or t("tier.pyramid_title", lang))
    fig.add_trace(go.Funnel(
        y=summary["tier_label"], x=summary["customers"],
        text=[t("tier.pyramid_text", lang, c=c, v=v) for c, v in zip(summary["customer_share"], summary["value_share"])],
        textinfo="text", orientation="h"))
    return fig


def plot_lorenz(result: LorenzResult, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Pareto curve (top customers first) with equality line and the 20 %/80 % markers.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = plot_lorenz(lorenz(pd.Series([1.0, 2, 3, 10])), lang="en")
    >>> len(fig.data)
    3
    """
    p = result.pareto
    fig = _figure(title or t("tier.lorenz_title", lang, g=result.gini))
    fig.add_trace(go.Scatter(x=p["customer_share"], y=p["value_share"], mode="lines",
                             name=t("tier.pareto_curve", lang)))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line={"dash": "dot"}, name=t("tier.equality", lang)))
    fig.add_trace(go.Scatter(x=[0.2, result.share_for_80], y=[result.top20_share, 0.8], mode="markers+text",
                             text=[t("tier.top20_text", lang, y=result.top20_share),
                                   t("tier.share80_text", lang, x=result.share_for_80)],
                             textposition="bottom right", name=t("tier.markers", lang)))
    fig.update_xaxes(title_text=t("tier.customer_share_top", lang), tickformat=".0%")
    fig.update_yaxes(title_text=t("tier.value_share", lang), tickformat=".0%")
    return fig


def plot_rfm(scores: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Heat map of customers per R × F score with the mean monetary value in the hover.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": list("abcd"), "amount": [1.0, 2, 3, 4],
    ...                    "date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]})
    >>> plot_rfm(rfm(tx), lang="en").data[0].type
    'heatmap'
    """
    ok = scores.dropna(subset=["R", "F"])
    bins = int(max(ok["R"].max(), ok["F"].max(), 2))
    counts = ok.groupby(["F", "R"]).size().unstack(fill_value=0).reindex(index=range(1, bins + 1),
                                                                         columns=range(1, bins + 1), fill_value=0)
    money = ok.groupby(["F", "R"])["monetary"].mean().unstack().reindex(index=range(1, bins + 1),
                                                                        columns=range(1, bins + 1))
    fig = _figure(title or t("rfm.title", lang))
    fig.add_trace(go.Heatmap(z=counts.to_numpy(), x=list(counts.columns), y=list(counts.index),
                             customdata=money.to_numpy(), text=counts.to_numpy(), texttemplate="%{text}",
                             hovertemplate="R=%{x} F=%{y}: %{z}<br>M=%{customdata:.1f}<extra></extra>",
                             colorscale="Blues"))
    fig.update_xaxes(title_text=t("rfm.R", lang), dtick=1)
    fig.update_yaxes(title_text=t("rfm.F", lang), dtick=1)
    return fig


def plot_uplift(result: UpliftTreeResult, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Uplift per leaf (treated − control response rate) with confidence intervals."""
    lv = result.leaves
    fig = _figure(title or t("uplift.title", lang))
    fig.add_trace(go.Bar(x=lv["uplift"], y=lv["rule"], orientation="h",
                         error_x={"type": "data", "symmetric": False, "array": lv["ci_high"] - lv["uplift"],
                                  "arrayminus": lv["uplift"] - lv["ci_low"]},
                         name=t("uplift.uplift", lang)))
    fig.update_xaxes(title_text=t("uplift.uplift", lang), tickformat=".0%")
    fig.update_yaxes(autorange="reversed")
    return fig
