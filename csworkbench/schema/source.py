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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ..problems import Problems
from ._common import DEFAULT_TZ
from ._relation import MAX_LISTED, RelationCheck
from .transactions import future_limit, validate_transactions

__all__ = [
    "TransactionSource",
    "SQLQuery",
    "open_transactions",
    "parse_date",
    "warn_excluded",
    "MAX_LISTED",
    "DEFAULT_TZ",
]


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

    def daily(self, cutoff: pd.Timestamp, *, margin: bool = True) -> None:
        """Temp table ``daily``: one row per customer and day up to ``cutoff`` (same-day records summed).

        Columns: ``customer_id, pday, amt`` (sum of non-negative amounts), ``n_buy`` (purchase
        records, amount >= 0 or missing), ``n_miss`` (records with a missing amount), ``n_known``
        (records with one), ``ret`` (sum of negative amounts), ``n_rows``, and with ``margin``
        also ``margin`` and ``n_margin``.
        """
        margin_sql = ", sum(margin) AS margin, count(margin) AS n_margin" if margin else ""
        self.con.execute(f"""CREATE OR REPLACE TEMP TABLE daily AS
            SELECT customer_id, pday,
                   sum(amount) FILTER (WHERE amount >= 0) AS amt,
                   count(*) - count(*) FILTER (WHERE amount < 0) AS n_buy,
                   count(*) - count(amount) AS n_miss, count(amount) AS n_known,
                   coalesce(sum(amount) FILTER (WHERE amount < 0), 0) AS ret,
                   count(*) AS n_rows{margin_sql}
            FROM tx WHERE pday <= DATE '{cutoff.date().isoformat()}' GROUP BY customer_id, pday""")

    def frame(self) -> pd.DataFrame:
        """The validated records in row order: ``customer_id, date, amount, margin, row``."""
        out = self.sql("SELECT customer_id, ts AS date, amount, margin, row FROM tx ORDER BY row")
        out["customer_id"] = out["customer_id"].astype("string")
        out["date"] = out["date"].astype("datetime64[us]")
        return out

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
            rows = self.sql(f"SELECT row, {value_sql} AS v FROM {table} WHERE {where} ORDER BY row LIMIT {MAX_LISTED}")
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


@dataclass(frozen=True)
class SQLQuery:
    """A transaction log held in a database: where it is and the query that returns it.

    Parameters
    ----------
    connection : str, DuckDB connection, SQLAlchemy engine/connection or sqlite3 connection
        A database URL (``"sqlite:///shop.db"``, ``"postgresql://user@host/db"``), the path of a
        SQLite file (``.db``, ``.sqlite``), or an open connection (left open).
    sql : str
        The query returning one row per purchase record (``"SELECT * FROM orders"``).

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE TABLE orders AS SELECT '007' AS customer_id, DATE '2024-01-05' AS date, 9.5 AS amount")
    >>> with open_transactions(SQLQuery(con, "SELECT * FROM orders"), today="2025-01-01") as src:
    ...     print(src.frame()[["customer_id", "amount"]].values.tolist())
    [['007', 9.5]]
    """

    connection: Any
    sql: str


def open_transactions(
    transactions: pd.DataFrame | str | os.PathLike | SQLQuery,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    margin: str | None = None,
    today: str | pd.Timestamp | None = None,
    date_format: str | None = None,
    tz: str = DEFAULT_TZ,
) -> TransactionSource:
    """Validate a transaction log — a frame, a file or a SQL query — as the DuckDB view ``tx``.

    Every input kind is checked by the same rules (those of
    :func:`~csworkbench.schema.validate_transactions`): a frame, a CSV/Excel/SPSS file, a Parquet
    file or folder, and a :class:`SQLQuery` holding the same records give the same ``tx`` and
    the same problems.  Parquet files and DuckDB queries stay in DuckDB (only the rows that need
    a closer look are read into pandas).

    Parameters
    ----------
    transactions : DataFrame, path or SQLQuery
        One row per purchase record: a frame; the path of a ``.csv``/``.xlsx``/``.sav`` file
        (read with ids as text) or of a ``.parquet`` file or a folder of them; or a query.
    customer_id, date, amount : str
        Column names.
    margin : str, optional
        Column with the margin of each record.
    today : date-like, optional
        Records dated after this day are "in the future" (default: today).
    date_format, tz
        As in :func:`~csworkbench.schema.validate_transactions`.

    Returns
    -------
    TransactionSource
        Rows with no customer id or no readable date are dropped and listed; amounts that are
        missing or not numbers become NULL and are listed; zero amounts, returns and future
        dates are flagged.

    Raises
    ------
    DataError
        Not a frame, file or query; columns missing; or no valid row left.
    """
    limit = future_limit(today)
    names = {"customer_id": customer_id, "date": date, "amount": amount, "margin": margin}
    options = {"today": today, "date_format": date_format, "tz": tz}
    if isinstance(transactions, pd.DataFrame):
        return _from_frame(transactions, names, options, limit)
    if isinstance(transactions, SQLQuery):
        return _from_query(transactions, names, options, limit)
    if not isinstance(transactions, (str, os.PathLike)):
        raise DataError(
            "transactions must be a pandas DataFrame, the path of a file (CSV, Excel, Parquet file or folder) "
            f"or a SQLQuery; got {type(transactions).__name__}"
        )
    text = str(transactions)
    if isinstance(transactions, str) and "://" in text.split("/")[0] + "//" and _is_url(text):
        raise DataError(
            "a database URL needs a query: pass SQLQuery(url, 'SELECT … FROM orders')", path=_safe_url(text)
        )
    path = Path(transactions)
    if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
        con = _connect()
        try:
            _parquet_view(con, path)
        except DataError:
            con.close()
            raise
        return _from_relation(con, str(path), names, options, limit)
    from .. import io

    dtype_ok = path.suffix.lower() in io.TEXT_EXTENSIONS | io.EXCEL_EXTENSIONS
    frame = io.read_table(path, **({"dtype": {customer_id: str}} if dtype_ok else {}))
    return _from_frame(frame, names, options, limit)


def _is_url(text: str) -> bool:
    import re

    return re.match(r"^[a-z][a-z0-9+]*://", text, re.IGNORECASE) is not None


def _safe_url(url: str) -> str:
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _from_query(query: SQLQuery, names: dict[str, str | None], options: dict[str, Any], limit: pd.Timestamp):
    """A DuckDB connection's query stays in DuckDB (Arrow); any other database is read into a frame."""
    import duckdb

    conn = query.connection
    if isinstance(conn, duckdb.DuckDBPyConnection):
        try:
            table = conn.sql(query.sql).to_arrow_table()
        except duckdb.Error as exc:
            raise DataError(f"the query failed ({type(exc).__name__}: {str(exc).splitlines()[0]})") from None
        con = _connect()
        con.register("_csw_arrow", table)
        con.execute("CREATE VIEW raw AS SELECT *, row_number() OVER () AS _csw_row FROM _csw_arrow")
        return _from_relation(con, None, names, options, limit)
    from .. import io

    if isinstance(conn, (str, os.PathLike)):
        url = str(conn) if _is_url(str(conn)) else f"sqlite:///{conn}"
        frame = io.read_table(url, sql=query.sql)
    else:  # an open SQLAlchemy or DB-API connection
        try:
            frame = pd.read_sql(query.sql, conn)
        except Exception as exc:  # driver errors of any database
            raise DataError(f"the query failed ({type(exc).__name__}: {str(exc).splitlines()[0]})") from None
        frame.attrs["query"] = query.sql
    return _from_frame(frame, names, options, limit)


def _from_frame(
    transactions: pd.DataFrame, names: dict[str, str | None], options: dict[str, Any], limit: pd.Timestamp
) -> TransactionSource:
    label = transactions.attrs.get("source")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        checked = validate_transactions(
            transactions.assign(_csw_row=np.arange(1, len(transactions) + 1)),
            customer_id=str(names["customer_id"]),
            date=str(names["date"]),
            amount=str(names["amount"]),
            margin=names["margin"],
            path=label,
            **options,
        )
    problems = Problems(path=label)
    problems.extend(checked.problems)
    clean = checked.data
    keep = pd.DataFrame(
        {
            "customer_id": clean["customer_id"].astype(str),
            "ts": clean["date"].astype("datetime64[us]"),
            "amount": clean["amount"].astype("float64"),
            "margin": clean["margin"].astype("float64") if names["margin"] else np.nan,
            "row": clean["_csw_row"].astype("int64"),
        }
    )
    con = _connect()
    con.register("tx_frame", keep)
    con.execute(
        "CREATE VIEW tx AS SELECT customer_id, CAST(ts AS DATE) AS pday, amount, CAST(margin AS DOUBLE) AS margin, "
        "row, ts FROM tx_frame"
    )
    return _ready(TransactionSource(con, problems, label, limit))


def _ready(src: TransactionSource) -> TransactionSource:
    try:
        src._collect_stats()
    except DataError:
        src.close()
        raise
    return src


def _parquet_view(con: Any, path: Path) -> None:
    """The view ``raw`` over a Parquet file or folder, with the 1-based row ``_csw_row``."""
    import duckdb

    if path.is_dir():
        if not any(path.rglob("*.parquet")):
            raise DataError("folder holds no .parquet files; expected a Parquet dataset", path=path)
        pattern = str(path / "**" / "*.parquet")
    elif path.is_file():
        pattern = str(path)
    else:
        raise DataError("no such file or folder", path=path)
    literal = "'" + pattern.replace("'", "''") + "'"
    try:
        con.execute(
            f"CREATE VIEW _csw_parquet AS SELECT * FROM read_parquet({literal}, file_row_number = true, "
            "filename = true, union_by_name = true)"
        )
        if path.is_dir():  # files in name order, rows in file order
            row = "row_number() OVER (ORDER BY filename, file_row_number)"
        else:
            row = "file_row_number + 1"
        con.execute(
            f"CREATE VIEW raw AS SELECT * EXCLUDE (filename, file_row_number), {row} AS _csw_row FROM _csw_parquet"
        )
        con.execute("SELECT * FROM raw LIMIT 0")
    except duckdb.Error as exc:
        raise DataError(f"cannot read as Parquet: {str(exc).splitlines()[0]}", path=path) from None


def _from_relation(
    con: Any, label: str | None, names: dict[str, str | None], options: dict[str, Any], limit: pd.Timestamp
) -> TransactionSource:
    import duckdb

    src = TransactionSource(con, Problems(path=label), label, limit)
    check = RelationCheck(con, src.problems, names, options["date_format"], options["tz"])
    try:
        check.run()
        con.execute(
            "CREATE VIEW tx AS SELECT _csw_id AS customer_id, CAST(_csw_ts AS DATE) AS pday, _csw_amount AS amount, "
            "_csw_margin AS margin, row, _csw_ts AS ts FROM tx_all WHERE _csw_id IS NOT NULL AND _csw_ts IS NOT NULL"
        )
        amount, date, lim = str(names["amount"]), str(names["date"]), limit.date().isoformat()
        src.list_rows("amount < 0", amount, "amount", "negative_amount", "flagged")
        src.list_rows("amount = 0", amount, "amount", "zero_amount", "flagged")
        src.list_rows(f"pday > DATE '{lim}'", date, "pday", "future_date", "flagged", limit=lim)
        dup = check.duplicates()
        if dup != "FALSE":
            src.list_rows(dup, str(names["customer_id"]), "customer_id", "duplicate_row", "flagged")
    except duckdb.Error as exc:
        con.close()
        raise DataError(f"cannot read the transactions: {str(exc).splitlines()[0]}", path=label) from None
    except DataError:
        con.close()
        raise
    return _ready(src)
