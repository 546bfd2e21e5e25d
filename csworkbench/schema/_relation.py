"""The rules of :mod:`csworkbench.schema.transactions` applied inside DuckDB (for Parquet and DuckDB queries).

A big log stays in DuckDB; the validation steps of the pandas path are not rewritten in SQL.
SQL only sorts each column's values into *plain* ones — values that every step leaves
unchanged (an ASCII id without spaces, a typed date inside 1900 … 2100 and not a placeholder,
a finite number) — and the rest.  The rest (usually a handful of rows) is fetched into pandas
and passed through the very same steps (:func:`~csworkbench.schema.transactions.check_ids`,
:func:`~csworkbench.schema.transactions.check_dates`,
:func:`~csworkbench.schema.transactions.read_amounts`), with the same row numbers; their
results are written back.  So a frame, a CSV file, a Parquet file and a SQL query holding the
same records give the same clean table and the same problems (tests/test_transaction_path.py).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..problems import Problems
from ._common import (
    _NULL_MARKERS,
    _SCIENTIFIC_RE,
    _SUMMARY_RE,
    _TRAILING_ZERO_RE,
    DATE_RANGE,
    PLACEHOLDER_DATES,
    _require_columns,
    _to_number,
)
from ._common import _rows as _row_numbers
from .transactions import check_dates, check_ids, read_amounts, require_some

#: Rows listed per kind of problem from SQL (the count of the rest is given).
MAX_LISTED = 1000

_INTEGER = {"INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT"}
_NUMERIC = _INTEGER | {"DOUBLE", "FLOAT", "REAL", "DECIMAL"}
_SPACE = r"[\s\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*"


def quote(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _base(sql_type: str) -> str:
    return sql_type.upper().split("(")[0]


def _blank_sql(column: str, sql_type: str) -> str:
    q, base = quote(column), _base(sql_type)
    if base == "VARCHAR":
        return f"({q} IS NULL OR regexp_full_match({q}, '{_SPACE}'))"
    if base in ("DOUBLE", "FLOAT", "REAL"):
        return f"({q} IS NULL OR isnan({q}))"
    return f"({q} IS NULL)"


#: Code points of the first letters of the English summary labels (total, grand total, sum, average, mean …).
_SUMMARY_FIRST = ", ".join(str(ord(c)) for c in "aAgGmMsStT")


def _bad_id_regex() -> str:
    """One RE2 pattern for the ids :func:`check_ids` lists although they are printable ASCII:
    textual null markers, summary labels (Total, Sum …), scientific notation and a trailing ``.0``."""
    markers = "|".join(re.escape(m) for m in sorted(_NULL_MARKERS))
    summary = _SUMMARY_RE.removeprefix("(?i)^").removesuffix("$")
    return f"(?i:{markers})|(?i:{summary})|{_SCIENTIFIC_RE.strip('^$')}|{_TRAILING_ZERO_RE.strip('^$')}"


def _plain_id(column: str, sql_type: str) -> tuple[str, str]:
    """(condition, value) of ids that :func:`check_ids` leaves as they are.

    Text: ASCII (NFKC leaves it alone), no white space or control character at either end (no
    trimming), and — only where it could be one (four characters or fewer, or starting with a
    sign, a digit or the first letter of an English summary label) — not a null marker, summary
    label, scientific notation or a trailing ``.0``.  Cheap tests
    first: DuckDB evaluates the regular expression only on the rows the others let through.
    """
    q, base = quote(column), _base(sql_type)
    if base == "VARCHAR":
        cond = (
            f"strlen({q}) = length({q}) AND ascii({q}) > 32 AND ascii(right({q}, 1)) > 32 "
            f"AND (NOT (length({q}) <= 4 OR ascii({q}) BETWEEN 43 AND 57 OR ascii({q}) IN ({_SUMMARY_FIRST})) "
            f"OR NOT regexp_full_match({q}, {_literal(_bad_id_regex())}))"
        )
        return cond, q
    if base in _INTEGER:
        return f"{q} IS NOT NULL", f"CAST({q} AS VARCHAR)"
    return "FALSE", "CAST(NULL AS VARCHAR)"


def _plain_number(column: str, sql_type: str) -> tuple[str, str]:
    """(condition, value) of numbers the amount and margin steps leave as they are."""
    q, base = quote(column), _base(sql_type)
    if base in _NUMERIC:
        return f"({q} IS NOT NULL AND isfinite(CAST({q} AS DOUBLE)))", f"CAST({q} AS DOUBLE)"
    if base == "VARCHAR":
        return f"regexp_full_match({q}, '-?[0-9]+(\\.[0-9]+)?')", f"TRY_CAST({q} AS DOUBLE)"
    return "FALSE", "CAST(NULL AS DOUBLE)"


class RelationCheck:
    """Validate the view ``raw`` (with a 1-based ``_csw_row``) of ``con`` into the table ``tx_all``.

    ``tx_all`` holds one row per non-empty record: ``row``, ``_csw_id``, ``_csw_ts`` (naive, in
    ``tz``), ``_csw_amount``, ``_csw_margin`` and ``_csw_other`` (a hash of the other columns, for
    the duplicate check).  It is written in one pass over ``raw``: plain values as they are, the
    rest NULL; only those rows are then read back from ``raw``, passed through the pandas steps
    and written back.  A record is usable when ``_csw_id`` and ``_csw_ts`` are not NULL.
    """

    def __init__(
        self, con: Any, problems: Problems, names: dict[str, str | None], date_format: str | None, tz: str
    ) -> None:
        self.con = con
        self.problems = problems
        self.names = names
        self.date_format = date_format
        self.tz = tz
        self.types: dict[str, str] = {}

    # ------------------------------------------------------------------ helpers
    def fetch(self, query: str) -> pd.DataFrame:
        # through Arrow: timestamps keep their unit (year 1 does not overflow nanoseconds)
        return self.con.sql(query).to_arrow_table().to_pandas()

    def scalar(self, query: str) -> Any:
        return self.con.execute(query).fetchall()[0][0]

    def write_back(self, target: str, rows: np.ndarray, values: pd.Series) -> None:
        """Set ``target`` of the rows ``rows`` of ``tx_all`` to ``values``."""
        if not len(rows):
            return
        fix = pd.DataFrame({"row": np.asarray(rows, dtype="int64"), "v": values.to_numpy(dtype=object)})
        if target == "_csw_ts":
            fix["v"] = pd.to_datetime(values.to_numpy()).astype("datetime64[us]")
        elif target in ("_csw_amount", "_csw_margin"):
            fix["v"] = values.to_numpy(dtype=float)
        else:
            fix["v"] = [None if v is pd.NA or v is None else str(v) for v in values]
        self.con.register("_csw_fix", fix)
        self.con.execute(f"UPDATE tx_all SET {target} = _csw_fix.v FROM _csw_fix WHERE tx_all.row = _csw_fix.row")
        self.con.unregister("_csw_fix")

    def raw_of(self, select: str, where: str) -> pd.DataFrame:
        """``row`` and ``select`` (over ``raw`` as ``r``) for the rows of ``tx_all`` (as ``t``) matching ``where``."""
        return self.fetch(
            f"SELECT t.row, {select} FROM tx_all t JOIN raw r ON r._csw_row = t.row WHERE {where} ORDER BY t.row"
        )

    def _date_value(self) -> str:
        """SQL of the purchase time of a typed date column (converted to ``tz`` when zone-aware)."""
        date = str(self.names["date"])
        q = quote(date)
        if "TIME ZONE" in self.types[date].upper():
            return f"timezone({_literal(self.tz)}, {q})"
        return f"CAST({q} AS TIMESTAMP)"

    def _typed_dates(self) -> bool:
        return self.types[str(self.names["date"])].upper().startswith(("TIMESTAMP", "DATE"))

    # ------------------------------------------------------------------ steps
    def run(self) -> None:
        self.types = {
            name: sql_type
            for name, sql_type in self.con.execute("SELECT column_name, column_type FROM (DESCRIBE raw)").fetchall()
            if name != "_csw_row"
        }
        wanted = [c for c in self.names.values() if c]
        _require_columns(pd.DataFrame(columns=list(self.types)), wanted, self.problems, "a transactions table")
        empty = " AND ".join(_blank_sql(c, t) for c, t in self.types.items()) or "FALSE"
        empty_rows = self.fetch(f"SELECT _csw_row FROM raw WHERE {empty} ORDER BY _csw_row")["_csw_row"]
        self.problems.add("empty_row", rows=empty_rows.tolist(), action="dropped")
        self.con.execute(self._create_sql(empty))
        n_rows, n_id, n_ts = self.con.execute("SELECT count(*), count(_csw_id), count(_csw_ts) FROM tx_all").fetchall()[
            0
        ]
        cid, date = str(self.names["customer_id"]), str(self.names["date"])
        for column, what, n_plain in ((cid, "customer id", n_id), (date, "date", n_ts)):
            if n_rows and not n_plain:  # no plain value: count the non-blank ones (rare, so a second scan)
                blank = _blank_sql(column, self.types[column])
                present = int(self.scalar(f"SELECT count(*) FROM raw WHERE NOT ({empty}) AND NOT {blank}"))
                require_some(present, n_rows, column, what, self.problems)
        if n_id < n_rows:
            self._ids(cid)
        self._dates(date, n_ts < n_rows)
        self._numbers()

    def _create_sql(self, empty: str) -> str:
        """One pass over ``raw``: the plain values of every step (the rest NULL) into ``tx_all``."""
        cid = str(self.names["customer_id"])
        id_cond, id_value = _plain_id(cid, self.types[cid])
        if self._typed_dates():
            value = self._date_value()
            days = ", ".join(f"DATE '{d}'" for d in PLACEHOLDER_DATES)
            ts = (
                f"CASE WHEN CAST({value} AS DATE) BETWEEN DATE '{DATE_RANGE[0]}' AND DATE '{DATE_RANGE[1]}' "
                f"AND CAST({value} AS DATE) NOT IN ({days}) THEN {value} END"
            )
        else:  # text or numbers: read by the pandas step, the whole column (column-wide readings)
            ts = "CAST(NULL AS TIMESTAMP)"
        numbers = []
        for key in ("amount", "margin"):
            column = self.names.get(key)
            if column:
                cond, num = _plain_number(column, self.types[column])
                numbers.append(f"CASE WHEN {cond} THEN {num} END AS _csw_{key}")
            else:
                numbers.append(f"CAST(NULL AS DOUBLE) AS _csw_{key}")
        sources = {c for c in self.names.values() if c}
        others = [quote(c) for c in self.types if c not in sources]
        other = f"hash({', '.join(others)})" if others else "CAST(0 AS UBIGINT)"
        return f"""CREATE TEMP TABLE tx_all AS SELECT _csw_row AS row,
            CASE WHEN {id_cond} THEN {id_value} END AS _csw_id, {ts} AS _csw_ts,
            {", ".join(numbers)}, {other} AS _csw_other FROM raw WHERE NOT ({empty})"""

    def _ids(self, cid: str) -> None:
        odd = self.raw_of(f"r.{quote(cid)} AS v", "t._csw_id IS NULL")
        if len(odd):
            rows = odd["row"].to_numpy(dtype="int64")
            clean = check_ids(odd["v"], column=cid, coll=self.problems, rownums=rows)
            self.write_back("_csw_id", rows, clean)

    def _dates(self, date: str, any_odd: bool) -> None:
        if self._typed_dates():  # zone-aware timestamps are converted to tz, nothing to say (as parse_dates)
            if not any_odd:
                return
            odd = self.raw_of(f"{self._date_value()} AS v", "t._csw_id IS NOT NULL AND t._csw_ts IS NULL")
            keep = np.ones(len(odd), dtype=bool)
        else:  # text or numbers: the whole column, so that column-wide readings are the same
            odd = self.raw_of(f"r.{quote(date)} AS v, t._csw_id IS NOT NULL AS k", "TRUE")
            keep = odd["k"].to_numpy(dtype=bool)
        if len(odd):
            rows = odd["row"].to_numpy(dtype="int64")
            series = odd["v"]
            if series.dtype == object:
                series = series.where(series.notna(), None)
            dates = check_dates(
                series,
                column=date,
                coll=self.problems,
                rownums=rows,
                keep=keep,
                date_format=self.date_format,
                tz=self.tz,
            )
            self.write_back("_csw_ts", rows[keep], dates[keep])

    def _numbers(self) -> None:
        amount, margin = str(self.names["amount"]), self.names.get("margin")
        kept = "t._csw_id IS NOT NULL AND t._csw_ts IS NOT NULL"
        n_kept, n_amount, n_margin = self.con.execute(
            f"SELECT count(*), count(_csw_amount), count(_csw_margin) FROM tx_all t WHERE {kept}"
        ).fetchall()[0]
        all_missing = False
        for column, target, n_plain in ((amount, "_csw_amount", n_amount), (margin, "_csw_margin", n_margin)):
            if not column or n_plain == n_kept:
                continue
            blank = _blank_sql(column, self.types[column]).replace(quote(column), "r." + quote(column))
            odd = self.raw_of(f"r.{quote(column)} AS v, {blank} AS b", f"{kept} AND t.{target} IS NULL")
            if target == "_csw_amount":
                all_missing = bool(n_kept) and n_plain == 0 and bool(odd["b"].all())
            if not len(odd):
                continue
            rows = odd["row"].to_numpy(dtype="int64")
            series = odd["v"].where(odd["v"].notna(), None) if odd["v"].dtype == object else odd["v"]
            if target == "_csw_amount":
                numbers = read_amounts(series, column=column, coll=self.problems, rownums=rows, all_missing=all_missing)
            else:
                numbers, bad = _to_number(series)
                self.problems.add(
                    "not_numeric_field",
                    rows=_row_numbers(bad, rows),
                    column=column,
                    values=series.to_numpy()[bad],
                    action="kept_nan",
                    field="margin",
                )
            self.write_back(target, rows, numbers)

    def duplicates(self) -> str:
        """The condition (on ``tx_all``) of usable rows identical to an earlier usable row.

        A 64-bit hash of each usable row is sorted in NumPy (much cheaper than a SQL ``DISTINCT``
        over millions of rows); only rows whose hash occurs twice are compared exactly, in SQL.
        """
        kept = "t._csw_id IS NOT NULL AND t._csw_ts IS NOT NULL"
        row_hash = "hash(t._csw_id, t._csw_ts, t._csw_amount, t._csw_margin, t._csw_other)"
        hashes = np.asarray(self.con.execute(f"SELECT {row_hash} AS h FROM tx_all t WHERE {kept}").fetchnumpy()["h"])
        hashes.sort()
        same = hashes[1:] == hashes[:-1]
        if not same.any():
            return "FALSE"
        self.con.register("_csw_hashes", pd.DataFrame({"h": np.unique(hashes[1:][same])}))
        sources = {c for c in self.names.values() if c}
        others = [f"r.{quote(c)}" for c in self.types if c not in sources]
        key = ", ".join(["t._csw_id", "t._csw_ts", "t._csw_amount", "t._csw_margin", *others])
        self.con.execute(f"""CREATE TEMP TABLE _csw_dup AS SELECT row FROM (
            SELECT t.row, row_number() OVER (PARTITION BY {key} ORDER BY t.row) AS k
            FROM tx_all t JOIN raw r ON r._csw_row = t.row
            WHERE {kept} AND {row_hash} IN (SELECT h FROM _csw_hashes)) WHERE k > 1""")
        self.con.unregister("_csw_hashes")
        return "row IN (SELECT row FROM _csw_dup)"
