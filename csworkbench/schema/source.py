"""The transaction source (交易数据源): a validated transaction log as a DuckDB view (data layer).

:func:`open_transactions` takes a pandas frame (validated with
:func:`csworkbench.schema.validate_transactions`) or the path of a Parquet file or folder of
Parquet files (read by DuckDB without loading it into pandas) and returns a
:class:`TransactionSource`: a DuckDB connection holding the view
``tx(customer_id, pday, amount, margin, row)`` — one row per usable record, ``pday`` the
purchase day, ``row`` the 1-based data row — and the :class:`~csworkbench.problems.Problems`
found on the way (rows without a customer id or date dropped; amounts that are not numbers
kept as NaN; returns and future dates flagged).  The capability modules
(:mod:`csworkbench.tiers`, :mod:`csworkbench.clv`) aggregate that view with SQL; they never
read files themselves.

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["a", None, "b"], "date": ["2024-01-01", "2024-01-02", "2024-01-03"],
...                    "amount": [10.0, 2.0, -3.0]})
>>> with open_transactions(tx, today="2025-01-01") as src:
...     print(src.scalar("SELECT count(*) FROM tx"), src.n_returns, src.cutoff().date())
2 1 2024-01-03
>>> src.problems.frame()[["row", "problem", "action"]].values.tolist()
[[2, 'missing customer id', 'dropped'], [3, 'negative amount: treated as a return', 'flagged']]
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ..problems import Problems, part
from .transactions import validate_transactions

__all__ = ["TransactionSource", "open_transactions", "parse_date", "warn_excluded", "MAX_LISTED"]

#: Rows listed per kind of problem for Parquet input (the count of the rest is given).
MAX_LISTED = 1000

_NUMERIC = {
    "DOUBLE",
    "FLOAT",
    "REAL",
    "DECIMAL",
    "INTEGER",
    "BIGINT",
    "SMALLINT",
    "TINYINT",
    "HUGEINT",
    "UBIGINT",
    "UINTEGER",
    "USMALLINT",
    "UTINYINT",
}


class TransactionSource:
    """Transactions ready for DuckDB: the view ``tx(customer_id, pday, amount, margin, row)``.

    Attributes
    ----------
    con : duckdb.DuckDBPyConnection
    problems : csworkbench.problems.Problems
        What was found while opening (and what the caller adds).
    label : str or None
        The file (or the frame's ``attrs["source"]``), named in errors.
    limit : Timestamp
        Dates after this are in the future.
    first_day, last_day : Timestamp
        The date range of ``tx``.
    last_not_future : Timestamp or None
        The latest date not after ``limit``.
    n_returns : int
        Records with a negative amount.

    Use it as a context manager (or call :meth:`close`) to free the connection.
    """

    def __init__(self, con: Any, problems: Problems, label: str | None, limit: pd.Timestamp) -> None:
        self.con = con
        self.problems = problems
        self.label = label
        self.limit = limit
        self.first_day: pd.Timestamp = pd.Timestamp("NaT")  # set when the view is ready
        self.last_day: pd.Timestamp = pd.Timestamp("NaT")
        self.last_not_future: pd.Timestamp | None = None
        self.n_returns = 0

    def __enter__(self) -> TransactionSource:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _collect_stats(self) -> None:
        """One scan for the date range, the latest date not in the future and the returns."""
        lim = self.limit.date().isoformat()
        first, last, last_ok, n, n_ret = self.con.execute(
            f"SELECT min(pday), max(pday), max(pday) FILTER (WHERE pday <= DATE '{lim}'), count(*), "
            f"count(*) FILTER (WHERE amount < 0) FROM tx"
        ).fetchall()[0]
        if not n:
            raise DataError(
                "no valid transaction left after validation (no rows with customer id and date)",
                path=self.label,
                problems=self.problems.frame(),
            )
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
        """The result of ``query`` as a pandas frame."""
        # through Arrow: three times faster than .df() for millions of string ids
        table = self.con.sql(query, params=params or None).to_arrow_table()
        return table.to_pandas(date_as_object=False)

    def scalar(self, query: str, params: Sequence[Any] | None = None) -> Any:
        """The single value ``query`` returns."""
        return self.con.execute(query, params or []).fetchall()[0][0]

    def list_rows(
        self,
        where: str,
        column: str,
        value_sql: str,
        code: str,
        action: str,
        *,
        n: int | None = None,
        table: str = "tx",
        **params: Any,
    ) -> int:
        """Add problem ``code`` for the rows of ``table`` matching ``where`` (at most :data:`MAX_LISTED`).

        ``params`` fill the problem's template; returns the number of rows matching.
        """
        if n is None:
            n = int(self.scalar(f"SELECT count(*) FROM {table} WHERE {where}"))
        if n:
            rows = self.sql(
                f"SELECT row, CAST({value_sql} AS VARCHAR) AS v FROM {table} WHERE {where} "
                f"ORDER BY row LIMIT {MAX_LISTED}"
            )
            self.problems.add(
                code, rows=rows["row"].tolist(), column=column, values=rows["v"].tolist(), action=action, **params
            )
            if n > MAX_LISTED:
                self.problems.add(
                    code, rows=[None], column=column, values=[f"{n - MAX_LISTED} more rows"], action=action, **params
                )
        return n

    def close(self) -> None:
        """Close the DuckDB connection."""
        self.con.close()


def parse_date(value: Any, name: str) -> pd.Timestamp:
    """``value`` as a day (midnight); :class:`~csworkbench.errors.ParameterError` naming ``name`` if it is none.

    >>> parse_date("1997-09-30", "calibration_end")
    Timestamp('1997-09-30 00:00:00')
    """
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a date such as '1997-09-30'; got {value!r}") from None
    if pd.isna(stamp):
        raise ParameterError(f"{name} must be a date such as '1997-09-30'; got {value!r}")
    return stamp.normalize()


def warn_excluded(problems: pd.DataFrame, what: str, *, stacklevel: int = 3) -> None:
    """One :class:`~csworkbench.errors.DataWarning` counting the rows ``what`` dropped or excluded.

    Flagged rows and values kept as NaN are left out of the warning (they are in the table).
    """
    excluded = problems[~problems["action"].isin(["flagged", "kept as NaN"])]
    if len(excluded):
        counts = excluded.groupby("problem", sort=False).size()
        text = "; ".join(f"{n} × {p}" for p, n in counts.items())
        warnings.warn(f"{what}: excluded {text} (see the result's problems)", DataWarning, stacklevel=stacklevel + 1)


def _connect() -> Any:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def open_transactions(
    transactions: pd.DataFrame | str | os.PathLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    margin: str | None = None,
    today: str | pd.Timestamp | None = None,
) -> TransactionSource:
    """Validate a transactions frame, or open a Parquet file / folder, as the DuckDB view ``tx``.

    Parameters
    ----------
    transactions : DataFrame or path
        One row per purchase record, or the path of a ``.parquet`` file or of a folder of them.
    customer_id, date, amount : str
        Column names.
    margin : str, optional
        Column with the margin of each record.
    today : date-like, optional
        Dates after this are "in the future" (default: today).

    Returns
    -------
    TransactionSource
        Rows with no customer id or no parseable date are dropped and listed; non-numeric
        amounts become NULL (missing) and are listed; returns and future dates are flagged.

    Raises
    ------
    DataError
        Not a frame or Parquet file/folder, columns missing, or no valid row left.
    """
    limit = (
        pd.Timestamp(today).normalize() if today is not None else pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    )
    if isinstance(transactions, pd.DataFrame):
        return _from_frame(transactions, customer_id, date, amount, margin, today, limit)
    if not isinstance(transactions, (str, os.PathLike)):
        raise DataError(
            f"transactions must be a pandas DataFrame or the path of a Parquet file or folder; "
            f"got {type(transactions).__name__}"
        )
    return _from_parquet(Path(transactions), customer_id, date, amount, margin, limit)


def _from_frame(
    transactions: pd.DataFrame,
    customer_id: str,
    date: str,
    amount: str,
    margin: str | None,
    today: Any,
    limit: pd.Timestamp,
) -> TransactionSource:
    label = transactions.attrs.get("source")
    frame = transactions.assign(_csw_row=np.arange(1, len(transactions) + 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        checked = validate_transactions(
            frame, customer_id=customer_id, date=date, amount=amount, margin=margin, today=today, path=label
        )
    problems = Problems(path=label)
    problems.extend(checked.problems)
    clean = checked.data
    keep = {
        "customer_id": clean["customer_id"].astype(str),
        "pday": clean["date"].dt.normalize(),
        "amount": clean["amount"].astype("float64"),
        "row": clean["_csw_row"].astype("int64"),
    }
    keep["margin"] = clean["margin"].astype("float64") if margin else np.nan
    con = _connect()
    con.register("tx_frame", pd.DataFrame(keep))
    con.execute(
        "CREATE VIEW tx AS SELECT customer_id, CAST(pday AS DATE) AS pday, amount, "
        "CAST(margin AS DOUBLE) AS margin, row FROM tx_frame"
    )
    return _ready(TransactionSource(con, problems, label, limit))


def _ready(src: TransactionSource) -> TransactionSource:
    try:
        src._collect_stats()
    except DataError:
        src.close()
        raise
    return src


def _parquet_pattern(path: Path) -> str:
    if path.is_dir():
        if not any(path.rglob("*.parquet")):
            raise DataError("folder holds no .parquet files; expected a Parquet dataset", path=path)
        return str(path / "**" / "*.parquet")
    if path.is_file():
        if path.suffix.lower() not in (".parquet", ".pq"):
            raise DataError(
                f"expected a Parquet file (.parquet) or a pandas DataFrame; got {path.suffix!r} "
                "(read other formats with csworkbench.io.read_table first)",
                path=path,
            )
        return str(path)
    raise DataError("no such file or folder", path=path)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _from_parquet(
    path: Path, customer_id: str, date: str, amount: str, margin: str | None, limit: pd.Timestamp
) -> TransactionSource:
    import duckdb

    pattern = _parquet_pattern(path)
    con = _connect()
    src = TransactionSource(con, Problems(path=str(path)), str(path), limit)
    try:
        literal = "'" + pattern.replace("'", "''") + "'"
        con.execute(
            f"CREATE VIEW raw AS SELECT * FROM read_parquet({literal}, file_row_number = true, union_by_name = true)"
        )
        types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE raw)").fetchall())
        missing = [c for c in [customer_id, date, amount] + ([margin] if margin else []) if c not in types]
        if missing:
            raise DataError(f"missing column(s) {missing}; found {list(types)}", path=path, column=missing[0])
        numeric_amount = types[amount].upper().split("(")[0] in _NUMERIC
        con.execute(_parquet_view_sql(types, customer_id, date, amount, margin, numeric_amount))
        checks = _parquet_checks(customer_id, date, amount, numeric_amount, limit.date().isoformat())
        counts = con.execute(
            "SELECT " + ", ".join(f"count(*) FILTER (WHERE {c[0]})" for c in checks) + " FROM tx_all"
        ).fetchall()[0]
        for (where, column, value_sql, code, action, params), n in zip(checks, counts):
            if n:
                src.list_rows(where, column, value_sql, code, action, n=int(n), table="tx_all", **params)
        con.execute(
            "CREATE VIEW tx AS SELECT customer_id, pday, amount, margin, row FROM tx_all "
            "WHERE customer_id IS NOT NULL AND pday IS NOT NULL"
        )
    except duckdb.Error as exc:
        con.close()
        raise DataError(f"cannot read as Parquet: {exc}", path=path) from None
    except DataError:
        con.close()
        raise
    return _ready(src)


def _parquet_view_sql(
    types: dict[str, str], customer_id: str, date: str, amount: str, margin: str | None, numeric_amount: bool
) -> str:
    """SQL of the view ``tx_all``: the Parquet columns cast to id, day, amount and margin, with the raw values."""
    q = _quote
    date_sql = (
        f"TRY_CAST({q(date)} AS DATE)"
        if not types[date].upper().startswith(("TIMESTAMP", "DATE"))
        else f"CAST({q(date)} AS DATE)"
    )
    margin_sql = f"TRY_CAST({q(margin)} AS DOUBLE)" if margin else "CAST(NULL AS DOUBLE)"
    # ids are taken as stored (no trimming: that would cost a string copy of every row)
    id_sql = (
        f"NULLIF({q(customer_id)}, '')"
        if types[customer_id].upper() == "VARCHAR"
        else f"CAST({q(customer_id)} AS VARCHAR)"
    )
    amount_sql = f"CAST({q(amount)} AS DOUBLE)" if numeric_amount else f"TRY_CAST({q(amount)} AS DOUBLE)"
    return f"""CREATE VIEW tx_all AS SELECT {id_sql} AS customer_id,
                        {date_sql} AS pday, {amount_sql} AS amount, {margin_sql} AS margin,
                        file_row_number + 1 AS row, {q(amount)} AS amount_raw, {q(date)} AS date_raw FROM raw"""


def _parquet_checks(
    customer_id: str, date: str, amount: str, numeric_amount: bool, lim: str
) -> list[tuple[str, str, str, str, str, dict[str, Any]]]:
    """The row checks on ``tx_all``: (where, column, value, code, action, template parameters)."""
    return [
        ("customer_id IS NULL", customer_id, "customer_id", "missing_customer", "dropped", {}),
        (
            "customer_id IS NOT NULL AND pday IS NULL AND date_raw IS NOT NULL",
            date,
            "date_raw",
            "not_a_date",
            "dropped",
            {"part": part("date_example", example="2024-03-31")},
        ),
        ("customer_id IS NOT NULL AND date_raw IS NULL", date, "date_raw", "missing_date", "dropped", {}),
        (
            "amount IS NULL AND amount_raw IS NOT NULL" if not numeric_amount else "FALSE",
            amount,
            "amount_raw",
            "not_numeric_field",
            "kept_nan",
            {"field": "amount"},
        ),
        ("amount IS NULL AND amount_raw IS NULL", amount, "amount_raw", "missing_amount", "kept_nan", {}),
        (
            "amount < 0 AND customer_id IS NOT NULL AND pday IS NOT NULL",
            amount,
            "amount",
            "negative_amount",
            "flagged",
            {},
        ),
        (
            f"pday > DATE '{lim}' AND customer_id IS NOT NULL",
            date,
            "pday",
            "future_date",
            "flagged",
            {"limit": lim},
        ),
    ]
