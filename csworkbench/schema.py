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

import re
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd

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

PROBLEM_COLUMNS = ["row", "column", "value", "problem", "action"]


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

    def add(self, rows: Iterable[int], column: str | None, values: Iterable[Any], problem: str, action: str) -> None:
        rows = list(rows)
        if not rows:
            return
        values = list(values)
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


def _to_number(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from a column; returns (numbers, mask of cells that were not blank but not numbers)."""
    blank = _blank(series)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        numbers = series.astype("float64")
    else:
        text = series.astype("string").str.strip()
        # accept full-width digits and a decimal comma ("3,5") as typed on Chinese/European keyboards
        text = text.str.normalize("NFKC").str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = numbers.isna() & ~blank
    numbers = numbers.where(~blank)
    return numbers, bad.to_numpy()


def _rows(mask: np.ndarray, rownums: np.ndarray | None = None) -> np.ndarray:
    """1-based input row numbers where ``mask`` is true (``rownums`` maps positions to rows)."""
    positions = np.flatnonzero(mask)
    return positions + 1 if rownums is None else rownums[positions]


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
    coll.add(_rows(bad, rownums), column, raw[bad], f"not a number: {expected}", "kept as NaN")
    lo, hi = scale
    out = (numbers < lo) | (numbers > hi)
    out = out.fillna(False).to_numpy(dtype=bool)
    coll.add(_rows(out, rownums), column, raw[out], f"outside the scale: {expected}", "kept as NaN")
    return numbers.where(~pd.Series(out, index=numbers.index))


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
        Respondent id column (wide).  Duplicate ids are flagged; exact duplicate rows dropped
        (and listed).
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
    data = frame.copy()
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
        blank_ids = _blank(ids).to_numpy()
        coll.add(_rows(blank_ids, rn), id_column, ids.to_numpy()[blank_ids], "missing respondent id", "flagged")
        exact = data.duplicated(keep="first").to_numpy()
        coll.add(_rows(exact, rn), id_column, ids.to_numpy()[exact], "duplicate row (same respondent, same answers)", "dropped")
        data, rn = data[~exact], rn[~exact]
        again = (data[id_column].duplicated(keep=False) & ~_blank(data[id_column])).to_numpy()
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


def _parse_dates(series: pd.Series) -> tuple[pd.Series, np.ndarray, str]:
    """Dates from ISO strings, mixed strings, yyyymmdd integers or Excel serial numbers."""
    blank = _blank(series)
    how = "text"
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        parsed = series.astype("datetime64[us]")
        how = "datetime"
    elif pd.api.types.is_numeric_dtype(series.dtype):
        values = series.astype("float64")
        valid = values.dropna()
        if len(valid) and valid.between(19000101, 21001231).all():
            parsed = pd.to_datetime(values.astype("Int64").astype("string"), format="%Y%m%d", errors="coerce")
            how = "yyyymmdd"
        elif len(valid) and valid.between(1, 2958465).all():
            parsed = pd.to_datetime(values, unit="D", origin="1899-12-30", errors="coerce")
            how = "excel serial"
        else:
            parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[us]")
    else:
        text = series.astype("string").str.strip()
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
        retry = parsed.isna() & ~blank
        if retry.any():
            parsed = parsed.astype("datetime64[us]")
            parsed[retry] = pd.to_datetime(text[retry], format="mixed", errors="coerce").astype("datetime64[us]")
    parsed = pd.Series(parsed, index=series.index).astype("datetime64[us]")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    bad = (parsed.isna() & ~blank).to_numpy()
    return parsed, bad, how


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
        customer id or no parseable date are dropped and listed.

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
    raw = frame.reset_index(drop=True)
    keep = np.ones(len(raw), dtype=bool)

    ids = raw[customer_id]
    blank_id = _blank(ids).to_numpy()
    coll.add(_rows(blank_id), customer_id, ids.to_numpy()[blank_id], "missing customer id", "dropped")
    keep &= ~blank_id
    if pd.api.types.is_float_dtype(ids.dtype) and (ids.dropna() % 1 == 0).all():
        ids = ids.astype("Int64")  # 12.0 → "12", not "12.0"
    ids = ids.astype("str").str.strip()

    dates, bad_date, how = _parse_dates(raw[date])
    blank_date = _blank(raw[date]).to_numpy()
    coll.add(_rows(bad_date), date, raw[date].to_numpy()[bad_date], "not a date: expected e.g. 2024-03-31", "dropped")
    coll.add(_rows(blank_date & ~blank_id), date, raw[date].to_numpy()[blank_date & ~blank_id], "missing date", "dropped")
    keep &= ~bad_date & ~blank_date
    if how == "excel serial":
        coll.add([None], date, [raw[date].iloc[0]], "dates given as Excel serial numbers: converted (origin 1899-12-30)", "flagged")
    limit = pd.Timestamp(today) if today is not None else pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    future = (dates > limit).fillna(False).to_numpy(dtype=bool) & keep
    coll.add(_rows(future), date, dates.to_numpy()[future], f"date after {limit.date()} (in the future)", "flagged")

    amounts, bad_amount = _to_number(raw[amount])
    coll.add(_rows(bad_amount), amount, raw[amount].to_numpy()[bad_amount], "not a number: amount must be numeric", "kept as NaN")
    missing_amount = amounts.isna().to_numpy() & ~bad_amount & keep
    coll.add(_rows(missing_amount), amount, [None] * int(missing_amount.sum()), "missing amount", "kept as NaN")
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

COMPLAINT_FIELDS: dict[str, str] = {
    "complaint_id": "complaint number",
    "complainant": "complainant's name (投诉人)",
    "contact": "complainant's contact (联系方式)",
    "date": "date received (日期)",
    "product": "product name (产品名称)",
    "batch": "batch number (批号)",
    "service_act": "service act concerned (服务行为)",
    "staff_name": "staff name (员工姓名)",
    "staff_id": "staff id (工号)",
    "usage_duration": "how long the product was used (使用时间)",
    "service_aspect": "service aspect: attitude, quality, price, environment, facilities (服务方面)",
    "story": "what happened (投诉内容)",
    "loss": "the customer's loss (损失)",
    "request": "the customer's request (要求)",
    "receiver": "who received the complaint (受理人)",
    "channel": "channel: phone, e-mail, web, store, consumer body, media …",
    "region": "region (地区)",
    "department": "responsible department (责任部门)",
    "status": "handling status (处理状态)",
    "resolved_at": "date resolved (解决日期)",
    "resolution": "what was done (处理结果)",
    "satisfaction_after": "satisfaction after handling, 1–5 (处理后满意度)",
}
COMPLAINT_REQUIRED = ("complaint_id", "date", "story")
SERVICE_ASPECTS = ("attitude", "quality", "price", "environment", "facilities")
_ASPECT_ALIASES = {"态度": "attitude", "服务态度": "attitude", "质量": "quality", "服务质量": "quality",
                   "价格": "price", "环境": "environment", "设施": "facilities", "设备": "facilities"}
COMPLAINT_ALIASES: dict[str, str] = {
    "投诉编号": "complaint_id", "编号": "complaint_id", "投诉人": "complainant", "姓名": "complainant",
    "联系方式": "contact", "电话": "contact", "日期": "date", "投诉日期": "date", "产品名称": "product",
    "产品": "product", "批号": "batch", "服务行为": "service_act", "员工姓名": "staff_name", "工号": "staff_id",
    "使用时间": "usage_duration", "服务方面": "service_aspect", "投诉内容": "story", "内容": "story",
    "经过": "story", "损失": "loss", "要求": "request", "诉求": "request", "受理人": "receiver",
    "渠道": "channel", "地区": "region", "责任部门": "department", "部门": "department", "状态": "status",
    "处理状态": "status", "解决日期": "resolved_at", "处理结果": "resolution", "处理后满意度": "satisfaction_after",
}


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
        Rows without an id, a date or a story are dropped and listed.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"编号": ["C1", "C2"], "日期": ["2024-05-01", "2024-05-02"],
    ...                     "投诉内容": ["送货太慢", ""], "服务方面": ["态度", "质量"]})
    >>> clean, problems = validate_complaints(raw, today="2025-01-01")
    >>> clean["service_aspect"].tolist(), problems["problem"].tolist()
    (['attitude'], ['missing story (what happened)'])
    """
    coll = _Collector(_source(frame, path), strict)
    mapping = {k: v for k, v in COMPLAINT_ALIASES.items() if k in frame.columns}
    for user, canonical in (column_map or {}).items():
        if canonical not in COMPLAINT_FIELDS:
            raise DataError(f"column_map maps {user!r} to {canonical!r}, which is not a complaint field; "
                            f"fields are: {', '.join(COMPLAINT_FIELDS)}")
        if user not in frame.columns:
            raise coll.fail(f"column_map names {user!r}, which is not in the data; the data have: "
                            f"{', '.join(map(str, frame.columns))}", column=user)
        mapping[user] = canonical
    data = frame.rename(columns=mapping).reset_index(drop=True)
    if data.columns.duplicated().any():
        twice = data.columns[data.columns.duplicated()][0]
        raise coll.fail(f"two columns map to the field {twice!r}; map only one of them")
    _require_columns(data, list(COMPLAINT_REQUIRED), coll, "a complaint log")
    keep = np.ones(len(data), dtype=bool)

    for fld, what in (("complaint_id", "missing complaint id"), ("story", "missing story (what happened)")):
        blank = _blank(data[fld]).to_numpy()
        coll.add(_rows(blank), fld, data[fld].to_numpy()[blank], what, "dropped")
        keep &= ~blank
    ids = data["complaint_id"].astype("string").str.strip()
    dup = (ids.duplicated(keep="first").fillna(False).to_numpy(dtype=bool)) & keep
    coll.add(_rows(dup), "complaint_id", ids.to_numpy()[dup], "duplicate complaint id (first kept)", "dropped")
    keep &= ~dup
    data["complaint_id"] = ids

    dates, bad, _ = _parse_dates(data["date"])
    blank = _blank(data["date"]).to_numpy()
    coll.add(_rows((bad | blank) & keep), "date", data["date"].to_numpy()[(bad | blank) & keep],
             "not a date: expected e.g. 2024-03-31", "dropped")
    keep &= ~bad & ~blank
    limit = pd.Timestamp(today) if today is not None else pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    future = (dates > limit).fillna(False).to_numpy(dtype=bool) & keep
    coll.add(_rows(future), "date", dates.to_numpy()[future], f"date after {limit.date()} (in the future)", "flagged")
    data["date"] = dates

    if "resolved_at" in data.columns:
        resolved, bad_r, _ = _parse_dates(data["resolved_at"])
        coll.add(_rows(bad_r & keep), "resolved_at", data["resolved_at"].to_numpy()[bad_r & keep],
                 "not a date: expected e.g. 2024-03-31", "kept as NaN")
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

    if "satisfaction_after" in data.columns:
        data["satisfaction_after"] = _check_scores(data["satisfaction_after"], "satisfaction_after", satisfaction_scale, coll)

    data = data[keep].reset_index(drop=True)
    if data.empty:
        raise coll.fail("no valid complaint left after validation (see the problems table)")
    data.attrs.update(frame.attrs)
    return Validated(data, coll.frame())
