"""Validation of transaction logs (交易记录校验): customer id, date, amount, quantity, margin.

The raw material of the customer pyramid, RFM and CLV.  Every transaction source — a pandas
frame, a CSV or Excel file, a Parquet file or folder, a SQL query — is checked by the rules of
this module (the Parquet and DuckDB sources of :mod:`csworkbench.schema.source` call the same
steps on the rows that need them), so the same records give the same clean data:

* ids stay text (leading zeros kept, white space trimmed, full-width made half-width, damaged
  ids listed — :func:`csworkbench.schema._common.clean_ids`);
* dates are read, never guessed, and converted to one stated time zone
  (:func:`csworkbench.schema._common.parse_dates`); placeholder dates are listed and dropped;
* amounts written as ``¥1,234`` are read as the number shown; a missing amount is kept as NaN
  (the record stays a purchase), a zero amount is a purchase worth 0, a negative one a return —
  each listed (see "Missing and zero amounts" in docs/api-conventions.md).
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from ..problems import Problems
from ._common import (
    DEFAULT_TZ,
    Validated,
    _blank,
    _empty_rows,
    _require_columns,
    _restore_excel_errors,
    _rows,
    _source,
    _to_amount,
    _to_number,
    clean_ids,
    parse_dates,
    summary_rows,
)

__all__ = ["validate_transactions"]


def check_ids(
    series: pd.Series, *, column: str, coll: Problems, rownums: np.ndarray | None = None, keep: np.ndarray | None = None
) -> pd.Series:
    """Customer ids as trimmed text (``string``; NA where missing or unusable, listed as dropped).

    A summary label (合计, 总计, Total …: a spreadsheet's footer) is no customer: listed as a
    summary row and dropped, nothing else said about the row.
    """
    if series.dtype == object:  # a float NaN among text ids must not turn the column into numbers
        series = series.where(series.notna(), None)
    keep = np.ones(len(series), dtype=bool) if keep is None else keep
    summary = _summary_cells(series, column, coll, rownums, keep)
    ids = clean_ids(
        series, column=column, problems=coll, rownums=rownums, keep=keep & ~summary, missing="missing_customer"
    )
    return ids.mask(summary) if summary.any() else ids


def _summary_cells(
    series: pd.Series, column: str, coll: Problems, rownums: np.ndarray | None, keep: np.ndarray
) -> np.ndarray:
    """Cells holding a summary label, listed (``summary_row_purchase``, dropped) where ``keep``."""
    summary = summary_rows(pd.DataFrame({"v": series}), ["v"])
    shown = summary & keep
    coll.add(
        "summary_row_purchase",
        rows=_rows(shown, rownums),
        column=column,
        values=series.to_numpy()[shown],
        action="dropped",
    )
    return summary


def check_dates(
    series: pd.Series,
    *,
    column: str,
    coll: Problems,
    rownums: np.ndarray | None = None,
    keep: np.ndarray | None = None,
    date_format: str | None = None,
    tz: str = DEFAULT_TZ,
) -> pd.Series:
    """Purchase dates (naive, in ``tz``); blank ones listed as missing, unreadable ones listed — both dropped."""
    keep = np.ones(len(series), dtype=bool) if keep is None else keep
    summary = _summary_cells(series, column, coll, rownums, keep)
    if summary.any():  # a footer's label in the date column: listed as such, not as an unreadable date
        series = series.mask(summary)
        keep = keep & ~summary
    blank = _blank(series).to_numpy()
    coll.add("missing_date", rows=_rows(blank & keep, rownums), column=column, action="dropped")
    found = Problems(path=coll.path)
    dates = parse_dates(
        series,
        column=column,
        problems=found,
        date_format=date_format,
        tz=tz,
        rownums=rownums,
        keep=keep,
        action="dropped",
    )
    # the rows first: in strict mode the error names a row, not the column-wide note (Excel serials)
    coll.extend(sorted(found, key=lambda item: item.row is None))
    return dates


def read_amounts(
    series: pd.Series,
    *,
    column: str,
    coll: Problems,
    rownums: np.ndarray | None = None,
    keep: np.ndarray | None = None,
    all_missing: bool = False,
) -> pd.Series:
    """Amounts as numbers: blank and unreadable ones NaN (listed, kept), written ones read as shown (listed).

    ``all_missing`` (every usable record lacks an amount) is decided by the caller over the
    whole column and listed once instead of row by row.
    """
    keep = np.ones(len(series), dtype=bool) if keep is None else keep
    amounts, bad, written = _to_amount(series)
    blank = amounts.isna().to_numpy() & ~bad & keep
    if all_missing:
        coll.add("all_amounts_missing", column=column, column_name=repr(column))
    else:
        coll.add("missing_amount", rows=_rows(blank, rownums), column=column, action="kept_nan")
    coll.add(
        "not_numeric_field",
        rows=_rows(bad & keep, rownums),
        column=column,
        values=series.to_numpy()[bad & keep],
        action="kept_nan",
        field="amount",
    )
    coll.add(
        "written_amount", rows=_rows(written & keep, rownums), column=column, values=series.to_numpy()[written & keep]
    )
    if not pd.api.types.is_numeric_dtype(series.dtype):  # "12,50" read as 12.5: said, never silent
        comma = series.astype("string").str.contains(",", regex=False).fillna(False).to_numpy(dtype=bool)
        comma &= amounts.notna().to_numpy() & ~written & keep
        coll.add(
            "amount_decimal_comma",
            rows=_rows(comma, rownums),
            column=column,
            values=series.to_numpy()[comma],
            action="flagged",
        )
    return amounts.astype("float64")


def future_limit(today: str | pd.Timestamp | None) -> pd.Timestamp:
    """The last day that is not in the future: ``today`` (a day), or tomorrow when None."""
    if today is not None:
        return pd.Timestamp(today).normalize()
    return pd.Timestamp.now().normalize() + pd.Timedelta(days=1)


def flag_values(
    amounts: pd.Series,
    dates: pd.Series,
    *,
    columns: tuple[str, str],
    limit: pd.Timestamp,
    coll: Problems,
    rownums: np.ndarray | None = None,
) -> None:
    """List the kept records that are returns (negative), worth 0, or dated after ``limit`` (flagged, kept).

    ``amounts`` and ``dates`` hold only the records that are kept.
    """
    amount, date = columns
    v = amounts.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        negative, zero = v < 0, v == 0
    coll.add("negative_amount", rows=_rows(negative, rownums), column=amount, values=v[negative])
    coll.add("zero_amount", rows=_rows(zero, rownums), column=amount, values=v[zero])
    future = (dates.dt.normalize() > limit).fillna(False).to_numpy(dtype=bool)
    coll.add(
        "future_date",
        rows=_rows(future, rownums),
        column=date,
        values=dates.dt.date.to_numpy()[future],
        limit=str(limit.date()),
    )


def require_some(present: int, rows: int, column: str, what: str, coll: Problems) -> None:
    """Stop when a required column is empty in every (non-empty) row."""
    if rows and not present:
        raise coll.fail(
            f"every {what} is missing: column {column!r} is empty, so no transaction can be used", column=column
        )


def validate_transactions(
    frame: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    quantity: str | None = None,
    margin: str | None = None,
    today: str | pd.Timestamp | None = None,
    date_format: str | None = None,
    tz: str = DEFAULT_TZ,
    drop_duplicates: bool = False,
    path: str | PathLike | None = None,
    strict: bool = False,
) -> Validated:
    """Check a transaction log: ids present, dates readable and not in the future, amounts numeric.

    Parameters
    ----------
    frame : DataFrame
        One row per purchase record.
    customer_id, date, amount : str
        Column names in ``frame``; renamed to ``customer_id``, ``date``, ``amount`` in the result.
    quantity, margin : str, optional
        Optional numeric columns, renamed to ``quantity`` / ``margin``.
    today : date-like, optional
        Records dated after this day are flagged as in the future (default: today).
    date_format : str, optional
        How to read dates whose day/month order or two-digit year cannot be told (``"%d/%m/%Y"``);
        without it such dates are listed, never guessed.
    tz : str, default "Asia/Shanghai"
        Timestamps with a UTC offset are converted to this zone (listed).
    drop_duplicates : bool
        Exact duplicate rows are always listed; they are dropped only when True (the same
        customer can legitimately buy the same amount twice in a day).
    path, strict
        As in :func:`validate_survey`.

    Returns
    -------
    Validated
        ``data`` columns: ``customer_id`` (string), ``date`` (datetime64), ``amount``
        (float; NaN where missing or not a number), ``quantity``/``margin`` if given,
        ``is_return`` (amount < 0), then any other input columns unchanged.  Rows with no
        customer id or no readable date are dropped and listed.  Amounts written with a
        currency sign or thousands separators (``¥12``, ``12元``, ``"1,234.50"``) are read as the
        number shown and flagged; ``"1,234"`` is 1234, never 1.234.  Missing, zero and negative
        amounts are kept and listed.  Quantity 0 and negative quantities are flagged.  A column
        with every id or every date missing raises; a column with every amount missing is
        flagged once.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"customer_id": ["a", "b", None], "date": ["2024-01-02", "2024-13-40", "2024-01-03"],
    ...                     "amount": [10, -5, 3]})
    >>> clean, problems = validate_transactions(raw, today="2025-01-01")
    >>> len(clean), problems["action"].tolist()
    (1, ['dropped', 'dropped'])
    """
    coll = Problems(path=_source(frame, path), strict=strict)
    columns = {"customer_id": customer_id, "date": date, "amount": amount}
    if quantity:
        columns["quantity"] = quantity
    if margin:
        columns["margin"] = margin
    _require_columns(frame, list(columns.values()), coll, "a transactions table")
    raw = _restore_excel_errors(frame).reset_index(drop=True)
    empty = _empty_rows(raw[[c for c in raw.columns if not str(c).startswith("_csw_")]])  # not the row numbers
    coll.add("empty_row", rows=_rows(empty), action="dropped")
    keep = ~empty
    n_rows = int(keep.sum())
    require_some(int((~_blank(raw[customer_id]).to_numpy() & keep).sum()), n_rows, customer_id, "customer id", coll)
    require_some(int((~_blank(raw[date]).to_numpy() & keep).sum()), n_rows, date, "date", coll)

    ids = check_ids(raw[customer_id], column=customer_id, coll=coll, keep=keep)
    keep &= ids.notna().to_numpy()
    dates = check_dates(raw[date], column=date, coll=coll, keep=keep, date_format=date_format, tz=tz)
    keep &= dates.notna().to_numpy()
    all_missing = bool(keep.any()) and bool(_blank(raw[amount]).to_numpy()[keep].all())
    amounts = read_amounts(raw[amount], column=amount, coll=coll, keep=keep, all_missing=all_missing)
    flag_values(
        amounts[keep],
        dates[keep],
        columns=(amount, date),
        limit=future_limit(today),
        coll=coll,
        rownums=np.flatnonzero(keep) + 1,
    )

    out = pd.DataFrame({"customer_id": ids, "date": dates, "amount": amounts})
    _add_numeric_fields(out, raw, columns, keep, coll)
    out["is_return"] = (amounts < 0).to_numpy()
    for col in raw.columns:
        if col not in columns.values() and col not in out.columns:
            out[col] = raw[col]

    compared = [c for c in out.columns if not str(c).startswith("_csw_")]  # not the source's row numbers
    dup = out.duplicated(subset=compared, keep="first").to_numpy() & keep
    coll.add(
        "duplicate_row",
        rows=_rows(dup),
        column=customer_id,
        values=out["customer_id"].to_numpy()[dup],
        action="dropped" if drop_duplicates else "flagged",
    )
    if drop_duplicates:
        keep &= ~dup
    out = out[keep].reset_index(drop=True)
    if out.empty:
        raise coll.fail("no valid transaction left after validation (see the problems table)")
    out.attrs.update(frame.attrs)
    return Validated(out, coll.frame(sort=True))


def _add_numeric_fields(
    out: pd.DataFrame, raw: pd.DataFrame, columns: dict[str, str], keep: np.ndarray, coll: Problems
) -> None:
    """Add the optional ``quantity`` / ``margin`` columns as numbers; flag text, and zero or negative quantities."""
    for key in ("quantity", "margin"):
        if key in columns:
            numbers, bad = _to_number(raw[columns[key]])
            coll.add(
                "not_numeric_field",
                rows=_rows(bad & keep),
                column=columns[key],
                values=raw[columns[key]].to_numpy()[bad & keep],
                action="kept_nan",
                field=key,
            )
            out[key] = numbers
    if "quantity" in columns:
        neg_q = (out["quantity"] < 0).fillna(False).to_numpy(dtype=bool) & keep
        coll.add(
            "negative_quantity", rows=_rows(neg_q), column=columns["quantity"], values=out["quantity"].to_numpy()[neg_q]
        )
        zero_q = (out["quantity"] == 0).fillna(False).to_numpy(dtype=bool) & keep
        coll.add(
            "zero_quantity", rows=_rows(zero_q), column=columns["quantity"], values=out["quantity"].to_numpy()[zero_q]
        )
