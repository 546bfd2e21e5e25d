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

from typing import Any

import numpy as np
import pandas as pd

from ..problems import Problems
from ._common import _NULL_MARKERS, _SCIENTIFIC_RE, _TRAILING_ZERO_RE, _require_columns, _to_number
from ._common import _rows as _row_numbers
from .transactions import check_dates, check_ids, read_amounts, require_some

#: Rows listed per kind of problem from SQL (the count of the rest is given).
MAX_LISTED = 1000

_INTEGER = {"INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT"}
_NUMERIC = _INTEGER | {"DOUBLE", "FLOAT", "REAL", "DECIMAL"}
_SPACE = r"[\s\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*"
_PLACEHOLDER_DAYS = ("0001-01-01", "1899-12-30", "1899-12-31", "1900-01-01", "1970-01-01", "9999-12-31")


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


def _plain_id(column: str, sql_type: str) -> tuple[str, str]:
    """(condition, value) of ids that :func:`check_ids` leaves as they are."""
    q, base = quote(column), _base(sql_type)
    if base == "VARCHAR":
        markers = ", ".join(_literal(m) for m in sorted(_NULL_MARKERS))
        cond = (
            f"regexp_full_match({q}, '[!-~]+') AND lower({q}) NOT IN ({markers}) "
            f"AND NOT regexp_full_match({q}, {_literal(_SCIENTIFIC_RE.strip('^$'))}) "
            f"AND NOT regexp_full_match({q}, {_literal(_TRAILING_ZERO_RE.strip('^$'))})"
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

    ``tx_all`` holds every non-empty row: ``_csw_id``, ``_csw_ts`` (naive, in ``tz``),
    ``_csw_amount``, ``_csw_margin``, ``row`` and the raw columns; a record is usable when
    ``_csw_id`` and ``_csw_ts`` are not NULL.
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
        cid, date = self.names["customer_id"], self.names["date"]
        assert cid is not None and date is not None
        id_cond, id_value = _plain_id(cid, self.types[cid])
        raw_cols = ", ".join(quote(c) for c in self.types)
        self.con.execute(f"""CREATE TEMP TABLE tx_all AS SELECT
            CASE WHEN {id_cond} THEN {id_value} END AS _csw_id, CAST(NULL AS TIMESTAMP) AS _csw_ts,
            CAST(NULL AS DOUBLE) AS _csw_amount, CAST(NULL AS DOUBLE) AS _csw_margin,
            (CASE WHEN {id_cond} THEN FALSE ELSE TRUE END) AS _csw_odd_id,
            _csw_row AS row, {raw_cols} FROM raw WHERE NOT ({empty})""")
        n_rows = int(self.scalar("SELECT count(*) FROM tx_all"))
        for column, what in ((cid, "customer id"), (date, "date")):
            blank = _blank_sql(column, self.types[column])
            present = int(self.scalar(f"SELECT count(*) FROM tx_all WHERE NOT {blank}"))
            require_some(present, n_rows, column, what, self.problems)
        self._ids(cid)
        self._dates(date)
        self._numbers()

    def _ids(self, cid: str) -> None:
        odd = self.fetch(f"SELECT row, {quote(cid)} AS v FROM tx_all WHERE _csw_odd_id ORDER BY row")
        if len(odd):
            rows = odd["row"].to_numpy(dtype="int64")
            clean = check_ids(odd["v"], column=cid, coll=self.problems, rownums=rows)
            self.write_back("_csw_id", rows, clean)

    def _dates(self, date: str) -> None:
        q, base = quote(date), self.types[date].upper()
        if base.startswith(("TIMESTAMP", "DATE")):
            value = f"CAST({q} AS TIMESTAMP)"
            if "TIME ZONE" in base:
                n = int(self.scalar(f"SELECT count({q}) FROM raw"))
                self.problems.add("timezone_converted", column=date, action="kept", tz=self.tz, n=n)
                value = f"timezone({_literal(self.tz)}, {q})"
            days = ", ".join(f"DATE '{d}'" for d in _PLACEHOLDER_DAYS)
            self.con.execute(f"""UPDATE tx_all SET _csw_ts = {value}
                WHERE _csw_id IS NOT NULL AND {q} IS NOT NULL
                  AND CAST({value} AS DATE) BETWEEN DATE '1900-01-01' AND DATE '2100-12-31'
                  AND CAST({value} AS DATE) NOT IN ({days})""")
            odd = self.fetch(
                f"SELECT row, {value} AS v FROM tx_all WHERE _csw_id IS NOT NULL AND _csw_ts IS NULL ORDER BY row"
            )
            keep = np.ones(len(odd), dtype=bool)
        else:  # text or numbers: the whole column, so that column-wide readings are the same
            odd = self.fetch(f"SELECT row, {q} AS v, _csw_id IS NOT NULL AS k FROM tx_all ORDER BY row")
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
        amount, margin = self.names["amount"], self.names.get("margin")
        assert amount is not None
        kept = "_csw_id IS NOT NULL AND _csw_ts IS NOT NULL"
        blank = _blank_sql(amount, self.types[amount])
        n_kept, n_blank = self.con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {blank}) FROM tx_all WHERE {kept}"
        ).fetchall()[0]
        all_missing = bool(n_kept) and n_kept == n_blank
        for column, target in ((amount, "_csw_amount"), (margin, "_csw_margin")):
            if not column:
                continue
            cond, value = _plain_number(column, self.types[column])
            self.con.execute(f"UPDATE tx_all SET {target} = {value} WHERE {kept} AND {cond}")
            odd = self.fetch(
                f"SELECT row, {quote(column)} AS v FROM tx_all WHERE {kept} AND NOT coalesce({cond}, FALSE) ORDER BY row"
            )
            if not len(odd):
                if target == "_csw_amount" and all_missing:
                    self.problems.add("all_amounts_missing", column=amount, column_name=repr(amount))
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
        """The condition (on ``tx_all``) of usable rows identical to an earlier usable row."""
        sources = {c for c in self.names.values() if c}
        cols = ["_csw_id", "_csw_ts", "_csw_amount", "_csw_margin"] + [quote(c) for c in self.types if c not in sources]
        kept = "_csw_id IS NOT NULL AND _csw_ts IS NOT NULL"
        key = ", ".join(cols)
        n, distinct = self.con.execute(
            f"SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT {key} FROM tx_all WHERE {kept})) FROM tx_all WHERE {kept}"
        ).fetchall()[0]
        if n == distinct:
            return "FALSE"
        self.con.execute(f"""CREATE TEMP TABLE _csw_dup AS SELECT row FROM (
            SELECT row, row_number() OVER (PARTITION BY {key} ORDER BY row) AS k FROM tx_all WHERE {kept}) WHERE k > 1""")
        return "row IN (SELECT row FROM _csw_dup)"
