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
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ._common import require, rows_text

__all__ = ["wide_to_long", "select_answers"]


def wide_to_long(
    data: pd.DataFrame,
    *,
    respondent: str | None = None,
    pattern: str = r"^(?P<kind>[EP])_?(?P<item>\d+)$",
    item_format: str = "q{}",
    importance: Mapping[str, str] | None = None,
    keep: Sequence[str] = (),
) -> pd.DataFrame:
    """Wide survey answers → the long layout ``respondent, item, kind, score`` (宽表转长表).

    Parameters
    ----------
    data : DataFrame
        One row per respondent, one column per answer (``E1 … E22, P1 … P22`` by default).
    respondent : str, optional
        Respondent id column; default the 1-based row number.
    pattern : str
        Regular expression with named groups ``kind`` (``E``/``P``) and ``item``.
    item_format : str
        How an item label is written from the ``item`` group, default ``"q{}"`` (``E5`` → ``q5``).
    importance : mapping dimension → column, optional
        Importance-points columns, written as rows with kind ``"I"`` and the dimension as item.
    keep : sequence of str
        Respondent-level columns carried along (segment, period …).

    Returns
    -------
    DataFrame
        ``respondent, item, kind, score`` (+ ``keep`` columns); blanks stay as NaN rows.

    Raises
    ------
    DataError
        No column matches ``pattern``, or a matched column holds text that is not a number.
    ParameterError
        ``pattern`` is not a regular expression with the groups ``kind`` and ``item``.

    Examples
    --------
    >>> import pandas as pd
    >>> wide_to_long(pd.DataFrame({"E1": [6, 7], "P1": [5, None]}))
       respondent item kind  score
    0           1   q1    E    6.0
    1           2   q1    E    7.0
    2           1   q1    P    5.0
    3           2   q1    P    NaN
    """
    try:
        rx = re.compile(pattern)
    except re.error as exc:
        raise ParameterError(f"pattern is not a regular expression ({exc}); got {pattern!r}") from None
    if not {"kind", "item"} <= set(rx.groupindex):
        raise ParameterError(f"pattern needs the named groups (?P<kind>…) and (?P<item>…); got {pattern!r}")
    require(data, [*([respondent] if respondent else []), *keep, *(importance or {}).values()], "the wide answers")
    ids = data[respondent].to_numpy() if respondent else np.arange(1, len(data) + 1)
    parts = []
    for col in data.columns:
        m = rx.match(str(col))
        if not m or col == respondent:
            continue
        parts.append((m.group("kind").upper(), item_format.format(m.group("item")), col))
    if not parts and not importance:
        raise DataError(f"no column matches {pattern!r}: nothing to reshape; columns are {list(data.columns)[:20]}")
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
        piece = {"respondent": ids, "item": it, "kind": kind, "score": values}
        for c in keep:
            piece[c] = data[c].to_numpy()
        pieces.append(pd.DataFrame(piece))
    return pd.concat(pieces, ignore_index=True)


def _natural(label: str):
    return [int(s) if s.isdigit() else s for s in re.split(r"(\d+)", str(label))]


def select_answers(
    answers: pd.DataFrame,
    *,
    segment_column: str = "",
    segment_value: Any = "",
    period: str = "",
    period_column: str = "period",
) -> pd.DataFrame:
    """Answers of one segment and/or period (for report notebooks: one call, no code in cells).

    Parameters
    ----------
    answers : DataFrame
        Long answers with respondent-level columns.
    segment_column, segment_value : str
        Keep rows whose ``segment_column`` equals ``segment_value`` (compared as text);
        ``""`` = no segment filter.
    period : str
        Keep rows whose ``period_column`` starts with ``period`` (``"2026"`` keeps
        ``"2026Q1"`` and ``"2026-10"``); ``""`` = all.  When the data have no such column the
        filter is skipped with a :class:`~csworkbench.errors.DataWarning` (a batch-wide period
        must not break reports on data without periods).

    Returns
    -------
    DataFrame
        The selected rows (index kept).

    Raises
    ------
    DataError
        Unknown segment column, or nothing left; the message lists the values present.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"score": [1, 2, 3], "segment": ["a", "b", "a"], "period": ["2026-09", "2026-10", "2026-10"]})
    >>> select_answers(df, segment_column="segment", segment_value="a", period="2026-10")["score"].tolist()
    [3]
    """
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
    if period:
        if period_column not in answers.columns:
            warnings.warn(
                f"period {period!r} asked for, but the data have no {period_column!r} column: all answers used",
                DataWarning,
                stacklevel=2,
            )
            return out
        values = out[period_column].astype("string")
        chosen = out[values.str.startswith(str(period)).fillna(False).to_numpy(dtype=bool)]
        if chosen.empty:
            present = sorted(map(str, pd.unique(answers[period_column].dropna())))[:20]
            raise DataError(f"no answers for period {period!r}; the data hold {present}", column=period_column)
        out = chosen
    return out
