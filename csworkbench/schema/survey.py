"""Validation of survey answers (问卷校验): rating scales, expectation/perception pairs, respondents.

Wide (one row per respondent) or long (``respondent, item, kind, score``) answers are checked
against the scale; summary rows, second header rows, empty and duplicated rows are listed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..problems import Problems, part
from ._common import (
    Validated,
    _blank,
    _empty_rows,
    _is_date_cell,
    _require_columns,
    _restore_excel_errors,
    _rows,
    _source,
    _to_number,
    clean_ids,
    summary_rows,
)

# --------------------------------------------------------------------------- surveys


def _scale_text(scale: tuple[float, float]) -> str:
    lo, hi = scale
    fmt = lambda v: str(int(v)) if float(v).is_integer() else str(v)  # noqa: E731
    return f"{fmt(lo)}–{fmt(hi)}"


def _check_scores(
    values: pd.Series, column: str, scale: tuple[float, float], coll: Problems, rownums: np.ndarray | None = None
) -> pd.Series:
    numbers, bad = _to_number(values)
    expected = part("scale", range=_scale_text(scale))
    raw = values.to_numpy()
    dated = _is_date_cell(values) & bad
    lo, hi = scale
    out = ((numbers < lo) | (numbers > hi)).fillna(False).to_numpy(dtype=bool)
    coded = out & numbers.isin(_MISSING_CODES).to_numpy()
    found: list[tuple[np.ndarray, tuple[str, dict[str, Any]]]] = [
        (bad & ~dated, ("not_number", {"part": expected})),
        (dated, ("date_in_scores", {"part": expected})),
        (out & ~coded, ("outside_scale", {"part": expected})),
    ]
    for code in sorted(set(numbers[coded].tolist())):
        found.append(
            (coded & (numbers == code).to_numpy(), ("outside_scale_code", {"part": expected, "code": f"{code:g}"}))
        )
    # in row order, so that strict mode reports the first problem of the column
    for mask, problem in sorted((f for f in found if f[0].any()), key=lambda f: int(np.argmax(f[0]))):
        coll.add(
            problem[0], rows=_rows(mask, rownums), column=column, values=raw[mask], action="kept_nan", **problem[1]
        )
    return numbers.where(~pd.Series(out, index=numbers.index))


#: Id-column labels of the rows spreadsheets add under a table (合计 / 平均 …), lower case.
_SUMMARY_LABELS = frozenset(
    {
        "合计",
        "总计",
        "小计",
        "总和",
        "平均",
        "平均值",
        "平均分",
        "均值",
        "total",
        "sum",
        "subtotal",
        "average",
        "mean",
        "avg",
    }
)

#: Codes questionnaires use for "no answer", "don't know", "not applicable" (SPSS habits).
_MISSING_CODES = (-999, -99, -9, -1, 97, 98, 99, 997, 998, 999, 9999)


def _pair_items(
    columns: Sequence[str], expectation: str, perception: str
) -> tuple[dict[str, tuple[str | None, str | None]], list[str]]:
    """Match expectation/perception columns by what follows the prefix (E1 ↔ P1, exp_speed ↔ perc_speed)."""
    pattern = {
        kind: re.compile(rf"^{re.escape(prefix)}[_\-. ]?(.+)$")
        for kind, prefix in (("E", expectation), ("P", perception))
    }
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


def case_weight_values(values: pd.Series, column: str, coll: Problems, rownums: np.ndarray | None = None) -> np.ndarray:
    """A case-weight column as floats; missing, non-numeric, negative and 0 weights become NaN and are listed.

    Codes ``weight_not_number``, ``weight_negative``, ``weight_missing``, ``weight_zero`` (action:
    left out of weighted results); the row stays in the data.  The one weight check of the package
    (:func:`csworkbench.weighting.design.case_weights` calls it).

    >>> import pandas as pd
    >>> from csworkbench.problems import Problems
    >>> p = Problems()
    >>> case_weight_values(pd.Series([2.0, 0, None]), "w", p).tolist(), p.frame()["code"].tolist()
    ([2.0, nan, nan], ['weight_missing', 'weight_zero'])
    """
    rows = np.arange(1, len(values) + 1) if rownums is None else np.asarray(rownums)
    raw = values.to_numpy()
    num = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    missing = pd.isna(values).to_numpy()
    for code, mask in (
        ("weight_not_number", np.isnan(num) & ~missing),
        ("weight_negative", num < 0),
        ("weight_missing", missing),
        ("weight_zero", num == 0),
    ):
        if mask.any():
            coll.add(code, rows=rows[mask], column=column, values=raw[mask], action="weight_excluded")
    return np.where(np.isfinite(num) & (num > 0), num, np.nan)


def _carry_weights(data: pd.DataFrame, frame: pd.DataFrame, weights: str, coll: Problems, rn) -> pd.DataFrame:
    """The weight column checked (unusable weights NaN, listed) and its provenance in ``attrs["weights"]``."""
    _require_columns(data, [weights], coll, "the survey")
    data[weights] = case_weight_values(data[weights], weights, coll, rn)
    given = frame.attrs.get("weights") if isinstance(frame.attrs.get("weights"), dict) else None
    provenance = (
        dict(given) if given and given.get("column") == weights else {"column": weights, "method": "given in the data"}
    )
    usable = data[weights].dropna()
    provenance.update(
        source=coll.path,
        n_usable=int(len(usable)),
        sum_weights=float(usable.sum()),
        n_eff=float(usable.sum() ** 2 / (usable**2).sum()) if len(usable) else float("nan"),
    )
    data.attrs = {**frame.attrs, "weights": provenance}
    return data


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
    weights: str | None = None,
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
        Respondent id column (wide).  Ids are text (:func:`clean_ids`: ``0456`` and ``456``
        are two respondents; full-width ids made half-width and listed; ids damaged by a
        spreadsheet listed).  Duplicate ids are flagged (``'R7'`` and ``'R7 '`` are
        the same id); exact duplicate rows dropped (and listed), and so are summary rows that
        spreadsheets add under a table (合计, 总计, 总平均, 小计, 平均, Total, Sum, Average … in
        the id column, or in the first column when there is no id column: :func:`summary_rows`).  Rows with no answer
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
    weights : str, optional
        Column of case weights to carry through: made float, with missing, non-numeric,
        negative and 0 weights set to NaN and listed (the respondent stays, left out of weighted
        results); ``data.attrs["weights"]`` records the provenance (column, method — e.g. the
        raking record of :func:`csworkbench.weighting.rake` when the frame carries one — source
        file, usable count, sum and Kish's n_eff).

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
    coll = Problems(path=_source(frame, path), strict=strict)
    if scale[0] >= scale[1]:
        raise DataError(f"scale must be (low, high) with low < high; got {scale!r}")
    if layout == "long":
        long = _validate_long_survey(frame, scale, dict(long_columns or {}), coll)
        if weights is None:
            return long
        rows = frame.index.get_indexer(long.data.index) + 1
        data = _carry_weights(long.data.copy(), frame, weights, coll, rows)
        return Validated(data, coll.frame(sort=True))
    if layout != "wide":
        raise DataError(f"layout must be 'wide' or 'long'; got {layout!r}")
    data = _restore_excel_errors(frame).copy()
    if id_column is not None:
        _require_columns(data, [id_column], coll, "the survey")
    items = _survey_items(data, id_column, items, expectation, perception, coll)
    rn = np.arange(1, len(data) + 1)
    if len(data) > 1:
        data, rn = _drop_second_header(data, rn, items, coll)
    empty = _empty_rows(data)
    coll.add("empty_row", rows=_rows(empty, rn), action="dropped")
    data, rn = data[~empty], rn[~empty]
    if len(data.columns):
        where = id_column if id_column is not None else data.columns[0]
        summary = summary_rows(data, [where])
        coll.add(
            "summary_row",
            rows=_rows(summary, rn),
            column=where,
            values=data[where].to_numpy()[summary],
            action="dropped",
        )
        data, rn = data[~summary], rn[~summary]
    no_answer = np.logical_and.reduce([_blank(data[c]).to_numpy() for c in items])
    if len(items) > 1 and 0 < no_answer.sum() < len(data):
        where = id_column if id_column is not None else items[0]
        coll.add("no_answer", rows=_rows(no_answer, rn), column=where, values=data[where].to_numpy()[no_answer])
    for col in items:
        data[col] = _check_scores(data[col], col, scale, coll, rn)
        if data[col].isna().all():
            coll.add("item_all_missing", column=col)
    if expectation and perception:
        _check_pairs(items, expectation, perception, coll)
    if id_column is not None:
        data, rn = _check_respondents(data, rn, id_column, coll)
    if weights is not None:
        data = _carry_weights(data, frame, weights, coll, rn)
    return Validated(data, coll.frame(sort=True))


def _survey_items(
    data: pd.DataFrame,
    id_column: str | None,
    items: Sequence[str] | None,
    expectation: str | None,
    perception: str | None,
    coll: Problems,
) -> Sequence[str]:
    """The item columns: those given (which must exist), else the E/P columns, else all but the id."""
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
    return items


def _drop_second_header(
    data: pd.DataFrame, rn: np.ndarray, items: Sequence[str], coll: Problems
) -> tuple[pd.DataFrame, np.ndarray]:
    """Drop (and list) a first row that is mostly text in the items: a second header row."""
    first = data[list(items)].iloc[[0]]
    text = sum(int(_to_number(first[c])[1][0]) for c in items)
    if text >= max(2, (len(items) + 1) // 2):
        coll.add(
            "second_header",
            rows=[1],
            column=items[0],
            values=[first[items[0]].iloc[0]],
            action="dropped",
            row=1,
            n=text,
            k=len(items),
        )
        data, rn = data.iloc[1:], rn[1:]
    return data, rn


def _check_pairs(items: Sequence[str], expectation: str, perception: str, coll: Problems) -> None:
    """Flag items present as only an expectation or only a perception column."""
    pairs, _ = _pair_items(items, expectation, perception)
    for key, (e, p) in pairs.items():
        if e is None or p is None:
            have = p if e is None else e
            lacking = f"{expectation}{key}" if e is None else f"{perception}{key}"
            coll.add("unpaired", column=have, have=repr(have), lacking=repr(lacking))


def _check_respondents(
    data: pd.DataFrame, rn: np.ndarray, id_column: str, coll: Problems
) -> tuple[pd.DataFrame, np.ndarray]:
    """List missing ids, drop exact duplicate rows and flag respondents answering twice."""
    data = data.copy()
    data[id_column] = clean_ids(
        data[id_column],
        column=id_column,
        problems=coll,
        rownums=rn,
        missing="missing_respondent",
        missing_action="flagged",
    )  # text, leading zeros kept: '0456' and '456' are two respondents
    ids = data[id_column]
    exact = data.duplicated(keep="first").to_numpy()
    coll.add(
        "duplicate_same_answers",
        rows=_rows(exact, rn),
        column=id_column,
        values=ids.to_numpy()[exact],
        action="dropped",
    )
    data, rn = data[~exact], rn[~exact]
    key = data[id_column]  # trimmed by clean_ids: 'R7' and 'R7 ' are the same respondent
    again = (key.duplicated(keep=False) & key.notna()).fillna(False).to_numpy(dtype=bool)
    coll.add("duplicate_respondent", rows=_rows(again, rn), column=id_column, values=data[id_column].to_numpy()[again])
    return data, rn


def _validate_long_survey(frame: pd.DataFrame, scale, names: dict[str, str], coll: Problems) -> Validated:
    col = {k: names.get(k, k) for k in ("respondent", "item", "kind", "score")}
    need = [col["respondent"], col["item"], col["score"]]
    if col["kind"] in frame.columns:
        need.append(col["kind"])
    _require_columns(frame, need, coll, "a long survey table")
    data = frame.copy()
    data[col["respondent"]] = clean_ids(
        data[col["respondent"]],
        column=col["respondent"],
        problems=coll,
        missing="missing_respondent",
        missing_action="flagged",
    )
    data[col["score"]] = _check_scores(data[col["score"]], col["score"], scale, coll)
    if col["kind"] in data.columns:
        kind = data[col["kind"]].astype("string").str.strip().str.upper()
        bad = ~kind.isin(["E", "P"]).fillna(False).to_numpy(dtype=bool)
        coll.add(
            "bad_kind",
            rows=_rows(bad),
            column=col["kind"],
            values=data[col["kind"]].to_numpy()[bad],
            action="dropped",
            expected="'E' (expectation) or 'P' (perception)",
        )
        data[col["kind"]] = kind
        data = data[~bad]
    key = [c for c in (col["respondent"], col["item"], col["kind"]) if c in data.columns]
    dup = data.duplicated(subset=key, keep="first").to_numpy()
    positions = np.flatnonzero(dup)
    if positions.size:
        original_rows = data.index.to_numpy()[positions]
        rows = frame.index.get_indexer(original_rows) + 1
        coll.add(
            "repeated_answer",
            rows=rows,
            column=col["respondent"],
            values=data[col["respondent"]].to_numpy()[positions],
            action="dropped",
        )
        data = data[~dup]
    return Validated(data, coll.frame(sort=True))


def survey_to_long(
    frame: pd.DataFrame,
    *,
    id_column: str | None = None,
    expectation: str = "E",
    perception: str = "P",
    weights: str | None = None,
) -> pd.DataFrame:
    """Reshape wide E/P answers to the long layout ``respondent, item, kind, score``.

    Columns that are neither the id nor an E/P item are left out, except the case-weight
    column ``weights``, repeated on every row of its respondent (with ``attrs["weights"]``, its
    provenance), as ``gap_scores(..., weights=)`` and ``servqual(..., weights=)`` expect.
    Missing answers stay as NaN rows so that counts of missing answers survive the reshape.

    Examples
    --------
    >>> import pandas as pd
    >>> survey_to_long(pd.DataFrame({"E1": [5], "P1": [6]}))
       respondent item kind  score
    0           1    1    E    5.0
    1           1    1    P    6.0
    """
    pairs, _ = _pair_items([c for c in frame.columns if c not in (id_column, weights)], expectation, perception)
    if weights is not None and weights not in frame.columns:
        raise DataError("the case-weight column is not in the data", column=weights)
    extra = {} if weights is None else {weights: frame[weights].to_numpy()}
    if not pairs:
        raise DataError(f"no columns starting with {expectation!r} or {perception!r}: nothing to reshape")
    ids = frame[id_column].to_numpy() if id_column else np.arange(1, len(frame) + 1)
    parts = []
    for item, (e, p) in pairs.items():
        for kind, column in (("E", e), ("P", p)):
            if column is not None:
                parts.append(
                    pd.DataFrame(
                        {
                            "respondent": ids,
                            "item": item,
                            "kind": kind,
                            "score": pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float),
                            **extra,
                        }
                    )
                )
    out = (
        pd.concat(parts, ignore_index=True)
        .sort_values(["respondent", "item", "kind"], kind="stable")
        .reset_index(drop=True)
    )
    if weights is not None and "weights" in frame.attrs:
        out.attrs["weights"] = frame.attrs["weights"]
    return out
