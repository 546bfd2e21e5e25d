"""Validation of transaction logs (交易记录校验): customer id, date, amount, quantity, margin.

The raw material of the customer pyramid, RFM and CLV; ids stay text, dates are read, never
guessed, and amounts written as ``¥1,234`` are read as the number shown.
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from ..problems import Problems
from ._common import (
    Validated,
    _blank,
    _blank_id,
    _empty_rows,
    _parse_dates,
    _require_columns,
    _restore_excel_errors,
    _rows,
    _source,
    _to_amount,
    _to_number,
)


def _check_dates(
    raw: pd.Series,
    date: str,
    keep: np.ndarray,
    blank_id: np.ndarray,
    empty: np.ndarray,
    today: str | pd.Timestamp | None,
    coll: Problems,
) -> pd.Series:
    """Purchase dates; unreadable and missing ones are listed (dropped), future ones flagged."""
    blank_date = _blank(raw).to_numpy() & keep
    dates, bad_date, how, expected = _parse_dates(raw)
    bad_date = bad_date & ~empty
    coll.add(
        "not_a_date",
        rows=_rows(bad_date),
        column=date,
        values=raw.to_numpy()[bad_date],
        action="dropped",
        part=expected,
    )
    coll.add(
        "missing_date",
        rows=_rows(blank_date & ~blank_id),
        column=date,
        values=raw.to_numpy()[blank_date & ~blank_id],
        action="dropped",
    )
    keep = keep & ~bad_date & ~blank_date
    if how == "excel serial":
        coll.add("excel_serial_dates", column=date, values=[raw.iloc[0]])
    if how == "ambiguous d/m":
        coll.add("ambiguous_day_month", column=date)
    limit = pd.Timestamp(today) if today is not None else pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    future = (dates > limit).fillna(False).to_numpy(dtype=bool) & keep
    coll.add("future_date", rows=_rows(future), column=date, values=dates.to_numpy()[future], limit=str(limit.date()))
    return dates.where(pd.Series(keep, index=dates.index))


def _check_amounts(raw: pd.Series, amount: str, keep: np.ndarray, coll: Problems) -> tuple[pd.Series, np.ndarray]:
    """Amounts as numbers (blank and unreadable ones NaN, listed) and the mask of returns (negative)."""
    amounts, bad_amount, written = _to_amount(raw)
    blank_amount = amounts.isna().to_numpy() & ~bad_amount & keep
    if keep.any() and blank_amount[keep].all():
        coll.add("all_amounts_missing", column=amount, column_name=repr(amount))
    else:
        coll.add("missing_amount", rows=_rows(blank_amount), column=amount, action="kept_nan")
    coll.add(
        "not_numeric_field",
        rows=_rows(bad_amount & keep),
        column=amount,
        values=raw.to_numpy()[bad_amount & keep],
        action="kept_nan",
        field="amount",
    )
    coll.add("written_amount", rows=_rows(written & keep), column=amount, values=raw.to_numpy()[written & keep])
    negative = (amounts < 0).fillna(False).to_numpy(dtype=bool)
    coll.add("negative_amount", rows=_rows(negative & keep), column=amount, values=amounts.to_numpy()[negative & keep])
    return amounts, negative


def validate_transactions(
    frame: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    quantity: str | None = None,
    margin: str | None = None,
    today: str | pd.Timestamp | None = None,
    drop_duplicates: bool = False,
    path: str | PathLike | None = None,
    strict: bool = False,
) -> Validated:
    """Check a transaction log: ids present, dates parseable and not in the future, amounts numeric.

    Parameters
    ----------
    frame : DataFrame
        One row per purchase record.
    customer_id, date, amount : str
        Column names in ``frame``; renamed to ``customer_id``, ``date``, ``amount`` in the result.
    quantity, margin : str, optional
        Optional numeric columns, renamed to ``quantity`` / ``margin``.
    today : date-like, optional
        Dates after this are flagged as in the future (default: today).
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
        customer id or no parseable date are dropped and listed.  Amounts written with a
        currency sign or thousands separators (``¥12``, ``12元``, ``"1,234.50"``) are read as the
        number shown and flagged; ``"1,234"`` is 1234, never 1.234.  Quantity 0 and negative
        quantities are flagged.  A column with every id or every date missing raises; a
        column with every amount missing is flagged once.

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
    keep = np.ones(len(raw), dtype=bool)
    empty = _empty_rows(raw)
    coll.add("empty_row", rows=_rows(empty), action="dropped")
    keep &= ~empty

    ids, blank_id = _check_ids(raw, customer_id, date, keep, coll)
    keep &= ~blank_id

    dates = _check_dates(raw[date], date, keep, blank_id, empty, today, coll)
    keep &= dates.notna().to_numpy()

    amounts, negative = _check_amounts(raw[amount], amount, keep, coll)

    out = pd.DataFrame({"customer_id": ids, "date": dates, "amount": amounts})
    _add_numeric_fields(out, raw, columns, keep, coll)
    out["is_return"] = negative
    for col in raw.columns:
        if col not in columns.values() and col not in out.columns:
            out[col] = raw[col]

    dup = out.duplicated(keep="first").to_numpy() & keep
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


def _check_ids(
    raw: pd.DataFrame, customer_id: str, date: str, keep: np.ndarray, coll: Problems
) -> tuple[pd.Series, np.ndarray]:
    """Customer ids as trimmed text and the rows without one (listed); fails if every id or date is missing."""
    ids = raw[customer_id]
    blank_id = _blank_id(ids).to_numpy() & keep
    blank_date = _blank(raw[date]).to_numpy() & keep
    for name, blank, what in ((customer_id, blank_id, "customer id"), (date, blank_date, "date")):
        if keep.any() and blank[keep].all():
            raise coll.fail(
                f"every {what} is missing: column {name!r} is empty, so no transaction can be used", column=name
            )
    coll.add(
        "missing_customer", rows=_rows(blank_id), column=customer_id, values=ids.to_numpy()[blank_id], action="dropped"
    )
    if pd.api.types.is_float_dtype(ids.dtype) and (ids.dropna() % 1 == 0).all():
        ids = ids.astype("Int64")  # 12.0 → "12", not "12.0"
    return ids.astype("str").str.strip(), blank_id


def _add_numeric_fields(
    out: pd.DataFrame, raw: pd.DataFrame, columns: dict[str, str], keep: np.ndarray, coll: Problems
) -> None:
    """Add the optional ``quantity`` / ``margin`` columns as numbers; flag text, and zero or negative quantities."""
    for key in ("quantity", "margin"):
        if key in columns:
            numbers, bad = _to_number(raw[columns[key]])
            coll.add(
                "not_numeric_field",
                rows=_rows(bad),
                column=columns[key],
                values=raw[columns[key]].to_numpy()[bad],
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
