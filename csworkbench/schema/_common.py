"""Shared pieces of the validators: the result type, blanks and ids, numbers, amounts, dates.

Every validator collects its findings in a :class:`csworkbench.problems.Problems` and returns
:class:`Validated`; the helpers here turn cells into numbers, amounts and dates and say which
cells could not be read (never guessing a value).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from ..problems import Part, Problems, part

__all__ = ["Validated"]


@dataclass(frozen=True)
class Validated:
    """What a validator returns.

    Attributes
    ----------
    data : DataFrame
        The clean frame: the same rows less those listed as ``dropped``, numbers as numbers,
        dates as ``datetime64``, blanks as NaN (never zero).
    problems : DataFrame
        The problem table (columns :data:`csworkbench.codes.PROBLEM_COLUMNS`).

    A ``Validated`` unpacks as ``data, problems = validate_…(…)``.
    """

    data: pd.DataFrame
    problems: pd.DataFrame

    def __iter__(self) -> Iterator[pd.DataFrame]:
        return iter((self.data, self.problems))


def _source(frame: pd.DataFrame, path: str | PathLike | None) -> str | PathLike | None:
    return path if path is not None else frame.attrs.get("source")


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], coll: Problems, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns[:30]))
        raise coll.fail(
            f"{what} needs column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}; "
            f"the data have: {have}",
            column=missing[0],
        )


def _blank(series: pd.Series) -> pd.Series:
    """True where a cell is empty: NaN/None or a string of only white space."""
    isna = series.isna()
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        stripped = series.astype("string").str.strip()
        isna = isna | (stripped == "").fillna(False).astype(bool)
    return isna.astype(bool)


#: Text that stands for "no value" in an id column (exports from databases and pandas write these).
_NULL_MARKERS = frozenset({"nan", "none", "null", "na", "n/a", "#n/a", "-", "--", "—", "nil", "<na>", "nat"})


def _blank_id(series: pd.Series) -> pd.Series:
    """Blank, or a textual missing-value marker such as 'NaN' or 'NULL' (ids only: in a score
    column 'n/a' is reported as not a number instead)."""
    text = series.astype("string").str.strip().str.lower()
    return (_blank(series) | text.isin(_NULL_MARKERS).fillna(False)).astype(bool)


def _empty_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows in which every cell is blank (a blank line in a CSV, an empty row in a sheet)."""
    if frame.shape[1] == 0:
        return np.zeros(len(frame), dtype=bool)
    empty = np.ones(len(frame), dtype=bool)
    for i in range(frame.shape[1]):
        empty &= _blank(frame.iloc[:, i]).to_numpy()
        if not empty.any():
            break
    return empty


def _is_date_cell(series: pd.Series) -> np.ndarray:
    """Cells holding a date or time object (Excel turns a typed '1-5' or '3/4' into a date)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.notna().to_numpy()
    if series.dtype != object:
        return np.zeros(len(series), dtype=bool)
    return np.fromiter((isinstance(v, (_dt.date, _dt.time)) for v in series.to_numpy()), dtype=bool, count=len(series))


def _to_number(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from a column; returns (numbers, mask of cells that were not blank but not numbers).

    Full-width digits and a decimal comma with one or two decimals ("3,5") are accepted as
    typed on Chinese/European keyboards; "1,234" is not (a thousands separator? see
    :func:`_to_amount`).  Infinite values are not numbers."""
    blank = _blank(series)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        numbers = series.astype("float64")
    else:
        text = series.astype("string").str.strip()
        text = text.str.normalize("NFKC").str.replace(r"^(-?\d+),(\d{1,2})$", r"\1.\2", regex=True)
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    numbers = numbers.where(np.isfinite(numbers.to_numpy(dtype="float64", na_value=np.nan)))
    bad = numbers.isna() & ~blank
    numbers = numbers.where(~blank)
    return numbers, bad.to_numpy()


_CURRENCY_RE = (
    r"^(?:[¥￥$€£]|RMB|CNY|USD|EUR|人民币)?\s*(-?)\s*(?:[¥￥$€£])?\s*([\d,]+(?:\.\d+)?)\s*(?:元|块|RMB|CNY|USD|EUR)?$"
)


def _to_amount(series: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Money from a column: as :func:`_to_number`, and text with a currency sign or code
    (¥12, 12元, RMB 15, $3.50) or thousands separators (1,234.50) is read as the number it
    shows.  Returns (numbers, not-a-number mask, mask of cells read from such text)."""
    numbers, bad = _to_number(series)
    written = np.zeros(len(series), dtype=bool)
    if bad.any():
        text = series.astype("string").str.strip().str.normalize("NFKC")
        parts = text[bad].str.extract(_CURRENCY_RE)
        digits = parts[1]
        grouped = digits.str.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?").fillna(False).astype(bool)
        values = pd.to_numeric(digits.where(grouped).str.replace(",", "", regex=False), errors="coerce")
        values = values.where(parts[0] != "-", -values)
        ok = values.notna().to_numpy()
        positions = np.flatnonzero(bad)[ok]
        numbers = numbers.copy()
        numbers.iloc[positions] = values.to_numpy()[ok]
        written[positions] = True
        bad = bad.copy()
        bad[positions] = False
    return numbers, bad, written


def _rows(mask: np.ndarray, rownums: np.ndarray | None = None) -> np.ndarray:
    """1-based input row numbers where ``mask`` is true (``rownums`` maps positions to rows)."""
    positions = np.flatnonzero(mask)
    return positions + 1 if rownums is None else rownums[positions]


def _restore_excel_errors(frame: pd.DataFrame) -> pd.DataFrame:
    """Put Excel error values (#N/A, #DIV/0!) back into the cells read_table read as blank
    (``attrs["excel_errors"]``), so that validation reports them as what they are."""
    found = [e for e in frame.attrs.get("excel_errors", []) if e.get("column") in frame.columns and e.get("row")]
    if not found:
        return frame
    out = frame.copy()
    for e in found:
        position = e["row"] - 1
        if position < len(out):
            values = out[e["column"]].to_numpy(dtype=object).copy()
            values[position] = e["value"]
            out[e["column"]] = values
    return out


# --------------------------------------------------------------------------- transactions


_EXCEL_SERIAL_MAX = 2958465  # 9999-12-31, Excel's last date


def _to_datetime(values: Any, **options: Any) -> pd.Series:
    """``pd.to_datetime(errors="coerce")`` as naive datetime64[us]: a time-zone offset is dropped
    (the wall-clock time is kept; mixed offsets are converted to UTC first)."""
    try:
        out = pd.to_datetime(values, errors="coerce", **options)
    except (ValueError, TypeError):
        out = pd.to_datetime(values, errors="coerce", utc=True, **options)
    out = pd.Series(out, index=getattr(values, "index", None))
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out.astype("datetime64[us]")


def _dates_from_numbers(values: pd.Series) -> tuple[pd.Series, str, Part]:
    """Dates from numbers: yyyymmdd integers or Excel serial day numbers, whichever most of the
    column is; a number that does not fit the column's form is not a date (named, not guessed)."""
    valid = values.notna() & np.isfinite(values.fillna(0))
    whole = (values % 1 == 0) & valid
    ymd = (values.between(19000101, 21001231) & whole).to_numpy()
    serial = (values.between(1, _EXCEL_SERIAL_MAX) & valid).to_numpy()
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    if ymd.sum() > valid.sum() / 2:
        text = values[ymd].astype("int64").astype("string")
        parsed[ymd] = _to_datetime(text, format="%Y%m%d")
        return parsed, "yyyymmdd", part("date_yyyymmdd", example="20240331")
    if serial.sum() > valid.sum() / 2:
        parsed[serial] = _to_datetime(values[serial], unit="D", origin="1899-12-30")
        return (
            parsed,
            "excel serial",
            part("date_serial", lo=1, hi=_EXCEL_SERIAL_MAX, first="1900-01-01", last="9999-12-31"),
        )
    return parsed, "number", part("date_any", example="2024-03-31")


def _parse_dates(series: pd.Series) -> tuple[pd.Series, np.ndarray, str, Part]:
    """Dates from ISO strings, Chinese dates (2024年3月31日), day/month/year or month/day/year
    with the order told from the column itself, yyyymmdd integers or Excel serial numbers.

    Returns (dates, mask of non-blank cells that are not dates, how the column was read, what
    a date should look like — for the message).  ``how`` is ``"ambiguous d/m"`` when slash dates
    could be read either way (read as month/day; the caller flags it)."""
    blank = _blank(series)
    how, expected = "text", part("date_example", example="2024-03-31")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        parsed = series
        how = "datetime"
    elif pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        parsed, how, expected = _dates_from_numbers(series.astype("float64"))
    else:
        text = series.astype("string").str.strip()
        parsed = _to_datetime(text, format="ISO8601")
        retry = (parsed.isna() & ~blank).to_numpy()
        if retry.any():  # the slower forms only for the cells ISO 8601 did not read
            sub = text[retry].str.normalize("NFKC")
            numeric = sub.str.fullmatch(r"\d{8}|\d{5}(?:\.\d+)?").fillna(False).astype(bool)
            if numeric.sum() > (~blank).sum() / 2:  # Excel serials (or yyyymmdd) saved as text
                parsed, how, expected = _dates_from_numbers(pd.to_numeric(text, errors="coerce"))
            else:
                sub = sub.str.replace(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?", r"\1-\2-\3", regex=True)
                values = _to_datetime(sub, format="ISO8601")
                parts = sub.str.extract(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(.*)$")
                first, second = pd.to_numeric(parts[0]), pd.to_numeric(parts[1])
                slash = (values.isna() & first.notna() & (parts[3].fillna("").str.strip() == "")).to_numpy()
                day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
                if slash.any() and not (day_first and month_first):
                    order = "%d/%m/%Y" if day_first else "%m/%d/%Y"
                    joined = parts[0] + "/" + parts[1] + "/" + parts[2]
                    values[slash] = _to_datetime(joined[slash], format=order)
                    if not day_first and not month_first:
                        how = "ambiguous d/m"
                rest = values.isna().to_numpy()
                if rest.any():
                    values[rest] = _to_datetime(sub[rest], format="mixed", dayfirst=day_first)
                parsed.iloc[np.flatnonzero(retry)] = values.to_numpy()
    parsed = pd.Series(parsed, index=series.index)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    parsed = parsed.astype("datetime64[us]")
    bad = (parsed.isna() & ~blank).to_numpy(dtype=bool, copy=True)
    return parsed, bad, how, expected
