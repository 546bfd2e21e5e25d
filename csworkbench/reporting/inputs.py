"""The user's own files for the report notebooks (报告的数据输入): read, map, validate, select the period.

A report notebook takes the file a researcher or analyst has — CSV/TSV, an Excel workbook
(``sheet``), Parquet (a file or a folder) or SPSS — with the user's own headers, mapped to the
workbench's fields by ``column_map`` (``{"会员号": "customer_id", "消费日期": "date"}``).  The
functions here do what every report does first, so the notebooks stay thin:

* :func:`read_input` — read the file with its id columns as **text** (``000123`` stays
  ``000123``; a CSV reader would otherwise make it the number 123);
* :func:`transactions_input` / :func:`complaints_input` — read, map, validate, and select the
  reporting ``period`` with :func:`csworkbench.periods.filter_period` (the one meaning of
  ``period``); the result keeps the rows up to the period's end too (``history``: a trend or a
  lifetime-value model needs the past) and the previous period's rows (``previous``) for the
  change since last period;
* :func:`cite_ids` — each data problem cited by the id the user wrote in that row (customer or
  complaint id), not only by a row number;
* :func:`problem_summary` — the problems by kind with counts and example ids (the report
  shows this; the full list goes to the appendix);
* :func:`previous_figure` — the previous period's key figure for the findings' "change since
  last period": from ``previous_kpis`` (what the batch runner injects) when given, else from
  the same file's previous period;
* :func:`lifetime_value` — the lifetime-value models fitted, or the reason (in the page's
  language) why the data cannot carry them (too few repeat customers, no convergence).

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "sales.csv"
>>> _ = p.write_text("会员号,消费日期,金额\\n000123,2026-09-03,10\\n0456,2026-10-07,20\\n0456,bad,3\\n",
...                  encoding="utf-8")
>>> got = transactions_input(p, column_map={"会员号": "customer_id", "消费日期": "date", "金额": "amount"},
...                          period="2026-10", today="2026-12-01")
>>> got.data["customer_id"].tolist(), got.history["customer_id"].tolist()
(['0456'], ['000123', '0456'])
>>> got.problems[["id", "column", "code"]].values.tolist()
[['0456', '消费日期', 'not_a_date']]
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from ..codes import COMPLAINT_ALIASES, COMPLAINT_FIELDS
from ..errors import DataError, DataWarning, ParameterError
from ..i18n import check_language, labels, t
from ..periods import Period, filter_period
from ..problems import localize

__all__ = [
    "ReportInput",
    "TRANSACTION_FIELDS",
    "read_input",
    "transactions_input",
    "complaints_input",
    "cite_ids",
    "problem_summary",
    "problem_table",
    "problem_labels",
    "clv_dates",
    "previous_figure",
    "lifetime_value",
    "LifetimeValue",
]

#: Fields of a transaction log a ``column_map`` may map to (``customer_id, date, amount`` required).
TRANSACTION_FIELDS = ("customer_id", "date", "amount", "quantity", "margin")
_EXCEL = {".xlsx", ".xlsm"}
_TEXT = {".csv", ".tsv", ".txt"}
_COMPLAINT_IDS = ("complaint_id", "customer_id", "contact")


@dataclass(frozen=True)
class ReportInput:
    """What a report works on.

    Attributes
    ----------
    data : DataFrame
        The validated rows inside ``period`` (canonical column names).
    history : DataFrame
        The validated rows up to the end of ``period`` (all rows when the period is all data).
    previous : DataFrame or None
        The validated rows of the period before ``period`` (None for all data, or when the
        data hold none).
    problems : DataFrame
        The data problems (columns of :data:`csworkbench.codes.PROBLEM_COLUMNS`) with an
        ``id`` column first: the id of that row as the user wrote it.
    period : Period
    source : str
        The file's name, or ``""`` for bundled or synthetic data.
    rows_read : int
        Data rows in the file.
    path : str
        The file read (the bundled file's path for bundled data; ``""`` for synthetic data).
    """

    data: pd.DataFrame
    history: pd.DataFrame
    previous: pd.DataFrame | None
    problems: pd.DataFrame
    period: Period
    source: str
    rows_read: int
    path: str = ""


def _id_dtypes(path: Path, columns: list[str]) -> dict[str, Any]:
    """``dtype=`` options that read the id columns as text (text files and workbooks only)."""
    if path.suffix.lower() not in _TEXT | _EXCEL:
        return {}
    return {"dtype": dict.fromkeys(columns, str)} if columns else {}


def read_input(
    data_path: str | PathLike, *, sheet: str | int = "", id_columns: list[str] | tuple[str, ...] = ()
) -> pd.DataFrame:
    """Read a report's data file with :func:`csworkbench.io.read_table`, id columns as text.

    Parameters
    ----------
    data_path : str or path
        CSV/TSV/TXT, ``.xlsx``/``.xlsm``, ``.parquet`` (file or folder), ``.sav`` or a
        database URL.
    sheet : str or int
        Excel only: the sheet's name or 0-based number (``""``: the first sheet).  Given for
        any other kind of file it is an error, not ignored.
    id_columns : sequence of str
        Headers of the file read as text (leading zeros kept); headers the file lacks are
        ignored here (validation names a missing required column).

    Raises
    ------
    ParameterError
        ``sheet`` given for a file that is not a workbook.
    DataError
        As :func:`csworkbench.io.read_table`.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("id,x\\n007,1\\n", encoding="utf-8")
    >>> read_input(p, id_columns=["id"])["id"].tolist()
    ['007']
    """
    from ..io import read_table

    path = Path(data_path)
    options: dict[str, Any] = {}
    if sheet not in ("", None):
        if path.suffix.lower() not in _EXCEL:
            raise ParameterError(f"sheet={sheet!r} applies to Excel workbooks (.xlsx); {path.name} is not one")
        options["sheet"] = int(sheet) if isinstance(sheet, str) and sheet.isdigit() else sheet
    if path.exists() and path.suffix.lower() in _TEXT | _EXCEL:
        options.update(_id_dtypes(path, list(id_columns)))
    return read_table(data_path, **options)


def _check_map(column_map: Mapping[str, str] | None, fields: Any, what: str) -> dict[str, str]:
    """``column_map`` checked: user header → a known field, no field twice."""
    mapping = {str(k): str(v) for k, v in dict(column_map or {}).items()}
    unknown = {k: v for k, v in mapping.items() if v not in fields}
    if unknown:
        user, field = next(iter(unknown.items()))
        raise ParameterError(
            f"column_map maps {user!r} to {field!r}, which is not a field of {what}; fields are: {', '.join(fields)}"
        )
    twice = pd.Series(list(mapping.values()))
    if twice.duplicated().any():
        raise ParameterError(f"column_map maps two headers to the field {twice[twice.duplicated()].iloc[0]!r}")
    return mapping


def _select(clean: pd.DataFrame, period: Period) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """(rows in the period, rows up to its end, rows of the previous period or None)."""
    data = filter_period(clean, period)
    if period.is_all:
        return data, clean, None
    dates = clean["date"]
    end = period.end if dates.dt.tz is None else period.end.tz_localize(dates.dt.tz)
    history = clean.loc[dates <= end]
    try:
        previous = filter_period(clean, period.previous())
    except DataError:
        previous = None
    return data, history, previous


def transactions_input(
    data_path: str | PathLike = "",
    *,
    sheet: str | int = "",
    column_map: Mapping[str, str] | None = None,
    period: str | Period = "",
    today: str | pd.Timestamp | None = None,
) -> ReportInput:
    """A transaction log for a report: read, mapped, validated, the period selected.

    Parameters
    ----------
    data_path : str or path
        The user's file; ``""`` is the bundled CDNOW 1/10 sample (Fader & Hardie).
    sheet : str or int
        Excel sheet (see :func:`read_input`).
    column_map : mapping
        The user's header → field (:data:`TRANSACTION_FIELDS`); unmapped fields keep their
        names (a file with ``customer_id, date, amount`` needs no map).
    period : str or Period
        ``""`` (all data), ``2026``, ``2026-Q3`` or ``2026-10`` (:mod:`csworkbench.periods`).
    today : date-like, optional
        Dates after it are flagged as in the future.

    Returns
    -------
    ReportInput
        ``problems`` cite the customer id of each row.

    Raises
    ------
    ParameterError
        A malformed period or ``column_map``.
    DataError
        An unreadable file, a missing column, or a period without rows.
    """
    from ..schema import validate_transactions

    p = period if isinstance(period, Period) else Period.parse(period)
    mapping = _check_map(column_map, TRANSACTION_FIELDS, "a transaction log")
    header = {field: user for user, field in mapping.items()}
    names = {f: header.get(f, f) for f in TRANSACTION_FIELDS}
    if str(data_path):
        raw = read_input(data_path, sheet=sheet, id_columns=[names["customer_id"]])
        source = Path(data_path).name
    else:
        from ..config import RAW_DIR

        data_path = RAW_DIR / "transactions" / "cdnow_sample.csv"
        raw = read_input(data_path, id_columns=["customer_id"])
        source = ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # every problem is in the table the report shows
        clean, problems = validate_transactions(
            raw,
            customer_id=names["customer_id"],
            date=names["date"],
            amount=names["amount"],
            quantity=names["quantity"] if names["quantity"] in raw.columns else None,
            margin=names["margin"] if names["margin"] in raw.columns else None,
            today=today,
            path=data_path,
        )
    data, history, previous = _select(clean, p)
    cited = cite_ids(problems, raw, names["customer_id"])
    return ReportInput(data, history, previous, cited, p, source, len(raw), str(data_path))


def complaints_input(
    data_path: str | PathLike = "",
    *,
    sheet: str | int = "",
    column_map: Mapping[str, str] | None = None,
    period: str | Period = "",
    today: str | pd.Timestamp | None = None,
    lang: str = "zh",
    n_synthetic: int = 600,
    random_state: int = 0,
) -> ReportInput:
    """A complaint log for a report: read (ids as text), mapped, validated, the period selected.

    ``column_map`` and the recognised Chinese headers are those of
    :func:`csworkbench.schema.validate_complaints`; ``data_path=""`` makes ``n_synthetic``
    synthetic complaints in ``lang`` (the demo).  ``problems`` cite the complaint id of each row.

    >>> got = complaints_input("", n_synthetic=40, lang="en", today="2030-01-01")
    >>> len(got.data), got.source, list(got.problems.columns)[:2]
    (40, '', ['id', 'row'])
    """
    from ..schema import validate_complaints

    check_language(lang)
    p = period if isinstance(period, Period) else Period.parse(period)
    mapping = _check_map(column_map, list(COMPLAINT_FIELDS), "a complaint log")
    header = {field: user for user, field in mapping.items()}
    if str(data_path):
        aliases = [user for user, field in COMPLAINT_ALIASES.items() if field in _COMPLAINT_IDS]
        id_columns = [header.get(f, f) for f in _COMPLAINT_IDS] + aliases
        raw = read_input(data_path, sheet=sheet, id_columns=id_columns)
        source = Path(data_path).name
    else:
        from ..datasets.complaints import make_complaints

        raw = make_complaints(n_synthetic, lang=lang, random_state=random_state)
        source = ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        clean, problems = validate_complaints(raw, column_map=mapping, today=today, path=data_path or None)
    data, history, previous = _select(clean, p)
    id_column = header.get("complaint_id") or next(
        (c for c in raw.columns if COMPLAINT_ALIASES.get(str(c).strip(), str(c).strip()) == "complaint_id"),
        "complaint_id",
    )
    cited = cite_ids(problems, raw, id_column)
    return ReportInput(data, history, previous, cited, p, source, len(raw), str(data_path))


def cite_ids(problems: pd.DataFrame, raw: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """The problem table with an ``id`` column first: ``raw[id_column]`` of each problem's row.

    ``row`` is the 1-based data row of ``raw``; a problem about the whole table or column has
    no row and an empty id.  The id is the text the user wrote (leading zeros kept when the
    file was read by :func:`read_input`).

    >>> raw = pd.DataFrame({"cid": ["007", "008"]})
    >>> probs = pd.DataFrame({"row": [2, None], "column": ["x", "y"], "code": ["a", "b"]})
    >>> cite_ids(probs, raw, "cid")["id"].tolist()
    ['008', '']
    """
    out = problems.copy()
    ids = raw[id_column] if id_column in raw.columns else pd.Series([""] * len(raw), index=raw.index)
    text = ["" if pd.isna(v) else str(v) for v in ids]
    rows = pd.to_numeric(out["row"], errors="coerce") if "row" in out.columns else pd.Series(dtype=float)
    out.insert(0, "id", [text[int(r) - 1] if r == r and 1 <= r <= len(text) else "" for r in rows])
    return out


def problem_summary(problems: pd.DataFrame, lang: str = "zh", *, examples: int = 3) -> pd.DataFrame:
    """Problems by kind: one row per (code, column, action) with the count and example ids.

    Columns ``problem`` (the first such problem's text in ``lang``), ``column``, ``count``,
    ``action`` (in ``lang``), ``examples`` (up to ``examples`` ids or row numbers, ``、``- or
    comma-separated), most frequent first.  An empty table for no problems.

    >>> from csworkbench.problems import Problems
    >>> found = Problems()
    >>> found.add("duplicate_row", rows=[3, 5, 9], column="customer_id", action="flagged")
    >>> probs = cite_ids(found.frame(), pd.DataFrame({"customer_id": list("abcdefghij")}), "customer_id")
    >>> problem_summary(probs, "en")[["count", "examples"]].values.tolist()
    [[3, 'c, e, i']]
    """
    check_language(lang)
    columns = ["problem", "column", "count", "action", "examples"]
    if problems is None or len(problems) == 0:
        return pd.DataFrame(columns=columns)
    shown = localize(problems, lang).reset_index(drop=True)
    shown["column"] = shown["column"].fillna("").astype(str)
    key = shown["code"].astype(str) if "code" in shown.columns else shown["problem"].astype(str)
    ids = shown["id"] if "id" in shown.columns else pd.Series([""] * len(shown))
    rows = shown["row"] if "row" in shown.columns else pd.Series([None] * len(shown))
    cite = [
        i if i else (f"{t('problem.row', lang)} {int(r)}" if r == r and r is not None else "")
        for i, r in zip(ids, rows)
    ]
    shown["_cite"] = cite
    sep = "、" if lang == "zh" else ", "
    shown["_key"] = key
    out = (
        shown.groupby(["_key", "column", "action"], sort=False, dropna=False)
        .agg(problem=("problem", "first"), count=("problem", "size"))
        .reset_index()
    )
    firsts = shown[shown["_cite"] != ""].drop_duplicates(["_key", "column", "action", "_cite"])
    cited = firsts.groupby(["_key", "column", "action"], sort=False)["_cite"].agg(list)
    out["examples"] = [
        sep.join(cited.get((k, c, a), [])[:examples]) for k, c, a in zip(out["_key"], out["column"], out["action"])
    ]
    out = out.sort_values("count", ascending=False, kind="stable", ignore_index=True)
    return out[columns]


def problem_table(problems: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The full problem list for reading: ``id, row, column, value, problem, action`` in ``lang``.

    >>> from csworkbench.problems import Problems
    >>> found = Problems()
    >>> found.add("duplicate_row", rows=[2], column="customer_id", action="flagged")
    >>> import numpy as np
    >>> [str(v) for v in problem_table(cite_ids(found.frame(), pd.DataFrame({"customer_id": ["a", "007"]}), "customer_id"), "en").iloc[0]]
    ['007', '2', 'customer_id', '', 'duplicate row (identical to an earlier row)', 'flagged']
    """
    check_language(lang)
    readable = ["id", "row", "column", "value", "problem", "action"]
    if problems is None or len(problems) == 0:
        return pd.DataFrame(columns=readable)
    shown = localize(problems, lang)
    out = shown[[c for c in readable if c in shown.columns]].copy()
    for col in ("column", "value"):
        if col in out.columns:
            out[col] = ["" if v is None or v != v else str(v) for v in out[col]]
    return out.reset_index(drop=True)


def problem_labels(lang: str = "zh") -> dict[str, str]:
    """Column labels of :func:`problem_summary` and of the cited problem table in ``lang``."""
    return labels(["id", "row", "column", "value", "problem", "action", "count", "examples"], lang, prefix="problem.")


def clv_dates(
    history: pd.DataFrame, calibration_end: str = "", observation_end: str = "", *, date: str = "date"
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The calibration and observation ends for a lifetime-value model on ``history``.

    ``observation_end`` defaults to the last date in the data; ``calibration_end`` to the day
    halfway between the first date and the observation end (half of the data to fit the
    model, half to check it, as in Fader, Hardie & Lee 2005 on CDNOW: 1997-01-01 … 1998-06-30
    gives 1997-09-30).  Given dates are checked to lie in the data.

    >>> tx = pd.DataFrame({"date": pd.to_datetime(["1997-01-01", "1998-06-30"])})
    >>> [f"{d:%Y-%m-%d}" for d in clv_dates(tx)]
    ['1997-09-30', '1998-06-30']

    Raises
    ------
    ParameterError
        A date outside the data, or a calibration end not before the observation end.
    """
    dates = history[date].dropna()
    first, last = dates.min().normalize(), dates.max().normalize()
    if dates.dt.tz is not None:
        first, last = first.tz_localize(None), last.tz_localize(None)
    obs = pd.Timestamp(observation_end) if observation_end else last
    cal = pd.Timestamp(calibration_end) if calibration_end else (first + (obs - first) / 2).floor("D")
    if not first <= cal < obs:
        raise ParameterError(
            f"calibration_end must lie between the first date ({first:%Y-%m-%d}) and observation_end "
            f"({obs:%Y-%m-%d}); got {cal:%Y-%m-%d}"
        )
    return cal, obs


def previous_figure(
    previous_kpis: str | Mapping[str, Any] | None, key: str, period: Period, fallback: float | None = None
) -> tuple[float | None, Period | None]:
    """The previous period's value of key figure ``key`` and that period, for a finding.

    With ``previous_kpis`` given (the notebook parameter the batch runner fills with the
    previous period's figures, ``{key: {"value", "ci_low", "ci_high", "period"}}``, JSON text or
    a dict), its figure is used — even when the file itself holds the previous period, so the
    finding and the key-figure tiles compare with the same published number; a missing key or
    value gives ``(None, None)`` (no change stated).  With ``previous_kpis`` empty, ``fallback``
    (the figure computed from the same file's previous period, or None) and
    ``period.previous()``.

    Raises
    ------
    ParameterError
        ``previous_kpis`` is not a JSON object.

    >>> p = Period.parse("2026-10")
    >>> previous_figure('{"revenue": {"value": 120.5, "period": "2026-09"}}', "revenue", p, fallback=99.0)
    (120.5, Period(text='2026-09', kind='month'))
    >>> previous_figure("", "revenue", p, fallback=99.0)
    (99.0, Period(text='2026-09', kind='month'))
    >>> previous_figure({"customers": {"value": 3}}, "revenue", p, fallback=99.0)
    (None, None)
    """
    import json
    import math

    if not previous_kpis:
        return (None, None) if fallback is None else (float(fallback), period.previous())
    figures: Any = previous_kpis
    if isinstance(figures, str):
        try:
            figures = json.loads(figures)
        except json.JSONDecodeError as exc:
            raise ParameterError(f"previous_kpis must be JSON {{key: {{value, ...}}}}; {exc}") from None
    if not isinstance(figures, Mapping):
        raise ParameterError("previous_kpis must be a JSON object {key: {value, ci_low, ci_high, period}}")
    if not figures:
        return (None, None) if fallback is None else (float(fallback), period.previous())
    entry = figures.get(key)
    value = entry.get("value") if isinstance(entry, Mapping) else None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return None, None
    text = entry.get("period") if isinstance(entry, Mapping) else None
    return float(value), Period.parse(str(text)) if text else period.previous()


#: Fewest customers who bought again in the calibration period before the lifetime-value models are
#: fitted: with fewer, BG/NBD's four and Gamma-Gamma's three parameters are not identified (the fit
#: fails or returns arbitrary values).
MIN_REPEAT_CUSTOMERS = 20


@dataclass(frozen=True)
class LifetimeValue:
    """The lifetime-value section of the customer-tiers report, or why it is left out.

    Attributes
    ----------
    calibration_end, observation_end : Timestamp or None
    bgnbd, spend : fitted models or None
        BG/NBD (purchases) and Gamma-Gamma (spend), fitted on the calibration period.
    table : DataFrame or None
        :func:`csworkbench.clv.clv` on the state at ``observation_end``.
    reason : str
        ``""`` when fitted; else why not, in the page's language (shown in the page).
    """

    calibration_end: pd.Timestamp | None
    observation_end: pd.Timestamp | None
    bgnbd: Any
    spend: Any
    table: pd.DataFrame | None
    reason: str = ""


def lifetime_value(
    history: pd.DataFrame,
    calibration_end: str = "",
    observation_end: str = "",
    *,
    horizon_months: int = 12,
    annual_discount_rate: float = 0.10,
    margin: float = 1.0,
    n_draws: int = 0,
    random_state: int = 0,
    lang: str = "zh",
) -> LifetimeValue:
    """Fit BG/NBD + Gamma-Gamma on ``history`` and compute each customer's lifetime value — or
    say why the data cannot carry the models.

    The section is left out, with ``reason`` in ``lang``, when the history is too short to
    split into a calibration and a holdout part (dates not given), when fewer than
    :data:`MIN_REPEAT_CUSTOMERS` customers bought again before ``calibration_end``, or when a
    model does not fit (:class:`~csworkbench.errors.ModelError`, e.g. no convergence).  Dates
    the user gave that lie outside the data are an error, as in :func:`clv_dates`.

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [5.0, 6.0, 7.0],
    ...                    "date": pd.to_datetime(["2026-01-05", "2026-02-01", "2026-03-01"])})
    >>> got = lifetime_value(tx, lang="en")
    >>> got.table is None, got.reason
    (True, 'Lifetime value is not estimated: 1 customers bought again before 2026-02-01; the models need at least 20.')
    """
    from .. import clv
    from ..errors import ModelError

    check_language(lang)
    try:
        cal_end, obs_end = clv_dates(history, calibration_end, observation_end)
    except ParameterError:
        if calibration_end or observation_end:
            raise
        return LifetimeValue(None, None, None, None, None, t("pages.tiers.clv_short", lang))
    calibration = clv.summary_from_transactions(history, cal_end, obs_end)
    repeat = int((calibration.table["frequency"] > 0).sum())
    if repeat < MIN_REPEAT_CUSTOMERS:
        reason = t("pages.tiers.clv_few", lang, n=repeat, date=f"{cal_end:%Y-%m-%d}", min=MIN_REPEAT_CUSTOMERS)
        return LifetimeValue(cal_end, obs_end, None, None, None, reason)
    try:
        bgnbd = clv.BetaGeoModel().fit(calibration)
        spend = clv.GammaGammaModel().fit(calibration)
    except ModelError:
        return LifetimeValue(cal_end, obs_end, None, None, None, t("pages.tiers.clv_no_fit", lang))
    current = clv.summary_from_transactions(history, obs_end, obs_end)
    table = clv.clv(
        current,
        bgnbd,
        spend,
        horizon_months=horizon_months,
        annual_discount_rate=annual_discount_rate,
        margin=margin,
        n_draws=n_draws,
        random_state=random_state,
        lang=lang,
    )
    return LifetimeValue(cal_end, obs_end, bgnbd, spend, table)
