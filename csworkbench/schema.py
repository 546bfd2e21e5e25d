"""Validation of the three kinds of data the course works with (数据校验).

* **Surveys** (问卷): answers on a rating scale (1–7, 0–10 …), wide (one row per
  respondent, one column per item) or long (``respondent, item, kind, score``), with
  expectation/perception pairs (期望 E / 感知 P) as in SERVQUAL and the triangle rule.
* **Transactions** (交易记录): customer id, date, amount, optional quantity and margin —
  the raw material of the customer pyramid, RFM and CLV.
* **Complaint records** (顾客抱怨记录): the fields the course lists (COURSE.md §4):
  complainant and contact, date, product and batch or service act / staff, usage or
  service aspect, the story, the loss and the request, the receiver; plus channel,
  region, department, status and the handling outcome.

Every validator returns ``Validated(data, problems)``:

``data``
    the clean frame — the same rows (less those listed as ``dropped``), numeric columns
    as numbers, dates as ``datetime64``, blanks as NaN (never zero);
``problems``
    a tidy frame with columns ``row`` (1-based data row of the input, the first row under
    the header being row 1), ``column``, ``value`` (as found, text), ``problem`` (what was
    expected and what was found) and ``action`` (``kept as NaN``, ``dropped``,
    ``flagged``).

What every validator checks besides its own fields: rows in which every cell is blank are
``dropped`` and listed; text such as ``NaN``/``NULL`` in an id column is a missing id; dates
are read from ISO text, Chinese dates (2024年3月31日), d/m/y or m/d/y (the order told from the
column, flagged when it cannot be), yyyymmdd numbers and Excel serial numbers — a value that
does not fit the column's form is listed, never guessed; Excel error values that
:func:`csworkbench.io.read_table` read as blank are reported as the error they were.

With ``strict=True`` the first problem raises a :class:`~csworkbench.errors.DataError`
instead.  A problem that leaves nothing to analyse (a required column missing, no valid
row left) raises in either mode.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.schema import validate_survey
>>> raw = pd.DataFrame({"id": [1, 2, 3], "E1": [7, 6, None], "P1": ["5", "n/a", 9]})
>>> clean, problems = validate_survey(raw, id_column="id", scale=(1, 7))
>>> clean["P1"].tolist()
[5.0, nan, nan]
>>> problems[["row", "column", "value", "action"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'row': 2, 'column': 'P1', 'value': 'n/a', 'action': 'kept as NaN'},
 {'row': 3, 'column': 'P1', 'value': '9', 'action': 'kept as NaN'}]
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd

from .codes import (  # noqa: F401  (re-exported: the record's vocabulary)
    ASPECT_ALIASES as _ASPECT_ALIASES,
    CHANNEL_ALIASES,
    CHANNEL_LEVEL,
    COMPLAINT_ALIASES,
    COMPLAINT_FIELDS,
    COMPLAINT_REQUIRED,
    PROBLEM_COLUMNS,
    SERVICE_ASPECTS,
)
from .errors import DataError

__all__ = [
    "Validated",
    "PROBLEM_COLUMNS",
    "COMPLAINT_FIELDS",
    "COMPLAINT_REQUIRED",
    "COMPLAINT_ALIASES",
    "SERVICE_ASPECTS",
    "validate_survey",
    "validate_transactions",
    "validate_complaints",
    "survey_to_long",
]



class Validated(NamedTuple):
    """Result of a validator: the clean frame and the table of problems found."""

    data: pd.DataFrame
    problems: pd.DataFrame


@dataclass
class _Collector:
    """Collects problems; raises on the first one when strict."""

    path: str | PathLike | None
    strict: bool
    records: list[dict[str, Any]] = field(default_factory=list)
    #: canonical field → the header it has in the file, when they differ (complaint aliases)
    headers: dict[str, str] = field(default_factory=dict)

    def add(self, rows: Iterable[int], column: str | None, values: Iterable[Any], problem: str, action: str) -> None:
        rows = list(rows)
        if not rows:
            return
        values = list(values)
        if column in self.headers:
            problem = f"{problem} (the file's column {self.headers[column]!r})"
        if self.strict:
            got = f"; got {_show(values[0])}" if values[0] is not None else ""
            raise DataError(f"{problem}{got}", path=self.path, column=column, row=rows[0])
        for r, v in zip(rows, values):
            self.records.append(
                {"row": None if r is None else int(r), "column": column, "value": _show(v, quote=False), "problem": problem, "action": action}
            )

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.records, columns=PROBLEM_COLUMNS)
        out["row"] = out["row"].astype("Int64")
        return out.sort_values(["row", "column"], kind="stable", na_position="first").reset_index(drop=True)

    def fail(self, message: str, column: str | None = None, row: int | None = None) -> DataError:
        return DataError(message, path=self.path, column=column, row=row, problems=self.frame())


def _show(value: Any, quote: bool = True) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return "(blank)"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    if isinstance(value, (pd.Timestamp, _dt.datetime)) and value == value.replace(hour=0, minute=0, second=0, microsecond=0):
        value = value.date()
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return repr(text) if quote else text


def _source(frame: pd.DataFrame, path: str | PathLike | None) -> str | PathLike | None:
    return path if path is not None else frame.attrs.get("source")


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], coll: _Collector, what: str) -> None:
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


_CURRENCY_RE = r"^(?:[¥￥$€£]|RMB|CNY|USD|EUR|人民币)?\s*(-?)\s*(?:[¥￥$€£])?\s*([\d,]+(?:\.\d+)?)\s*(?:元|块|RMB|CNY|USD|EUR)?$"


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


# --------------------------------------------------------------------------- surveys


def _scale_text(scale: tuple[float, float]) -> str:
    lo, hi = scale
    fmt = lambda v: str(int(v)) if float(v).is_integer() else str(v)  # noqa: E731
    return f"{fmt(lo)}–{fmt(hi)}"


def _check_scores(
    values: pd.Series, column: str, scale: tuple[float, float], coll: _Collector, rownums: np.ndarray | None = None
) -> pd.Series:
    numbers, bad = _to_number(values)
    expected = f"must hold numbers {_scale_text(scale)}"
    raw = values.to_numpy()
    dated = _is_date_cell(values) & bad
    lo, hi = scale
    out = ((numbers < lo) | (numbers > hi)).fillna(False).to_numpy(dtype=bool)
    coded = out & numbers.isin(_MISSING_CODES).to_numpy()
    found = [
        (bad & ~dated, f"not a number: {expected}"),
        (dated, f"a date where a number belongs (Excel turns a typed '1-5' or '3/4' into a date; "
                f"format the column as text or number and retype): {expected}"),
        (out & ~coded, f"outside the scale: {expected}"),
    ]
    for code in sorted(set(numbers[coded].tolist())):
        found.append((coded & (numbers == code).to_numpy(),
                      f"outside the scale: {expected} ({code:g} looks like a missing-value code: declare it "
                      f"as missing, e.g. in SPSS, or leave the cell blank)"))
    # in row order, so that strict mode reports the first problem of the column
    for mask, problem in sorted((f for f in found if f[0].any()), key=lambda f: int(np.argmax(f[0]))):
        coll.add(_rows(mask, rownums), column, raw[mask], problem, "kept as NaN")
    return numbers.where(~pd.Series(out, index=numbers.index))


#: Id-column labels of the rows spreadsheets add under a table (合计 / 平均 …), lower case.
_SUMMARY_LABELS = frozenset({"合计", "总计", "小计", "总和", "平均", "平均值", "平均分", "均值", "total", "sum",
                             "subtotal", "average", "mean", "avg"})

#: Codes questionnaires use for "no answer", "don't know", "not applicable" (SPSS habits).
_MISSING_CODES = (-999, -99, -9, -1, 97, 98, 99, 997, 998, 999, 9999)


def _pair_items(
    columns: Sequence[str], expectation: str, perception: str
) -> tuple[dict[str, tuple[str | None, str | None]], list[str]]:
    """Match expectation/perception columns by what follows the prefix (E1 ↔ P1, exp_speed ↔ perc_speed)."""
    pattern = {kind: re.compile(rf"^{re.escape(prefix)}[_\-. ]?(.+)$") for kind, prefix in (("E", expectation), ("P", perception))}
    pairs: dict[str, list[str | None]] = {}
    other: list[str] = []
    for col in columns:
        for kind in ("E", "P"):
            m = pattern[kind].match(str(col))
            if m:
                slot = pairs.setdefault(m.group(1), [None, None])
                slot[0 if kind == "E" else 1] = col
                break
        else:
            other.append(col)
    return {k: (v[0], v[1]) for k, v in pairs.items()}, other


def validate_survey(
    frame: pd.DataFrame,
    *,
    id_column: str | None = None,
    items: Sequence[str] | None = None,
    scale: tuple[float, float] = (1, 7),
    layout: str = "wide",
    expectation: str | None = "E",
    perception: str | None = "P",
    long_columns: Mapping[str, str] | None = None,
    path: str | PathLike | None = None,
    strict: bool = False,
) -> Validated:
    """Check survey answers: numbers on the scale, blanks missing, respondents unique, E/P paired.

    Parameters
    ----------
    frame : DataFrame
        Wide: one row per respondent, one column per item (plus ``id_column`` and any
        other columns, which are passed through untouched).  Long: columns
        ``respondent, item, kind, score`` (``kind`` is ``E`` or ``P``; rename with
        ``long_columns={"respondent": "resp_id", …}``).
    id_column : str, optional
        Respondent id column (wide).  Duplicate ids are flagged (``'R7'`` and ``'R7 '`` are
        the same id); exact duplicate rows dropped (and listed), and so are summary rows that
        spreadsheets add under a table (id 合计, 平均, Total, Average …).  Rows with no answer
        in any item are flagged (a note under the table? an empty questionnaire?).
    items : list of str, optional
        Item columns (wide).  Default: every column whose name starts with the
        ``expectation`` or ``perception`` prefix, else every column except ``id_column``.
    scale : (low, high)
        Inclusive range of valid answers, e.g. ``(1, 7)`` or ``(0, 10)``.
    layout : {"wide", "long"}
    expectation, perception : str or None
        Column prefixes of expectation and perception items (``E1``/``P1``,
        ``E_speed``/``P_speed``).  Items present as only one of the two are listed as
        ``unpaired`` (``flagged``); ``None`` switches pairing off.
    path : str, optional
        The file the data came from, for messages (default ``frame.attrs["source"]``).
    strict : bool
        Raise :class:`DataError` on the first problem instead of collecting.

    Answers off the scale that are common missing-value codes (99, 98, -9 …) are listed with
    a hint to declare them as missing; dates in a score column (Excel turns a typed ``1-5``
    into 5 January) are listed as such.

    Returns
    -------
    Validated
        ``data``: the frame with item scores as float (NaN where blank, non-numeric or off
        the scale); long data gain nothing else.  ``problems``: ``row, column, value,
        problem, action``.

    Examples
    --------
    >>> import pandas as pd
    >>> v = validate_survey(pd.DataFrame({"E1": [5, 6], "P1": [4, None]}), scale=(1, 7))
    >>> v.data["P1"].isna().sum(), len(v.problems)
    (1, 0)
    """
    coll = _Collector(_source(frame, path), strict)
    if scale[0] >= scale[1]:
        raise DataError(f"scale must be (low, high) with low < high; got {scale!r}")
    if layout == "long":
        return _validate_long_survey(frame, scale, dict(long_columns or {}), coll)
    if layout != "wide":
        raise DataError(f"layout must be 'wide' or 'long'; got {layout!r}")
    data = _restore_excel_errors(frame).copy()
    if id_column is not None:
        _require_columns(data, [id_column], coll, "the survey")
    if items is None:
        candidates = [c for c in data.columns if c != id_column]
        if expectation and perception:
            pairs, _ = _pair_items(candidates, expectation, perception)
            items = [c for pair in pairs.values() for c in pair if c is not None] or candidates
        else:
            items = candidates
    else:
        _require_columns(data, list(items), coll, "the survey")
    if not items:
        raise coll.fail("no item columns to validate; pass items=[…]")
    rn = np.arange(1, len(data) + 1)
    if len(data) > 1:
        first = data[list(items)].iloc[[0]]
        text = sum(int(_to_number(first[c])[1][0]) for c in items)
        if text >= max(2, (len(items) + 1) // 2):
            coll.add([1], items[0], [first[items[0]].iloc[0]],
                     f"row 1 holds text in {text} of {len(items)} item columns: a second header row? "
                     "read the file with header=[0, 1] or skiprows=[1]", "dropped")
            data, rn = data.iloc[1:], rn[1:]
    empty = _empty_rows(data)
    coll.add(_rows(empty, rn), None, [None] * int(empty.sum()), "empty row (no value in any column)", "dropped")
    data, rn = data[~empty], rn[~empty]
    if id_column is not None:
        label = data[id_column].astype("string").str.strip().str.lower()
        summary = label.isin(_SUMMARY_LABELS).fillna(False).to_numpy(dtype=bool)
        coll.add(_rows(summary, rn), id_column, data[id_column].to_numpy()[summary],
                 "a summary row (total/average), not a respondent", "dropped")
        data, rn = data[~summary], rn[~summary]
    no_answer = np.logical_and.reduce([_blank(data[c]).to_numpy() for c in items])
    if len(items) > 1 and 0 < no_answer.sum() < len(data):
        where = id_column if id_column is not None else items[0]
        coll.add(_rows(no_answer, rn), where, data[where].to_numpy()[no_answer],
                 "no answer in any item (a note or footer line? an empty questionnaire?)", "flagged")
    for col in items:
        data[col] = _check_scores(data[col], col, scale, coll, rn)
        if data[col].isna().all():
            coll.add([None], col, [None], "every answer is missing or invalid: the item cannot be analysed", "flagged")
    if expectation and perception:
        pairs, _ = _pair_items(items, expectation, perception)
        for key, (e, p) in pairs.items():
            if e is None or p is None:
                have = p if e is None else e
                lacking = f"{expectation}{key}" if e is None else f"{perception}{key}"
                coll.add([None], have, [None], f"unpaired item: {have!r} has no {lacking!r} (expectation/perception pair)", "flagged")
    if id_column is not None:
        ids = data[id_column]
        blank_ids = _blank_id(ids).to_numpy()
        coll.add(_rows(blank_ids, rn), id_column, ids.to_numpy()[blank_ids], "missing respondent id", "flagged")
        exact = data.duplicated(keep="first").to_numpy()
        coll.add(_rows(exact, rn), id_column, ids.to_numpy()[exact], "duplicate row (same respondent, same answers)", "dropped")
        data, rn = data[~exact], rn[~exact]
        key = data[id_column].astype("string").str.strip()  # 'R7' and 'R7 ' are the same respondent
        again = (key.duplicated(keep=False) & ~_blank_id(data[id_column])).fillna(False).to_numpy(dtype=bool)
        coll.add(_rows(again, rn), id_column, data[id_column].to_numpy()[again],
                 "duplicate respondent id with different answers", "flagged")
    return Validated(data, coll.frame())


def _validate_long_survey(frame: pd.DataFrame, scale, names: dict[str, str], coll: _Collector) -> Validated:
    col = {k: names.get(k, k) for k in ("respondent", "item", "kind", "score")}
    need = [col["respondent"], col["item"], col["score"]]
    if col["kind"] in frame.columns:
        need.append(col["kind"])
    _require_columns(frame, need, coll, "a long survey table")
    data = frame.copy()
    data[col["score"]] = _check_scores(data[col["score"]], col["score"], scale, coll)
    if col["kind"] in data.columns:
        kind = data[col["kind"]].astype("string").str.strip().str.upper()
        bad = ~kind.isin(["E", "P"]).fillna(False).to_numpy(dtype=bool)
        coll.add(_rows(bad), col["kind"], data[col["kind"]].to_numpy()[bad],
                 "kind must be 'E' (expectation) or 'P' (perception)", "dropped")
        data[col["kind"]] = kind
        data = data[~bad]
    key = [c for c in (col["respondent"], col["item"], col["kind"]) if c in data.columns]
    dup = data.duplicated(subset=key, keep="first").to_numpy()
    positions = np.flatnonzero(dup)
    if positions.size:
        original_rows = data.index.to_numpy()[positions]
        rows = frame.index.get_indexer(original_rows) + 1
        coll.add(rows, col["respondent"], data[col["respondent"]].to_numpy()[positions],
                 "answer given twice for the same respondent, item and kind (first kept)", "dropped")
        data = data[~dup]
    return Validated(data, coll.frame())


def survey_to_long(
    frame: pd.DataFrame, *, id_column: str | None = None, expectation: str = "E", perception: str = "P"
) -> pd.DataFrame:
    """Reshape wide E/P answers to the long layout ``respondent, item, kind, score``.

    Columns that are neither the id nor an E/P item are left out.  Missing answers stay as
    NaN rows so that counts of missing answers survive the reshape.

    Examples
    --------
    >>> import pandas as pd
    >>> survey_to_long(pd.DataFrame({"E1": [5], "P1": [6]}))
       respondent item kind  score
    0           1    1    E    5.0
    1           1    1    P    6.0
    """
    pairs, _ = _pair_items([c for c in frame.columns if c != id_column], expectation, perception)
    if not pairs:
        raise DataError(f"no columns starting with {expectation!r} or {perception!r}: nothing to reshape")
    ids = frame[id_column].to_numpy() if id_column else np.arange(1, len(frame) + 1)
    parts = []
    for item, (e, p) in pairs.items():
        for kind, column in (("E", e), ("P", p)):
            if column is not None:
                parts.append(pd.DataFrame({"respondent": ids, "item": item, "kind": kind,
                                           "score": pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)}))
    return pd.concat(parts, ignore_index=True).sort_values(["respondent", "item", "kind"], kind="stable").reset_index(drop=True)


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


def _dates_from_numbers(values: pd.Series) -> tuple[pd.Series, np.ndarray, str, str]:
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
        return parsed, "yyyymmdd", "expected an 8-digit yyyymmdd date such as 20240331"
    if serial.sum() > valid.sum() / 2:
        parsed[serial] = _to_datetime(values[serial], unit="D", origin="1899-12-30")
        return parsed, "excel serial", f"an Excel serial date number lies between 1 and {_EXCEL_SERIAL_MAX} (1900-01-01 … 9999-12-31)"
    return parsed, "number", "expected a date such as 2024-03-31, yyyymmdd or an Excel serial date number"


def _parse_dates(series: pd.Series) -> tuple[pd.Series, np.ndarray, str, str]:
    """Dates from ISO strings, Chinese dates (2024年3月31日), day/month/year or month/day/year
    with the order told from the column itself, yyyymmdd integers or Excel serial numbers.

    Returns (dates, mask of non-blank cells that are not dates, how the column was read, what
    a date should look like — for the message).  ``how`` is ``"ambiguous d/m"`` when slash dates
    could be read either way (read as month/day; the caller flags it)."""
    blank = _blank(series)
    how, expected = "text", "expected e.g. 2024-03-31"
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
    coll = _Collector(_source(frame, path), strict)
    columns = {"customer_id": customer_id, "date": date, "amount": amount}
    if quantity:
        columns["quantity"] = quantity
    if margin:
        columns["margin"] = margin
    _require_columns(frame, list(columns.values()), coll, "a transactions table")
    raw = _restore_excel_errors(frame).reset_index(drop=True)
    keep = np.ones(len(raw), dtype=bool)
    empty = _empty_rows(raw)
    coll.add(_rows(empty), None, [None] * int(empty.sum()), "empty row (no value in any column)", "dropped")
    keep &= ~empty

    ids = raw[customer_id]
    blank_id = _blank_id(ids).to_numpy() & keep
    blank_date = _blank(raw[date]).to_numpy() & keep
    for name, blank, what in ((customer_id, blank_id, "customer id"), (date, blank_date, "date")):
        if keep.any() and blank[keep].all():
            raise coll.fail(f"every {what} is missing: column {name!r} is empty, so no transaction can be used",
                            column=name)
    coll.add(_rows(blank_id), customer_id, ids.to_numpy()[blank_id], "missing customer id", "dropped")
    keep &= ~blank_id
    if pd.api.types.is_float_dtype(ids.dtype) and (ids.dropna() % 1 == 0).all():
        ids = ids.astype("Int64")  # 12.0 → "12", not "12.0"
    ids = ids.astype("str").str.strip()

    dates, bad_date, how, expected = _parse_dates(raw[date])
    bad_date = bad_date & ~empty
    coll.add(_rows(bad_date), date, raw[date].to_numpy()[bad_date], f"not a date: {expected}", "dropped")
    coll.add(_rows(blank_date & ~blank_id), date, raw[date].to_numpy()[blank_date & ~blank_id], "missing date", "dropped")
    keep &= ~bad_date & ~blank_date
    if how == "excel serial":
        coll.add([None], date, [raw[date].iloc[0]], "dates given as Excel serial numbers: converted (origin 1899-12-30)", "flagged")
    if how == "ambiguous d/m":
        coll.add([None], date, [None], "day and month cannot be told apart in dates such as 03/04/2024: read as "
                 "month/day/year; write dates as 2024-03-31 to be sure", "flagged")
    limit = pd.Timestamp(today) if today is not None else pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    future = (dates > limit).fillna(False).to_numpy(dtype=bool) & keep
    coll.add(_rows(future), date, dates.to_numpy()[future], f"date after {limit.date()} (in the future)", "flagged")

    amounts, bad_amount, written = _to_amount(raw[amount])
    blank_amount = amounts.isna().to_numpy() & ~bad_amount & keep
    if keep.any() and blank_amount[keep].all():
        coll.add([None], amount, [None], f"every amount is missing: column {amount!r} is empty (kept as NaN)", "flagged")
    else:
        coll.add(_rows(blank_amount), amount, [None] * int(blank_amount.sum()), "missing amount", "kept as NaN")
    coll.add(_rows(bad_amount & keep), amount, raw[amount].to_numpy()[bad_amount & keep],
             "not a number: amount must be numeric", "kept as NaN")
    coll.add(_rows(written & keep), amount, raw[amount].to_numpy()[written & keep],
             "amount written with a currency sign or thousands separators: read as the number shown", "flagged")
    negative = (amounts < 0).fillna(False).to_numpy(dtype=bool)
    coll.add(_rows(negative & keep), amount, amounts.to_numpy()[negative & keep], "negative amount: treated as a return", "flagged")

    out = pd.DataFrame({"customer_id": ids, "date": dates, "amount": amounts})
    for key in ("quantity", "margin"):
        if key in columns:
            numbers, bad = _to_number(raw[columns[key]])
            coll.add(_rows(bad), columns[key], raw[columns[key]].to_numpy()[bad], f"not a number: {key} must be numeric", "kept as NaN")
            out[key] = numbers
    if "quantity" in columns:
        neg_q = (out["quantity"] < 0).fillna(False).to_numpy(dtype=bool) & keep
        coll.add(_rows(neg_q), columns["quantity"], out["quantity"].to_numpy()[neg_q], "negative quantity", "flagged")
        zero_q = (out["quantity"] == 0).fillna(False).to_numpy(dtype=bool) & keep
        coll.add(_rows(zero_q), columns["quantity"], out["quantity"].to_numpy()[zero_q],
                 "quantity 0: a record of nothing bought (a cancelled order? a free item?)", "flagged")
    out["is_return"] = negative
    for col in raw.columns:
        if col not in columns.values() and col not in out.columns:
            out[col] = raw[col]

    dup = out.duplicated(keep="first").to_numpy() & keep
    coll.add(_rows(dup), customer_id, out["customer_id"].to_numpy()[dup], "duplicate row (identical to an earlier row)",
             "dropped" if drop_duplicates else "flagged")
    if drop_duplicates:
        keep &= ~dup
    out = out[keep].reset_index(drop=True)
    if out.empty:
        raise coll.fail("no valid transaction left after validation (see the problems table)")
    out.attrs.update(frame.attrs)
    return Validated(out, coll.frame())


# --------------------------------------------------------------------------- complaints



#: Free-text fields of a complaint record, checked for length and for markup.
_FREE_TEXT = ("story", "loss", "request", "resolution", "service_act", "product", "complainant", "receiver")
#: Excel's limit on the characters of one cell.
EXCEL_CELL_LIMIT = 32767
_MARKUP_RE = r"(?i)<\s*/?\s*[a-z][a-z0-9-]*(?:\s[^<>]*)?/?\s*>|javascript\s*:|&#x?[0-9a-f]+;|&lt;|&gt;"
#: Chinese and other common names of the channels a complaint comes through → the channel codes
#: of :data:`csworkbench.complaints.CHANNEL_LEVEL`.


def _check_channels(raw: pd.Series, keep: np.ndarray, coll: _Collector) -> pd.Series:
    """Channel names → the codes of ``CHANNEL_LEVEL`` (电话 → phone); unknown channels are kept as
    written and flagged, since a company may have its own."""
    known = {str(k).lower(): str(k) for k in CHANNEL_LEVEL}
    text = raw.astype("string").str.strip()

    def code(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        key = CHANNEL_ALIASES.get(value, CHANNEL_ALIASES.get(value.lower(), value.lower()))
        return known.get(key, known.get(key.replace(" ", "_"), pd.NA))

    codes = text.map(code).astype("string")
    unknown = (codes.isna() & text.notna() & (text != "")).fillna(False).to_numpy(dtype=bool) & keep
    coll.add(_rows(unknown), "channel", raw.to_numpy()[unknown],
             f"unknown channel (known: {', '.join(known.values())}; 电话, 门店, 消协, 微博 …): kept as written", "flagged")
    return codes.where(~pd.Series(unknown, index=codes.index), text)


def validate_complaints(
    frame: pd.DataFrame,
    *,
    column_map: Mapping[str, str] | None = None,
    satisfaction_scale: tuple[float, float] = (1, 5),
    today: str | pd.Timestamp | None = None,
    path: str | PathLike | None = None,
    strict: bool = False,
) -> Validated:
    """Check a complaint log against the course's complaint record (COURSE.md §4).

    Parameters
    ----------
    frame : DataFrame
        One row per complaint.
    column_map : mapping, optional
        The user's header → canonical field (see :data:`COMPLAINT_FIELDS`), e.g.
        ``{"Ticket": "complaint_id", "Opened": "date", "Text": "story"}``.  Common Chinese
        headers (投诉人, 日期, 投诉内容, 责任部门 …, :data:`COMPLAINT_ALIASES`) are mapped
        without being listed.
    satisfaction_scale : (low, high)
        Range of ``satisfaction_after``.
    today, path, strict
        As in :func:`validate_transactions`.

    Returns
    -------
    Validated
        ``data`` has the canonical field names (other columns pass through), ``date`` and
        ``resolved_at`` as datetime64, ``service_aspect`` normalised to
        attitude/quality/price/environment/facilities, ``satisfaction_after`` as float.
        Rows without an id, a date or a story are dropped and listed.  Headers are matched
        after trimming spaces, and a problem in an aliased column names the file's header
        too.  ``channel`` is mapped to the codes of ``csworkbench.complaints.CHANNEL_LEVEL``
        (电话 → phone, 消协 → consumer_association; unknown channels kept and flagged).
        Free text longer than Excel's cell limit, or holding HTML/script markup, is kept
        verbatim and flagged; a field column that is entirely empty is flagged.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"编号": ["C1", "C2"], "日期": ["2024-05-01", "2024-05-02"],
    ...                     "投诉内容": ["送货太慢", ""], "服务方面": ["态度", "质量"]})
    >>> clean, problems = validate_complaints(raw, today="2025-01-01")
    >>> clean["service_aspect"].tolist(), problems["problem"].tolist()
    (['attitude'], ["missing story (what happened) (the file's column '投诉内容')"])
    """
    coll = _Collector(_source(frame, path), strict)
    # headers as written, matched after trimming spaces ("投诉内容 " is 投诉内容)
    mapping: dict[Any, str] = {}
    for col in frame.columns:
        name = str(col).strip()
        canonical = COMPLAINT_ALIASES.get(name, name if name in COMPLAINT_FIELDS else None)
        if canonical is not None and canonical != col:
            mapping[col] = canonical
    for user, canonical in (column_map or {}).items():
        if canonical not in COMPLAINT_FIELDS:
            raise DataError(f"column_map maps {user!r} to {canonical!r}, which is not a complaint field; "
                            f"fields are: {', '.join(COMPLAINT_FIELDS)}")
        if user not in frame.columns:
            raise coll.fail(f"column_map names {user!r}, which is not in the data; the data have: "
                            f"{', '.join(map(str, frame.columns))}", column=user)
        mapping[user] = canonical
    data = _restore_excel_errors(frame).rename(columns=mapping).reset_index(drop=True)
    if data.columns.duplicated().any():
        twice = data.columns[data.columns.duplicated()][0]
        raise coll.fail(f"two columns map to the field {twice!r}; map only one of them")
    coll.headers = {canonical: str(user) for user, canonical in mapping.items()}
    _require_columns(data, list(COMPLAINT_REQUIRED), coll, "a complaint log")
    keep = ~_empty_rows(data)
    coll.add(_rows(~keep), None, [None] * int((~keep).sum()), "empty row (no value in any column)", "dropped")
    for fld in COMPLAINT_FIELDS:
        if fld in data.columns and keep.any() and _blank(data[fld]).to_numpy()[keep].all():
            if fld in COMPLAINT_REQUIRED:
                raise coll.fail(f"every {COMPLAINT_FIELDS[fld]} is missing: the column is empty, so no complaint "
                                "can be used", column=fld)
            coll.add([None], fld, [None], f"every value is missing: the column {fld!r} is empty", "flagged")

    for fld, what in (("complaint_id", "missing complaint id"), ("story", "missing story (what happened)")):
        blank = (_blank_id(data[fld]) if fld == "complaint_id" else _blank(data[fld])).to_numpy() & keep
        coll.add(_rows(blank), fld, data[fld].to_numpy()[blank], what, "dropped")
        keep &= ~blank
    ids = data["complaint_id"]
    if pd.api.types.is_float_dtype(ids.dtype) and (ids.dropna() % 1 == 0).all():
        ids = ids.astype("Int64")  # 12.0 → "12"
    ids = ids.astype("string").str.strip()
    # the first *usable* record of an id is kept (a dropped record does not make a later one a duplicate)
    dup = ids.where(keep).duplicated(keep="first").fillna(False).to_numpy(dtype=bool) & keep
    coll.add(_rows(dup), "complaint_id", ids.to_numpy()[dup], "duplicate complaint id (first kept)", "dropped")
    keep &= ~dup
    data["complaint_id"] = ids

    dates, bad, _, expected = _parse_dates(data["date"])
    blank = _blank(data["date"]).to_numpy()
    coll.add(_rows((bad | blank) & keep), "date", data["date"].to_numpy()[(bad | blank) & keep],
             f"not a date: {expected}", "dropped")
    keep &= ~bad & ~blank
    limit = pd.Timestamp(today) if today is not None else pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    future = (dates > limit).fillna(False).to_numpy(dtype=bool) & keep
    coll.add(_rows(future), "date", dates.to_numpy()[future], f"date after {limit.date()} (in the future)", "flagged")
    data["date"] = dates

    if "resolved_at" in data.columns:
        resolved, bad_r, _, expected = _parse_dates(data["resolved_at"])
        coll.add(_rows(bad_r & keep), "resolved_at", data["resolved_at"].to_numpy()[bad_r & keep],
                 f"not a date: {expected}", "kept as NaN")
        before = (resolved < dates).fillna(False).to_numpy(dtype=bool) & keep
        coll.add(_rows(before), "resolved_at", resolved.to_numpy()[before], "resolved before it was received", "flagged")
        data["resolved_at"] = resolved

    if "service_aspect" in data.columns:
        raw_aspect = data["service_aspect"]
        aspect = raw_aspect.astype("string").str.strip()
        aspect = aspect.map(lambda v: _ASPECT_ALIASES.get(v, v.lower()) if isinstance(v, str) else v).astype("string")
        bad_a = (~aspect.isin(SERVICE_ASPECTS) & aspect.notna()).fillna(False).to_numpy(dtype=bool) & keep
        coll.add(_rows(bad_a), "service_aspect", raw_aspect.to_numpy()[bad_a],
                 f"service aspect must be one of {', '.join(SERVICE_ASPECTS)} (态度, 质量, 价格, 环境, 设施)", "kept as NaN")
        data["service_aspect"] = aspect.where(~pd.Series(bad_a, index=aspect.index))

    if "channel" in data.columns:
        data["channel"] = _check_channels(data["channel"], keep, coll)

    if "satisfaction_after" in data.columns:
        data["satisfaction_after"] = _check_scores(data["satisfaction_after"], "satisfaction_after", satisfaction_scale, coll)

    for fld in _FREE_TEXT:
        if fld not in data.columns or not (pd.api.types.is_string_dtype(data[fld].dtype) or data[fld].dtype == object):
            continue
        text = data[fld].astype("string")
        long = (text.str.len() > EXCEL_CELL_LIMIT).fillna(False).to_numpy(dtype=bool) & keep
        coll.add(_rows(long), fld, text.to_numpy()[long],
                 f"text longer than {EXCEL_CELL_LIMIT:,} characters (Excel's cell limit): kept in full; "
                 "Excel would cut it", "flagged")
        markup = text.str.contains(_MARKUP_RE, regex=True).fillna(False).to_numpy(dtype=bool) & keep
        coll.add(_rows(markup), fld, text.to_numpy()[markup],
                 "text holds HTML/script markup: kept as plain text (reports show it escaped, never run it)", "flagged")

    data = data[keep].reset_index(drop=True)
    if data.empty:
        raise coll.fail("no valid complaint left after validation (see the problems table)")
    data.attrs.update(frame.attrs)
    return Validated(data, coll.frame())
