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

__all__ = ["Validated", "clean_ids", "parse_dates", "PLACEHOLDER_DATES", "DATE_RANGE", "DEFAULT_TZ", "summary_rows"]


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
    """``pd.to_datetime(errors="coerce")`` as naive datetime64[us] (for numbers: yyyymmdd and
    Excel serials; text dates go through :func:`parse_dates`)."""
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


# --------------------------------------------------------------------------- ids (shared by every validator)

_SCIENTIFIC_RE = r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$"
_TRAILING_ZERO_RE = r"^\d+\.0+$"
#: Significant digits a floating-point number (and a spreadsheet cell) keeps exactly.
_FLOAT_DIGITS = 15


def _listed(mask: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
    return mask if keep is None else mask & keep


def clean_ids(
    series: pd.Series,
    *,
    column: str,
    problems: Problems,
    rownums: np.ndarray | None = None,
    keep: np.ndarray | None = None,
    missing: str = "missing_id",
    missing_action: str = "dropped",
) -> pd.Series:
    """Ids as text (``string`` dtype), never as numbers: every validator reads its id columns here.

    * leading zeros are kept (``000123`` stays ``000123``) and white space around an id is trimmed;
    * full-width characters are made half-width (Unicode NFKC: ``Ｃ００１`` → ``C001``), each change
      listed (``id_fullwidth``, kept);
    * ids damaged before they reached us are listed, never merged silently: scientific notation
      (``1.10105E+17``: a spreadsheet turned the id into a number and lost its digits —
      ``id_scientific``, set missing), a floating-point number of 16 or more digits
      (``id_lost_digits``, set missing: a float or a spreadsheet keeps 15, so its last digits
      cannot be trusted; integers from Parquet or a database are exact and kept), and a trailing ``.0``
      (``id_trailing_zero``: kept as written, so ``123.0`` is not merged with ``123``);
    * numbers that are whole and exact (an integer column, SPSS ids) become their digits (``12.0`` → ``"12"``);
    * blanks and textual null markers (``NULL``, ``nan``) are missing and listed (code ``missing``,
      action dropped: every validator drops rows without an id).

    Parameters
    ----------
    series : Series
        The id column as read.
    column : str
        Its name in problem rows.
    problems : Problems
        Where the findings go.
    rownums : array of int, optional
        The 1-based row number of each position (default: position + 1).
    keep : boolean array, optional
        Rows still in play; problems are listed only for these (an empty row already listed is not).
    missing : str, default "missing_id"
        The problem code for a missing id (``missing_customer``, ``missing_respondent`` …).
    missing_action : str, default "dropped"
        The action listed for a missing or unusable id (``"flagged"`` where the row is kept).

    Returns
    -------
    Series of dtype ``string``
        ``<NA>`` where the id is missing or unusable.

    Examples
    --------
    >>> import pandas as pd
    >>> from csworkbench.problems import Problems
    >>> probs = Problems()
    >>> clean_ids(pd.Series(["000123", " 0456", "Ｃ００１", "1.10105E+17", None]), column="id", problems=probs).tolist()
    ['000123', '0456', 'C001', <NA>, <NA>]
    >>> sorted(probs.codes())
    ['id_fullwidth', 'id_scientific', 'missing_id']
    """
    values = series.to_numpy(dtype=object)
    listed = np.zeros(len(series), dtype=bool)  # rows whose number was already listed (damaged)
    if pd.api.types.is_bool_dtype(series.dtype):
        text = series.astype("string")
    elif pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        text = series.astype("string")
    else:
        kind = pd.api.types.infer_dtype(series, skipna=True)
        if pd.api.types.is_numeric_dtype(series.dtype) or kind in ("floating", "integer", "mixed-integer-float"):
            return _ids_from_numbers(series, column, problems, rownums, keep, missing, missing_action)
        text = pd.Series(values, index=series.index).astype("string")
        numbers = np.fromiter(
            (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in values),
            dtype=bool,
            count=len(values),
        )
        numbers &= ~pd.isna(series).to_numpy()
        if numbers.any():  # numbers among text (a workbook column typed partly as numbers)
            rows = rownums if rownums is not None else np.arange(1, len(series) + 1)
            sub = _ids_from_numbers(
                series[numbers].astype("float64"),
                column,
                problems,
                rows[numbers],
                None if keep is None else keep[numbers],
                missing,
                missing_action,
            )
            text[numbers] = sub.to_numpy()
            listed[numbers] = sub.isna().to_numpy()
    # each distinct id is checked once (ids repeat: one customer, many purchases) and spread back
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    u_raw = pd.Series(np.asarray(uniques, dtype=object), dtype="string")
    u_text = u_raw.str.strip()
    u_blank = _blank_id(u_text).to_numpy()
    u_text = u_text.where(~u_blank)
    u_normal = _nfkc(u_text).str.strip()
    u_changed = (u_normal != u_text).fillna(False).to_numpy(dtype=bool)
    u_scientific = u_normal.str.fullmatch(_SCIENTIFIC_RE).fillna(False).to_numpy(dtype=bool)
    u_trailing = u_normal.str.fullmatch(_TRAILING_ZERO_RE).fillna(False).to_numpy(dtype=bool)
    u_out = u_normal.where(~u_scientific)

    def spread(mask: np.ndarray) -> np.ndarray:
        return np.where(codes >= 0, mask[np.maximum(codes, 0)], False) if len(mask) else np.zeros(len(codes), bool)

    blank = (spread(u_blank) | (codes < 0)) & ~listed
    shown = _listed(blank, keep)
    problems.add(missing, rows=_rows(shown, rownums), column=column, values=values[shown], action=missing_action)
    changed = spread(u_changed)
    if changed.any():
        shown = _listed(changed, keep)
        new = u_normal.to_numpy()[codes[shown]]
        problems.add(
            "id_fullwidth",
            rows=_rows(shown, rownums),
            column=column,
            values=values[shown],
            action="kept",
            new=", ".join(dict.fromkeys(new.tolist()))[:60],
        )
    for mask, code, action in (
        (spread(u_scientific), "id_scientific", missing_action),
        (spread(u_trailing), "id_trailing_zero", "flagged"),
    ):
        shown = _listed(mask, keep)
        problems.add(
            code, rows=_rows(shown, rownums), column=column, values=u_normal.to_numpy()[codes[shown]], action=action
        )
    out = pd.Series(u_out.to_numpy()[np.maximum(codes, 0)] if len(u_out) else pd.NA, index=series.index, dtype="string")
    return out.where(codes >= 0)


def _id_text(value: Any) -> str:
    """One non-text id cell as text (an int from a mixed column, a date …)."""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return str(value)


def _ids_from_numbers(
    series: pd.Series,
    column: str,
    problems: Problems,
    rownums: np.ndarray | None,
    keep: np.ndarray | None,
    missing: str,
    missing_action: str = "dropped",
) -> pd.Series:
    """Numeric ids → text: whole numbers as digits; more than 15 significant digits in a float → lost."""
    values = series.to_numpy(dtype=object)
    if pd.api.types.is_integer_dtype(series.dtype):
        text = series.astype("Int64").astype("string")
        blank = text.isna().to_numpy()
        lost = fraction = np.zeros(len(values), dtype=bool)
    else:
        numbers = pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
        strings = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
        finite = np.isfinite(numbers) & ~strings
        whole = finite & (np.mod(numbers, 1, where=finite, out=np.zeros_like(numbers)) == 0)
        # a float (and a spreadsheet number) keeps 15 significant digits: a 16+ digit id in one cannot be trusted
        lost = whole & (np.abs(numbers) >= 10.0**_FLOAT_DIGITS)
        fraction = finite & ~whole
        out = np.full(len(values), None, dtype=object)
        good = whole & ~lost
        out[good] = pd.Series(numbers[good]).astype("int64").astype(str).to_numpy(dtype=object)
        out[fraction] = [repr(float(v)) for v in numbers[fraction]]
        out[strings] = [v.strip() or None for v in values[strings]]
        text = pd.Series(out, index=series.index, dtype="string")
        blank = text.isna().to_numpy() & ~lost
    problems.add(missing, rows=_rows(_listed(blank, keep), rownums), column=column, action=missing_action)
    shown = _listed(lost, keep)
    problems.add(
        "id_lost_digits", rows=_rows(shown, rownums), column=column, values=values[shown], action=missing_action
    )
    shown = _listed(fraction, keep)
    problems.add("id_not_whole", rows=_rows(shown, rownums), column=column, values=values[shown])
    return text


# --------------------------------------------------------------------------- dates (shared by every validator)

#: Dates that systems write for "no date" (set missing and listed).
PLACEHOLDER_DATES = ("0001-01-01", "1899-12-30", "1899-12-31", "1900-01-01", "1970-01-01", "9999-12-31")
#: Dates outside this span are listed and set missing.
DATE_RANGE = ("1900-01-01", "2100-12-31")
DEFAULT_TZ = "Asia/Shanghai"
_RELATIVE_RE = (
    r"(?i).*(?:次日|翌日|隔日|隔天|第二天|当日|当天|同日|同天|今天|今日|昨天|昨日|明天|明日|前天|后天|"
    r"本周|上周|下周|本月|上月|下月|同上|today|yesterday|tomorrow|next day|same day).*"
)
_CN_DATE_RE = r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*(.*)$"
_YEAR_FIRST_RE = r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:\s*(?:[T\s])\s*(.*))?$"
_NUMERIC_DATE_RE = r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:\s+(.*))?$"
_NO_YEAR_RE = r"^(?:\d{1,2}[/.\-]\d{1,2}|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?)(?:\s+.*)?$"
_OFFSET_RE = r".*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"


_PLAIN_ISO_RE = r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"


def _nfkc(text: pd.Series) -> pd.Series:
    """NFKC (full-width → half-width) on the values that are not plain ASCII (the rest are unchanged by it)."""
    wide = ~text.str.isascii().fillna(True).to_numpy(dtype=bool)
    if not wide.any():
        return text
    out = text.copy()
    out[wide] = text[wide].str.normalize("NFKC")
    return out


def _cn_time(rest: pd.Series) -> pd.Series:
    """'14时30分' / '14点30' → '14:30' (the time part of a Chinese date)."""
    rest = rest.fillna("").str.replace(r"(\d{1,2})\s*[时点]\s*(\d{1,2})\s*分?", r"\1:\2", regex=True)
    return rest.str.replace(r"(\d{1,2})\s*[时点]$", r"\1:00", regex=True)


def _iso_join(year: pd.Series, month: pd.Series, day: pd.Series, rest: pd.Series | None) -> pd.Series:
    out = year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2)
    if rest is not None:
        rest = rest.fillna("").str.strip()
        out = out.where(rest == "", out + " " + rest)
    return out


def _parse_iso(text: pd.Series, tz: str) -> tuple[pd.Series, np.ndarray]:
    """ISO dates/timestamps; those with a UTC offset converted to ``tz`` (naive in it).
    Returns (dates, mask of values that carried an offset)."""
    aware = text.str.fullmatch(_OFFSET_RE).fillna(False).to_numpy(dtype=bool, copy=True)
    text = text.str.replace(r"\s*(?:Z|UTC|GMT)$", "+00:00", regex=True)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if (~aware).any():
        out[~aware] = pd.to_datetime(text[~aware], format="ISO8601", errors="coerce").astype("datetime64[us]")
    if aware.any():
        converted = pd.to_datetime(text[aware], format="ISO8601", errors="coerce", utc=True)
        out[aware] = converted.dt.tz_convert(tz).dt.tz_localize(None).astype("datetime64[us]")
    return out, aware


def parse_dates(
    series: pd.Series,
    *,
    column: str,
    problems: Problems,
    date_format: str | None = None,
    tz: str = DEFAULT_TZ,
    rownums: np.ndarray | None = None,
    keep: np.ndarray | None = None,
    action: str = "kept_nan",
) -> pd.Series:
    """Dates and times from a column, never guessed: what cannot be read for certain is listed.

    Read without asking: ISO dates and timestamps (``2024-03-05``, ``2024-03-05 14:30``,
    ``2024/3/5``, ``2024.3.5``), Chinese dates (``2024年3月6日``, ``2024年3月6日 14时30分``),
    dates with a month name (``5 Mar 2024``), day/month/year when one of the two numbers is over
    12 (``25/03/2024``), date and datetime cells of a workbook, yyyymmdd numbers and Excel serial
    day numbers (the conversion listed once).

    Listed and set missing (``action``, default ``kept_nan``): a day/month order that cannot be
    told (``05/06/2024``) and two-digit years (``24/3/5``) — unless ``date_format=`` says how to
    read them —, dates without a year (``3/7``), relative words (``次日``, ``今天``), placeholder
    dates (:data:`PLACEHOLDER_DATES`: 0001-01-01, 1899-12-30, 1900-01-01, 1970-01-01,
    9999-12-31), dates outside :data:`DATE_RANGE`, and anything else that is not a date.

    Time zones: values with a UTC offset (``+08:00``, ``Z``) are converted to ``tz`` and returned
    **naive in that zone** (the wall-clock time in ``tz``; never silently UTC); in a column that
    mixes offset and plain timestamps the conversion is listed once (``timezone_converted``) and
    the plain ones are taken as already in ``tz`` and listed (``timezone_missing``, kept).  Blank cells are missing and not
    listed here (whether a date is required is the caller's business).

    Parameters
    ----------
    series : Series
        The column as read.
    column : str
        Its name in problem rows.
    problems : Problems
        Where the findings go.
    date_format : str, optional
        A ``strftime`` format (``"%d/%m/%Y"``, ``"%y/%m/%d"``) that every non-blank text cell must
        follow; it settles ambiguous orders and two-digit years.
    tz : str, default "Asia/Shanghai"
        The zone dates are returned in (an IANA name).
    rownums, keep
        As in :func:`clean_ids`.
    action : str, default "kept_nan"
        The action listed for unreadable cells (``"dropped"`` when the caller drops the row).

    Returns
    -------
    Series of dtype ``datetime64[us]`` (naive, in ``tz``); NaT where missing or unreadable.

    Examples
    --------
    >>> import pandas as pd
    >>> from csworkbench.problems import Problems
    >>> probs = Problems()
    >>> out = parse_dates(pd.Series(["2024年3月6日", "24/3/5", "2024-03-05T23:30:00Z", "次日", "1899-12-30"]),
    ...                   column="date", problems=probs)
    >>> [str(v) for v in out]
    ['2024-03-06 00:00:00', 'NaT', '2024-03-06 07:30:00', 'NaT', 'NaT']
    >>> sorted(probs.codes())
    ['placeholder_date', 'relative_date', 'two_digit_year']
    """
    _check_tz(tz)
    blank = _blank(series).to_numpy()
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        parsed = series
        if getattr(parsed.dt, "tz", None) is not None:  # typed timestamps: converted, nothing to say
            parsed = parsed.dt.tz_convert(tz).dt.tz_localize(None)
        parsed = parsed.astype("datetime64[us]")
    elif pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        parsed, how, expected = _dates_from_numbers(series.astype("float64"))
        if how == "excel serial" and parsed.notna().any():
            problems.add("excel_serial_dates", column=column, action="kept")
        bad = _listed(parsed.isna().to_numpy() & ~blank, keep)
        problems.add(
            "not_a_date",
            rows=_rows(bad, rownums),
            column=column,
            values=series.to_numpy()[bad],
            action=action,
            part=expected,
        )
    else:
        parsed = _parse_text_dates(series, blank, column, problems, date_format, tz, rownums, keep, action)
    return _check_range(parsed, series, column, problems, rownums, keep, action)


def _check_tz(tz: str) -> None:
    import zoneinfo

    from ..errors import ParameterError

    try:
        zoneinfo.ZoneInfo(str(tz))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ParameterError(f"tz must be a time-zone name such as 'Asia/Shanghai' or 'UTC'; got {tz!r}") from None


def _cell_objects(series: pd.Series, tz: str) -> tuple[pd.Series, pd.Series]:
    """Workbook date/datetime cells as timestamps (aware ones in ``tz``); the rest as text."""
    if pd.api.types.is_string_dtype(series.dtype) and (
        series.dtype != object or pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty")
    ):
        return pd.Series(pd.NaT, index=series.index, dtype="datetime64[us]"), series.astype("string")
    values = series.to_numpy(dtype=object)
    stamps: list[Any] = [pd.NaT] * len(values)
    texts: list[Any] = [pd.NA] * len(values)
    for i, v in enumerate(values):
        if isinstance(v, (_dt.datetime, _dt.date, pd.Timestamp)):
            stamp = pd.Timestamp(v)
            if stamp.tzinfo is not None:
                stamp = stamp.tz_convert(tz).tz_localize(None)
            stamps[i] = stamp
        elif isinstance(v, str):
            texts[i] = v
        elif v is not None and v is not pd.NA and not (isinstance(v, float) and v != v):
            texts[i] = str(v)
    return pd.Series(stamps, index=series.index, dtype="datetime64[us]"), pd.Series(
        texts, index=series.index, dtype="string"
    )


def _parse_text_dates(
    series: pd.Series,
    blank: np.ndarray,
    column: str,
    problems: Problems,
    date_format: str | None,
    tz: str,
    rownums: np.ndarray | None,
    keep: np.ndarray | None,
    action: str,
) -> pd.Series:
    parsed, text = _cell_objects(series, tz)
    text = _nfkc(text.str.strip())
    todo = (parsed.isna() & text.notna() & ~pd.Series(blank, index=series.index)).to_numpy(dtype=bool, copy=True)
    listed = np.zeros(len(series), dtype=bool)

    def flag(mask: np.ndarray, code: str, **params: Any) -> None:
        nonlocal listed
        mask = mask & todo & ~listed
        shown = _listed(mask, keep)
        problems.add(
            code, rows=_rows(shown, rownums), column=column, values=series.to_numpy()[shown], action=action, **params
        )
        listed |= mask

    if date_format is not None:
        sub = text[todo]
        aware = sub.str.fullmatch(_OFFSET_RE).fillna(False).to_numpy(dtype=bool)
        values = pd.Series(pd.NaT, index=sub.index, dtype="datetime64[us]")
        if (~aware).any():
            values[~aware] = pd.to_datetime(sub[~aware], format=date_format, errors="coerce")
        if aware.any():
            got = pd.to_datetime(sub[aware], format=date_format, errors="coerce", utc=True)
            values[aware] = got.dt.tz_convert(tz).dt.tz_localize(None)
        parsed[todo] = values.to_numpy()
        bad = todo & parsed.isna().to_numpy()
        flag(bad, "not_a_date", part=part("date_format", format=date_format))
        return parsed
    # the common case first: plain ISO dates and times without an offset (C parser, no regex per form);
    # year-first 2024/03/05 and 2024.3.5 are the same form with other separators
    iso = text.str.replace(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?=$|[ T])", r"\1-\2-\3", regex=True)
    plain = todo & iso.str.fullmatch(_PLAIN_ISO_RE).fillna(False).to_numpy(dtype=bool)
    fast = pd.to_datetime(iso.where(plain), format="ISO8601", errors="coerce").astype("datetime64[us]")
    offset = todo & iso.str.fullmatch(_PLAIN_ISO_RE + r"\s*(?:Z|[+-]\d{2}:?\d{2})").fillna(False).to_numpy(bool)
    if offset.any():
        got = pd.to_datetime(iso.where(offset), format="ISO8601", errors="coerce", utc=True)
        fast = fast.where(~offset, got.dt.tz_convert(tz).dt.tz_localize(None).astype("datetime64[us]"))
    done = fast.notna().to_numpy()
    parsed[done] = fast[done]
    aware = offset & done
    todo &= ~done
    if todo.any():
        aware |= _other_forms(text, parsed, todo, flag, column, problems, tz, keep, rownums)
    _list_time_zones(text, parsed, aware, column, problems, tz, keep, rownums)
    flag(todo & parsed.isna().to_numpy(), "not_a_date", part=part("date_example", example="2024-03-31"))
    return parsed


def _other_forms(
    text: pd.Series,
    parsed: pd.Series,
    todo: np.ndarray,
    flag: Any,
    column: str,
    problems: Problems,
    tz: str,
    keep: np.ndarray | None,
    rownums: np.ndarray | None,
) -> np.ndarray:
    """The forms other than plain ISO, read once per distinct text (a column repeats its dates)
    and spread back to the rows, in place on ``parsed``; problems listed per row through ``flag``.
    Returns the rows that carried a UTC offset."""
    codes, uniques = pd.factorize(text.where(todo), use_na_sentinel=True)
    rows = todo & (codes >= 0)
    at = codes[rows]

    def spread(mask: np.ndarray) -> np.ndarray:
        out = np.zeros(len(text), dtype=bool)
        out[rows] = mask[at]
        return out

    u_text = pd.Series(np.asarray(uniques, dtype=object), dtype="string")
    u_parsed = pd.Series(pd.NaT, index=u_text.index, dtype="datetime64[us]")
    u_listed = np.zeros(len(u_text), dtype=bool)
    found: list[tuple[np.ndarray, str, dict[str, Any]]] = []

    def u_flag(mask: np.ndarray, code: str, **params: Any) -> None:
        mask = mask & ~u_listed
        found.append((mask, code, params))
        np.logical_or(u_listed, mask, out=u_listed)

    aware = _slow_dates(u_text, u_parsed, u_listed, u_flag, tz)
    for mask, code, params in found:
        flag(spread(mask), code, **params)
    parsed[rows] = u_parsed.to_numpy()[at]
    return spread(aware)


def _list_time_zones(
    text: pd.Series,
    parsed: pd.Series,
    aware: np.ndarray,
    column: str,
    problems: Problems,
    tz: str,
    keep: np.ndarray | None,
    rownums: np.ndarray | None,
) -> None:
    """Say that offsets were converted to ``tz``, and which plain timestamps were taken as ``tz`` time."""
    if not aware.any():
        return
    timed = text.str.contains(r"\d:\d", regex=True).fillna(False).to_numpy(dtype=bool)
    plain = parsed.notna().to_numpy() & ~aware & timed
    if not plain.any():
        return  # every timestamp had its offset: converted to tz, nothing to say
    problems.add("timezone_converted", column=column, action="kept", tz=tz, n=int(aware.sum()))
    shown = _listed(plain, keep)
    problems.add(
        "timezone_missing",
        rows=_rows(shown, rownums),
        column=column,
        values=text.to_numpy()[shown],
        action="kept",
        tz=tz,
    )


def _slow_dates(sub: pd.Series, parsed: pd.Series, listed: np.ndarray, flag: Any, tz: str) -> np.ndarray:
    """Distinct texts in the forms other than plain ISO, in place on ``parsed`` (problems through
    ``flag``, which marks ``listed``).  Returns the texts that had a UTC offset."""
    todo = np.ones(len(sub), dtype=bool)
    flag(sub.str.fullmatch(_RELATIVE_RE).fillna(False).to_numpy(dtype=bool), "relative_date")
    flag(sub.str.fullmatch(_NO_YEAR_RE).fillna(False).to_numpy(dtype=bool), "date_without_year")
    flag(sub.str.fullmatch(r"0{4}[-/.]0{1,2}[-/.]0{1,2}.*").fillna(False).to_numpy(dtype=bool), "placeholder_date")
    iso = sub.copy()
    cn = sub.str.extract(_CN_DATE_RE)
    is_cn = cn[0].notna().to_numpy()
    iso[is_cn] = _iso_join(cn[0], cn[1], cn[2], _cn_time(cn[3]))[is_cn]
    yf = sub.str.extract(_YEAR_FIRST_RE)
    is_yf = yf[0].notna().to_numpy() & ~is_cn
    iso[is_yf] = _iso_join(yf[0], yf[1], yf[2], yf[3])[is_yf]
    nd = sub.str.extract(_NUMERIC_DATE_RE)
    is_nd = nd[0].notna().to_numpy() & ~is_cn & ~is_yf
    if is_nd.any():
        a = pd.to_numeric(nd[0], errors="coerce").astype("float64")
        b = pd.to_numeric(nd[1], errors="coerce").astype("float64")
        long_year = (nd[2].str.len() == 4).fillna(False).to_numpy(dtype=bool)
        flag(is_nd & ~long_year, "two_digit_year", part=part("date_hint", example="%y/%m/%d"))
        day_first = (a > 12).to_numpy() & (b <= 12).to_numpy()
        month_first = (b > 12).to_numpy() & (a <= 12).to_numpy()
        same = (a == b).to_numpy()
        ambiguous = is_nd & long_year & ~day_first & ~month_first & ~same & (a <= 12).to_numpy() & (b <= 12).to_numpy()
        hint = "%d/%m/%Y" if (is_nd & day_first).any() and not (is_nd & month_first).any() else "%m/%d/%Y"
        flag(ambiguous, "ambiguous_date_order", part=part("date_hint", example=hint))
        first_day = is_nd & long_year & (day_first | same)
        iso[first_day] = _iso_join(nd[2], nd[1], nd[0], nd[3])[first_day]
        first_month = is_nd & long_year & month_first
        iso[first_month] = _iso_join(nd[2], nd[0], nd[1], nd[3])[first_month]
        iso[is_nd & ~(first_day | first_month)] = pd.NA
    values, aware = _parse_iso(iso.where(todo & ~listed), tz)
    month = r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s|,|$)"
    named = values.isna().to_numpy() & todo & ~listed & sub.str.contains(month, regex=True).fillna(False).to_numpy(bool)
    for i in np.flatnonzero(named):
        stamp = pd.to_datetime(sub.iloc[i], format="mixed", errors="coerce")
        if stamp is not pd.NaT and stamp.tzinfo is not None:
            stamp = stamp.tz_convert(tz).tz_localize(None)
            aware[i] = True
        values.iloc[i] = stamp
    ok = todo & values.notna().to_numpy()
    parsed[ok] = values[ok]
    aware &= ok
    return aware


def _check_range(
    parsed: pd.Series,
    series: pd.Series,
    column: str,
    problems: Problems,
    rownums: np.ndarray | None,
    keep: np.ndarray | None,
    action: str,
) -> pd.Series:
    """Placeholder dates and dates outside :data:`DATE_RANGE`: listed and set missing."""
    parsed = pd.Series(parsed, index=series.index).astype("datetime64[us]")
    if not parsed.notna().any():
        return parsed
    day = parsed.dt.normalize()
    holder = day.isin(pd.to_datetime(list(PLACEHOLDER_DATES), format="ISO8601").astype("datetime64[us]")).to_numpy()
    lo, hi = (pd.Timestamp(d) for d in DATE_RANGE)
    outside = ((parsed < lo) | (parsed > hi + pd.Timedelta(days=1))).fillna(False).to_numpy(dtype=bool) & ~holder
    for mask, code, params in (
        (holder, "placeholder_date", {}),
        (outside, "date_out_of_range", {"lo": DATE_RANGE[0], "hi": DATE_RANGE[1]}),
    ):
        shown = _listed(mask, keep)
        problems.add(
            code, rows=_rows(shown, rownums), column=column, values=series.to_numpy()[shown], action=action, **params
        )
    return parsed.where(~(holder | outside))


# --------------------------------------------------------------------------- summary rows

_SUMMARY_RE = (
    r"(?i)^(?:合计|总计|小计|总和|汇总|累计|总平均|平均|平均值|平均分|均值|total|grand\s*total|sum|subtotal|"
    r"average|mean|avg)(?:\s*[:：(（].*)?$"
)


def summary_rows(frame: pd.DataFrame, columns: Sequence[Any] | None = None) -> np.ndarray:
    """Rows a spreadsheet adds under a table (合计, 总计, 总平均, 小计, 平均, Total, Sum, Average …):
    True where one of ``columns`` (default: the first column) holds such a label.

    The validators list these rows (code ``summary_row``) and drop them: they are not respondents,
    customers or purchases.

    Examples
    --------
    >>> import pandas as pd
    >>> summary_rows(pd.DataFrame({"id": ["001", "002", "合计", "Total:"], "x": [1, 2, 3, 3]})).tolist()
    [False, False, True, True]
    """
    names = list(columns) if columns is not None else list(frame.columns[:1])
    found = np.zeros(len(frame), dtype=bool)
    for name in names:
        values = frame[name]
        if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_datetime64_any_dtype(values.dtype):
            continue
        text = values.astype("string").str.normalize("NFKC").str.strip()
        found |= text.str.fullmatch(_SUMMARY_RE).fillna(False).to_numpy(dtype=bool)
    return found
