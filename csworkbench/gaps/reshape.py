"""Getting answers into the long layout (宽表转长表) and choosing the answers to analyse.

Every gap model reads long answers ``respondent, item, kind, score`` (one row per answer; kind
``E`` expectation, ``P`` perception, ``I`` importance points per dimension).  Questionnaire
files are usually wide (one row per respondent, ``E1 … E22, P1 … P22``): :func:`wide_to_long`
turns them long.  :func:`select_answers` keeps one segment and/or period, the filter the report
notebooks apply (a batch report over segments and periods needs no code in cells).

Examples
--------
>>> import pandas as pd
>>> from csworkbench.gaps import select_answers, wide_to_long
>>> long = wide_to_long(pd.DataFrame({"E1": [6, 7], "P1": [5, 7], "segment": ["a", "b"]}), keep=["segment"])
>>> select_answers(long, segment_column="segment", segment_value="b")[["item", "kind", "score"]].values.tolist()
[['q1', 'E', 7.0], ['q1', 'P', 7.0]]
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ._common import require, rows_text

__all__ = [
    "KIND_LABELS",
    "answer_columns",
    "find_respondent_column",
    "wide_to_long",
    "survey_answers",
    "cite_respondents",
    "instrument_mapping",
    "select_answers",
]


#: Column-name labels of the answer kinds (期望/感知/重要性 and the usual Latin abbreviations).
#: Matched case-insensitively as a prefix (``期望1``, ``感知_1``, ``E1``, ``EXPE3``, ``P-12``) or a
#: suffix (``q1_E``, ``1期望``) of an item number.
KIND_LABELS: dict[str, str] = {
    "期望": "E",
    "期望值": "E",
    "E": "E",
    "EXP": "E",
    "EXPE": "E",
    "EXPECT": "E",
    "EXPECTATION": "E",
    "感知": "P",
    "感受": "P",
    "实际": "P",
    "P": "P",
    "PER": "P",
    "PERC": "P",
    "PERCEPTION": "P",
    "重要性": "I",
    "重要度": "I",
    "I": "I",
    "IMP": "I",
    "IMPORTANCE": "I",
}
_SEP = r"[\s_\-.:：]?"
#: Respondent-id headers looked for when no ``respondent`` column is named.
RESPONDENT_COLUMNS = (
    "respondent",
    "respondent_id",
    "id",
    "受访者",
    "受访者编号",
    "受访者id",
    "问卷编号",
    "样本编号",
    "编号",
)


def _kind_rules(kinds: Mapping[str, str] | None) -> tuple[dict[str, str], list[re.Pattern]]:
    """Label → kind (upper-cased) and the prefix/suffix/importance-name expressions built from the labels."""
    table = {str(k).strip().upper(): str(v).strip().upper() for k, v in (kinds or KIND_LABELS).items()}
    bad = sorted({v for v in table.values() if v not in ("E", "P", "I")})
    if bad or not table:
        raise ParameterError(f"kinds must map column labels to 'E', 'P' or 'I'; got kinds {bad or 'empty'}")
    alt = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    imp = "|".join(re.escape(k) for k, v in sorted(table.items(), key=lambda kv: -len(kv[0])) if v == "I")
    rules = [
        re.compile(rf"^(?P<kind>{alt}){_SEP}(?P<item>\d+)$", re.IGNORECASE),
        re.compile(rf"^(?P<item>[A-Za-z]{{0,4}}\d+){_SEP}(?P<kind>{alt})$", re.IGNORECASE),
    ]
    if imp:  # importance of a dimension named after the label: 重要性_可靠性, IMP_reliability
        rules.append(re.compile(rf"^(?P<kind>{imp})[\s_\-.:：](?P<item>\S.*)$", re.IGNORECASE))
    return table, rules


def answer_columns(
    columns: Sequence[Any],
    *,
    pattern: str | None = None,
    kinds: Mapping[str, str] | None = None,
    item_format: str = "q{}",
) -> list[tuple[Any, str, str]]:
    """The answer columns of a wide survey: ``(column, kind, item)`` for each header that names one.

    Headers are compared after Unicode NFKC normalisation (full-width ``Ｐ１`` reads as ``P1``).
    An item number becomes ``item_format.format(number)`` (``期望7`` → ``q7``); an importance
    column named after a dimension (``重要性_可靠性``) keeps the name as its item.

    Parameters
    ----------
    columns : sequence
        The headers.
    pattern : str, optional
        A regular expression with the named groups ``kind`` and ``item`` (instead of the labels).
    kinds : mapping label → kind, optional
        Column labels of the kinds (``"E"``, ``"P"``, ``"I"``); default :data:`KIND_LABELS`.
        With ``pattern``, the ``kind`` group is looked up here (else upper-cased).
    item_format : str
        How an item number is written.

    Examples
    --------
    >>> answer_columns(["编号", "期望1", "感知_1", "EXPE2", "q2_P", "重要性_可靠性", "性别"])
    [('期望1', 'E', 'q1'), ('感知_1', 'P', 'q1'), ('EXPE2', 'E', 'q2'), ('q2_P', 'P', 'q2'), ('重要性_可靠性', 'I', '可靠性')]
    >>> answer_columns(["满意度预期3", "满意度实感3"], kinds={"满意度预期": "E", "满意度实感": "P"})
    [('满意度预期3', 'E', 'q3'), ('满意度实感3', 'P', 'q3')]
    """
    table, rules = _kind_rules(kinds)
    if pattern is not None:
        try:
            rx = re.compile(pattern)
        except re.error as exc:
            raise ParameterError(f"pattern is not a regular expression ({exc}); got {pattern!r}") from None
        if not {"kind", "item"} <= set(rx.groupindex):
            raise ParameterError(f"pattern needs the named groups (?P<kind>…) and (?P<item>…); got {pattern!r}")
        rules = [rx]
    found = []
    for col in columns:
        name = unicodedata.normalize("NFKC", str(col)).strip()
        for rx in rules:
            m = rx.match(name)
            if m:
                label, it = m.group("kind"), m.group("item")
                kind = table.get(label.upper(), label.upper())
                number = it[1:] if re.fullmatch(r"[qQ]\d+", it) else it  # q1_E: item 1
                item = item_format.format(it if pattern is not None else number)
                if pattern is None and not number.isdigit():  # a named dimension or item keeps its name
                    item = it
                found.append((col, kind, item))
                break
    return found


def find_respondent_column(columns: Sequence[Any]) -> str | None:
    """The respondent-id header among ``columns`` (:data:`RESPONDENT_COLUMNS`, any case), or None.

    >>> find_respondent_column(["性别", "问卷编号", "期望1"])
    '问卷编号'
    """
    lowered = {str(c).strip().lower(): c for c in columns}
    for name in RESPONDENT_COLUMNS:
        if name in lowered:
            return lowered[name]
    return None


def wide_to_long(
    data: pd.DataFrame,
    *,
    respondent: str | None = None,
    pattern: str | None = None,
    kinds: Mapping[str, str] | None = None,
    item_format: str = "q{}",
    importance: Mapping[str, str] | None = None,
    keep: Sequence[str] = (),
) -> pd.DataFrame:
    """Wide survey answers → the long layout ``respondent, item, kind, score`` (宽表转长表).

    Parameters
    ----------
    data : DataFrame
        One row per respondent, one column per answer: ``E1 … E22, P1 … P22``, ``期望1 … 感知22``,
        ``感知_1``, ``EXPE3``, ``q1_E`` … (see :func:`answer_columns`).
    respondent : str, optional
        Respondent id column (kept as written, e.g. ``000123``); default the 1-based row number.
    pattern : str, optional
        Regular expression with named groups ``kind`` and ``item``, for headers the labels do not cover.
    kinds : mapping label → kind, optional
        The column labels of expectation ``E``, perception ``P`` and importance ``I``; default
        :data:`KIND_LABELS` (期望/感知/重要性, E/P/I, EXPE/PERC/IMP …).
    item_format : str
        How an item label is written from an item number, default ``"q{}"`` (``E5`` → ``q5``,
        so the 22 standard SERVQUAL items map onto the standard dimensions).
    importance : mapping dimension → column, optional
        Importance-points columns, written as rows with kind ``"I"`` and the dimension as item.
    keep : sequence of str
        Respondent-level columns carried along (segment, date …).

    Returns
    -------
    DataFrame
        ``respondent, item, kind, score, source_column`` (+ ``keep`` columns); ``source_column``
        is the header the answer came from.  Blanks stay as NaN rows.

    Raises
    ------
    DataError
        No column names an answer, or a matched column holds text that is not a number.
    ParameterError
        ``pattern`` is not a regular expression with the groups ``kind`` and ``item``; ``kinds``
        maps to something other than E/P/I.

    Examples
    --------
    >>> import pandas as pd
    >>> wide_to_long(pd.DataFrame({"E1": [6, 7], "P1": [5, None]}))
       respondent item kind  score source_column
    0           1   q1    E    6.0            E1
    1           2   q1    E    7.0            E1
    2           1   q1    P    5.0            P1
    3           2   q1    P    NaN            P1
    >>> wide_to_long(pd.DataFrame({"编号": ["007"], "期望1": ["6"], "感知1": ["5"]}), respondent="编号")[
    ...     ["respondent", "item", "kind", "score"]].values.tolist()
    [['007', 'q1', 'E', 6.0], ['007', 'q1', 'P', 5.0]]
    """
    require(data, [*([respondent] if respondent else []), *keep, *(importance or {}).values()], "the wide answers")
    ids = data[respondent].to_numpy() if respondent else np.arange(1, len(data) + 1)
    taken = {respondent, *keep, *(importance or {}).values()}
    parts = [
        (kind, it, col)
        for col, kind, it in answer_columns(data.columns, pattern=pattern, kinds=kinds, item_format=item_format)
        if col not in taken
    ]
    if not parts and not importance:
        how = (
            f"{pattern!r}" if pattern else "the labels 期望/感知/重要性, E/P/I, EXPE/PERC … followed by an item number"
        )
        raise DataError(
            f"no column names an answer by {how}: nothing to reshape; the columns are {list(data.columns)[:20]} "
            "(pass kinds= or pattern= for other headers)"
        )
    parts.sort(key=lambda p: (p[0], _natural(p[1])))
    pieces = []
    for kind, it, col in parts + [("I", d, c) for d, c in (importance or {}).items()]:
        values = pd.to_numeric(data[col], errors="coerce").to_numpy(dtype=float)
        bad = data[col].notna().to_numpy() & np.isnan(values)
        if bad.any():
            rows = np.flatnonzero(bad) + 1
            raise DataError(
                f"not a number ({rows_text(rows)}); got {data[col].iloc[rows[0] - 1]!r}", column=col, row=int(rows[0])
            )
        piece = {"respondent": ids, "item": it, "kind": kind, "score": values, "source_column": str(col)}
        for c in keep:
            piece[c] = data[c].to_numpy()
        pieces.append(pd.DataFrame(piece))
    return pd.concat(pieces, ignore_index=True)


def _natural(label: str):
    return [int(s) if s.isdigit() else s for s in re.split(r"(\d+)", str(label))]


def survey_answers(
    data: pd.DataFrame,
    *,
    respondent: str = "",
    kinds: Mapping[str, str] | None = None,
    pattern: str | None = None,
    item_format: str = "q{}",
) -> pd.DataFrame:
    """Long answers from a survey as the user has it, wide or long (one call for the report notebooks).

    A frame with the columns ``item, kind, score`` is taken as long answers; any other frame
    as wide answers, reshaped by :func:`wide_to_long` with the headers mapped by
    :func:`answer_columns` (``期望1``/``感知1``/``重要性_可靠性``, ``E1``/``P1``, ``EXPE3``,
    ``q1_E`` …, or the user's ``kinds``/``pattern``) and every other column carried along
    (segment, date …).  Each answer keeps where it came from: ``source_row`` (1-based data
    row of ``data``) and, for wide data, ``source_column``, so problems can be cited by the
    respondent's own id and the header they wrote (:func:`cite_respondents`).

    Parameters
    ----------
    data : DataFrame
        The survey as read (ids as text keep their leading zeros).
    respondent : str
        The respondent-id column; ``""`` looks for one of :data:`RESPONDENT_COLUMNS` (wide data
        without one are numbered by row).
    kinds, pattern, item_format
        As in :func:`wide_to_long`.

    Returns
    -------
    DataFrame
        ``respondent, item, kind, score, source_row`` (+ ``source_column`` and the other
        columns), ``attrs`` of ``data`` kept.

    Raises
    ------
    DataError
        The named respondent column is missing; long answers without a respondent column; no
        header names an answer.

    Examples
    --------
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"问卷编号": ["0012", "0013"], "门店": ["A", "B"], "期望1": [6, 7], "感知1": [5, 7]})
    >>> long = survey_answers(wide)
    >>> long[["respondent", "item", "kind", "score", "门店", "source_column"]].head(2).values.tolist()
    [['0012', 'q1', 'E', 6.0, 'A', '期望1'], ['0013', 'q1', 'E', 7.0, 'B', '期望1']]
    """
    if respondent:
        require(data, [respondent], "the survey (respondent column)", data.attrs.get("source"))
    if {"item", "kind", "score"} <= set(data.columns):
        rid = respondent or ("respondent" if "respondent" in data.columns else find_respondent_column(data.columns))
        if rid is None:
            raise DataError(
                "long answers (item, kind, score) need a respondent-id column; name it with respondent=",
                path=data.attrs.get("source"),
                column="respondent",
            )
        out = data.rename(columns={rid: "respondent"}) if rid != "respondent" else data.copy()
        out["source_row"] = np.arange(1, len(out) + 1)
        out.attrs = dict(data.attrs)
        return out
    rid = respondent or find_respondent_column(data.columns)
    matched = {c for c, _, _ in answer_columns(data.columns, pattern=pattern, kinds=kinds, item_format=item_format)}
    keep = [c for c in data.columns if c not in matched and c != rid]
    long = wide_to_long(data, respondent=rid, pattern=pattern, kinds=kinds, item_format=item_format, keep=keep)
    long.insert(5, "source_row", np.tile(np.arange(1, len(data) + 1), len(long) // max(len(data), 1)))
    long.attrs = dict(data.attrs)
    return long


def cite_respondents(problems: pd.DataFrame, answers: pd.DataFrame, respondent: str = "respondent") -> pd.DataFrame:
    """The problem table with each problem cited by the respondent's own id, data row and header.

    ``problems`` number rows of ``answers`` (1-based, as the gap models do); this puts an ``id``
    column first (the respondent id as the user wrote it), sets ``row`` to the row of the user's
    file (``source_row``) and, for answers reshaped from wide data, ``column`` to the header the
    answer came from (``感知3`` rather than ``score``).  A problem about the whole table has no
    row and an empty id.

    Examples
    --------
    >>> import pandas as pd
    >>> long = survey_answers(pd.DataFrame({"编号": ["007", "008"], "期望1": [6, 7], "感知1": [5, 9]}))
    >>> probs = pd.DataFrame({"row": [4, None], "column": ["score", "item"], "value": [9, None]})
    >>> cite_respondents(probs, long)[["id", "row", "column"]].values.tolist()
    [['008', 2, '感知1'], ['', None, 'item']]
    """
    out = problems.copy()
    rows = pd.to_numeric(out["row"], errors="coerce") if "row" in out.columns else pd.Series(np.nan, index=out.index)
    ok = rows.notna() & (rows >= 1) & (rows <= len(answers))
    pos = (rows.where(ok, 1) - 1).astype(int).to_numpy()
    ids = answers[respondent].to_numpy()[pos] if respondent in answers.columns else np.full(len(out), "")
    out.insert(0, "id", ["" if not k or pd.isna(v) else str(v) for v, k in zip(ids, ok)])
    if "source_row" in answers.columns:
        src = answers["source_row"].to_numpy()[pos]
        out["row"] = pd.array([int(r) if k else None for r, k in zip(src, ok)], dtype=object)
    if "source_column" in answers.columns and "column" in out.columns:
        src_col = answers["source_column"].to_numpy()[pos]
        out["column"] = [
            str(sc) if k and c in ("score", "kind", "item") else c for sc, c, k in zip(src_col, out["column"], ok)
        ]
    return out


def instrument_mapping(
    mapping: Mapping[str, Sequence[Any]] | None, *, kinds: Mapping[str, str] | None = None, item_format: str = "q{}"
) -> dict[str, list[str]] | None:
    """A user's dimension → items mapping with the items written as :func:`survey_answers` writes them.

    An item may be given as its number (``3`` or ``"3"`` → ``q3``), as one of its headers
    (``"期望3"``, ``"P3"`` → ``q3``) or as the item label itself.  ``None`` or ``{}`` stays None
    (the standard SERVQUAL instrument).

    Raises
    ------
    ParameterError
        ``mapping`` is not a mapping of dimension → list of items.

    Examples
    --------
    >>> instrument_mapping({"有形性": [1, "2", "期望3", "q4"]})
    {'有形性': ['q1', 'q2', 'q3', 'q4']}
    """
    if not mapping:
        return None
    if not isinstance(mapping, Mapping):
        raise ParameterError(
            f"mapping must map each dimension to its items, e.g. {{'有形性': [1, 2, 3, 4]}}; got {mapping!r}"
        )
    out: dict[str, list[str]] = {}
    for dim, items in mapping.items():
        if isinstance(items, (str, int)) or not isinstance(items, Sequence):
            raise ParameterError(f"mapping: dimension {dim!r} must list its items, e.g. [1, 2, 3]; got {items!r}")
        written = []
        for it in items:
            text = unicodedata.normalize("NFKC", str(it)).strip()
            header = answer_columns([text], kinds=kinds, item_format=item_format)
            written.append(item_format.format(text) if text.isdigit() else header[0][2] if header else text)
        out[str(dim)] = written
    return out


def select_answers(
    answers: pd.DataFrame,
    *,
    segment_column: str = "",
    segment_value: Any = "",
    period: str = "",
    date: str = "date",
) -> pd.DataFrame:
    """Answers of one segment and/or period (for report notebooks: one call, no code in cells).

    Parameters
    ----------
    answers : DataFrame
        Long (or wide) answers with respondent-level columns.
    segment_column, segment_value : str
        Keep rows whose ``segment_column`` equals ``segment_value`` (compared as text);
        ``""`` = no segment filter.
    period : str
        A reporting period (``"2026"``, ``"2026-Q3"``, ``"2026-10"``; ``""`` = all), applied by
        :func:`csworkbench.periods.filter_period` to the interview date column ``date`` (text
        dates are read as :func:`csworkbench.schema.parse_dates` reads them, never guessed).
        Data without that column but with a ``period`` column of period texts (``2026-10``)
        are placed by the start of each row's period.  Data with neither are used whole with a
        :class:`~csworkbench.errors.DataWarning` (a batch-wide period must not break reports
        on survey data without dates).
    date : str
        The interview date column.

    Returns
    -------
    DataFrame
        The selected rows (index kept).

    Raises
    ------
    DataError
        Unknown segment column, a date that cannot be read, or nothing left; the message
        lists the values (or the dates) present.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"score": [1, 2, 3], "segment": ["a", "b", "a"], "date": ["2026-09-30", "2026-10-01", "2026-10-31"]})
    >>> select_answers(df, segment_column="segment", segment_value="a", period="2026-10")["score"].tolist()
    [3]
    >>> select_answers(df.drop(columns="date").assign(period=["2026-09", "2026-10", "2026-10"]), period="2026-Q4")["score"].tolist()
    [2, 3]
    """
    from ..periods import Period, filter_period

    wanted = Period.parse(period)
    out = answers
    if segment_column:
        require(answers, [segment_column], "the segment filter")
        values = answers[segment_column].astype("string")
        out = out[(values == str(segment_value)).fillna(False).to_numpy(dtype=bool)]
        if out.empty:
            present = sorted(map(str, pd.unique(values.dropna())))[:20]
            raise DataError(
                f"no answers with {segment_column} = {segment_value!r}; the data hold {present}", column=segment_column
            )
    if wanted.is_all:
        return out
    if date in out.columns:
        dates = _read_dates(out[date], date)
    elif "period" in out.columns:
        dates = _period_starts(out["period"])
    else:
        warnings.warn(
            f"period {wanted.text!r} asked for, but the data have no {date!r} (interview date) column: all answers used",
            DataWarning,
            stacklevel=2,
        )
        return out
    chosen = filter_period(pd.DataFrame({"_date": dates}, index=out.index), wanted, date="_date")
    return out.loc[chosen.index]


def _read_dates(values: pd.Series, column: str) -> pd.Series:
    """Interview dates as datetimes; a cell that is not a date is an error (it could not be placed in a period)."""
    from ..problems import Problems
    from ..schema._common import parse_dates

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values
    found = Problems()
    parsed = parse_dates(values, column=column, problems=found)
    bad = parsed.isna().to_numpy() & values.notna().to_numpy()
    if bad.any():
        rows = np.flatnonzero(bad) + 1
        raise DataError(
            f"not a date ({rows_text(rows)}); got {values.iloc[rows[0] - 1]!r}: the answers cannot be placed in a "
            "period (write dates as 2026-10-05, or pass period='')",
            column=column,
            row=int(rows[0]),
        )
    return parsed


def _period_starts(values: pd.Series) -> pd.Series:
    """The first day of each row's period text (``2026-10`` → 2026-10-01); a text that is no period is an error."""
    from ..periods import Period

    starts = {}
    for v in pd.unique(values.dropna().astype(str)):
        try:
            starts[v] = Period.parse(v).start
        except ParameterError:
            raise DataError(f"holds {v!r}, not a period like 2026, 2026-Q3 or 2026-10", column="period") from None
    return pd.to_datetime(values.astype("string").map(starts))
