"""Survey answers as respondent × item arrays (问卷回答 → 受访者 × 题项矩阵), for every gap model.

:func:`prepare_answers` takes long answers ``respondent, item, kind, score`` (kind ``E``
expectation, ``P`` perception, optionally extra kinds such as ``I`` importance), checks them
through :func:`csworkbench.schema.validate_survey` and pivots them to two arrays ``E`` and ``P``
(NaN = missing).  Every problem goes into the call's :class:`csworkbench.problems.Problems`,
numbered by the 1-based row of the frame passed in; ``strict`` raises at the first.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.problems import Problems
>>> from csworkbench.gaps._answers import prepare_answers
>>> df = pd.DataFrame({"respondent": [1, 1, 2, 2], "item": ["q1"] * 4, "kind": ["E", "P", "E", "P"],
...                    "score": [5, 6, 7, 4]})
>>> ans, _ = prepare_answers(df, respondent="respondent", item="item", kind="kind", score="score",
...                          scale=(1, 7), items=None, groups=[], problems=Problems())
>>> (ans.P - ans.E).ravel().tolist()
[1.0, -3.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from ..problems import Problem, Problems, part
from ._common import factorize_rows, require, take


@dataclass(frozen=True)
class Answers:
    """Answers as respondent × item arrays (internal)."""

    keys: pd.DataFrame  # one row per respondent code: group columns + respondent
    items: list
    E: np.ndarray
    P: np.ndarray
    group: np.ndarray  # group code per respondent
    group_keys: pd.DataFrame  # one row per group code (no columns when there are no groups)
    w: np.ndarray | None = None  # case weight per respondent (NaN: unusable, listed); None: unweighted


def normalise_kind(series: pd.Series) -> pd.Categorical:
    """Kind codes upper-cased and stripped, as a categorical (cheap on millions of rows)."""
    cat = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    cats = cat.cat.categories.astype(str).str.strip().str.upper()
    codes = cat.cat.codes.to_numpy()
    uniq, inverse = np.unique(np.asarray(cats, dtype=object), return_inverse=True)
    new_codes = np.where(codes >= 0, inverse[np.maximum(codes, 0)], -1)
    return pd.Categorical.from_codes(new_codes, categories=list(uniq))


def prepare_answers(
    frame: pd.DataFrame,
    *,
    respondent: str,
    item: str,
    kind: str,
    score: str,
    scale: tuple[float, float] | None,
    items: Sequence | None,
    groups: Sequence[str],
    problems: Problems,
    extra_kinds: Sequence[str] = (),
    weights: str | None = None,
) -> tuple[Answers, pd.DataFrame]:
    """Validate long answers (via schema.validate_survey) and pivot them to arrays.

    Returns the arrays and the rows of ``extra_kinds`` (e.g. importance ``"I"``), with a
    ``_row`` column holding their 1-based row in ``frame``.
    """
    require(frame, [respondent, item, kind, score, *groups], "the answers table", problems.path)
    is_pe, is_p_all, extra = _split_kinds(frame, respondent, item, kind, score, groups, problems, extra_kinds)
    pos = np.flatnonzero(is_pe)
    is_p = is_p_all[pos]
    if isinstance(frame[item].dtype, pd.CategoricalDtype):
        ic_raw, levels = frame[item].cat.codes.to_numpy()[pos].astype(np.int64), frame[item].cat.categories
    else:
        ic_raw, levels = pd.factorize(take(frame[item], pos))
    resp_sub = take(frame[respondent], pos)
    if groups:  # respondents are nested in groups: the same id in two groups is two people
        rkey = (
            frame.iloc[pos].groupby([*groups, respondent], sort=False, observed=True, dropna=False).ngroup().to_numpy()
        )
    else:
        rkey = resp_sub
    blank = (ic_raw < 0) | pd.isna(resp_sub)
    if blank.any():
        which = np.flatnonzero(blank)
        problems.add(
            "missing_item_or_respondent",
            rows=pos[which] + 1,
            column=item if (ic_raw[which[0]] < 0) else respondent,
            action="dropped",
        )
    kept, kept_scores = _validate_scores(
        frame, pos, ic_raw, is_p, rkey, blank, respondent, item, kind, score, scale, problems
    )
    kept_rows = pos[kept]

    # respondent codes (nested in groups), item codes
    if groups:
        resp_code, keys = factorize_rows(
            frame.iloc[kept_rows][[*groups, respondent]].reset_index(drop=True), [*groups, respondent]
        )
    else:
        codes, uniques = pd.factorize(resp_sub[kept], sort=True)
        resp_code, keys = codes, pd.DataFrame({respondent: uniques})
    ic_kept = ic_raw[kept]
    items = list(levels[np.unique(ic_kept)]) if items is None else list(items)
    item_code = pd.Index(items).get_indexer(levels)[ic_kept]
    unknown = item_code < 0
    if len(unknown) and unknown.all():  # a mapping that fits none of the answers is an error, not a warning
        present = [str(v) for v in pd.unique(np.asarray(levels)[ic_kept])]
        raise problems.fail(
            f"none of the answers' items ({_some(present)}) is in the instrument mapping ({_some(items)}): "
            "every answer would be dropped; give a mapping whose items are these data's items",
            column=item,
        )
    if unknown.any():
        problems.add(
            "item_not_in_instrument",
            rows=kept_rows[unknown] + 1,
            column=item,
            values=np.asarray(levels)[ic_kept[unknown]],
            action="dropped",
        )
    keep = ~unknown
    n, k = len(keys), len(items)
    kcode = is_p[kept][keep]
    sc = kept_scores[keep]
    rc, ic = resp_code[keep], item_code[keep]
    E = np.full((n, k), np.nan)
    P = np.full((n, k), np.nan)
    E[rc[~kcode], ic[~kcode]] = sc[~kcode]
    P[rc[kcode], ic[kcode]] = sc[kcode]
    _report_unanswered(E, P, items, kept_rows[keep] + 1, ic, item, problems)

    if groups:
        gcode, gkeys = factorize_rows(keys, list(groups))
    else:
        gcode, gkeys = np.zeros(n, dtype=np.int64), pd.DataFrame(index=[0])
    w = _respondent_weights(frame, weights, kept_rows[keep], rc, n, problems) if weights is not None else None
    answers = Answers(
        keys=keys.reset_index(drop=True),
        items=items,
        E=E,
        P=P,
        group=gcode,
        group_keys=gkeys.reset_index(drop=True),
        w=w,
    )
    return answers, extra


def _respondent_weights(
    frame: pd.DataFrame, weights: str, rows: np.ndarray, rc: np.ndarray, n: int, problems: Problems
):
    """One case weight per respondent from the answer rows (unusable ones listed, NaN)."""
    from ..weighting.design import case_weights

    w_rows = cast(np.ndarray, case_weights(frame, weights, problems=problems))  # not None: weights is a column
    wk = w_rows[rows]
    first = np.full(n, np.nan)
    order = np.argsort(rc, kind="stable")
    starts = np.unique(rc[order], return_index=True)
    first[starts[0]] = wk[order][starts[1]]
    lo = np.full(n, np.inf)
    hi = np.full(n, -np.inf)
    np.minimum.at(lo, rc, np.nan_to_num(wk, nan=np.inf))
    np.maximum.at(hi, rc, np.nan_to_num(wk, nan=-np.inf))
    varies = np.isfinite(lo) & np.isfinite(hi) & (hi > lo)
    if varies.any():
        bad_rows = rows[varies[rc] & (wk != first[rc])]
        problems.add(
            "weight_varies_within_respondent",
            rows=bad_rows + 1,
            column=weights,
            values=frame[weights].to_numpy()[bad_rows],
            action="flagged",
        )
    return first


def _some(values: Sequence, shown: int = 8) -> str:
    """``a, b, c`` or ``a, b, … (30 in all)`` for a message."""
    text = ", ".join(map(str, list(values)[:shown]))
    return text + (f", … ({len(values)} in all)" if len(values) > shown else "")


def _split_kinds(frame, respondent, item, kind, score, groups, problems: Problems, extra_kinds):
    """Masks of the E/P rows and of the P rows; the rows of ``extra_kinds``; bad kinds reported."""
    kinds = normalise_kind(frame[kind])
    kind_codes = np.asarray(kinds.codes)
    cats = list(kinds.categories)
    is_pe = np.isin(kind_codes, [cats.index(c) for c in ("E", "P") if c in cats])
    is_extra = np.isin(kind_codes, [cats.index(c) for c in extra_kinds if c in cats])
    bad_kind = ~is_pe & ~is_extra
    if bad_kind.any():
        expected = part("kinds_epi") if "I" in extra_kinds else part("kinds_ep")
        problems.add(
            "bad_kind",
            rows=np.flatnonzero(bad_kind) + 1,
            column=kind,
            values=frame[kind].to_numpy()[bad_kind],
            action="dropped",
            expected=expected,
        )
    epos = np.flatnonzero(is_extra)
    extra = pd.DataFrame({c: take(frame[c], epos) for c in dict.fromkeys([respondent, item, score, *groups])})
    extra["_row"] = epos + 1
    is_p = kind_codes == (cats.index("P") if "P" in cats else -2)
    return is_pe, is_p, extra


def _validate_scores(
    frame, pos, ic_raw, is_p, rkey, blank, respondent, item, kind, score, scale, problems: Problems
) -> tuple[np.ndarray, np.ndarray]:
    """The shared validator on the E/P rows: positions kept (among ``pos``) and their scores."""
    from ..schema import validate_survey

    # kind is checked by the caller and travels inside the item code, so the shared validator
    # only sees numbers (fast on millions of rows): code = 2 · item + (1 if P else 0)
    check = pd.DataFrame({respondent: rkey, item: ic_raw * 2 + is_p, score: take(frame[score], pos)})
    check = check[~blank] if blank.any() else check
    clean, found = validate_survey(
        check,
        layout="long",
        scale=scale if scale is not None else (-np.inf, np.inf),
        long_columns={"respondent": respondent, "item": item, "kind": kind, "score": score},
        path=problems.path,
        strict=False,  # strictness is applied by ``problems`` once rows are numbered as in ``frame``
    )
    # the validator numbers rows by position in ``check``; map them back to rows of ``frame``
    add_validator_problems(problems, found, row_map=pos[np.flatnonzero(~blank)])
    kept = clean.index.to_numpy()  # labels of ``check`` = positions among the P/E rows
    return kept, clean[score].to_numpy(dtype=float)


def _report_unanswered(E, P, items, rows, ic, item, problems: Problems) -> None:
    """Items without any answer, and items lacking every E or every P answer (no gap possible)."""
    hasE = (~np.isnan(E)).sum(axis=0)
    hasP = (~np.isnan(P)).sum(axis=0)
    for j, it in enumerate(items):
        if hasE[j] > 0 and hasP[j] > 0:
            continue
        rows_it = rows[ic == j]
        if hasE[j] == 0 and hasP[j] == 0:
            shown = rows_it[:50]
            problems.add(
                "item_no_answers",
                rows=shown if len(shown) else None,
                column=item,
                values=[it] * max(len(shown), 1),
                action="kept_nan",
                item=repr(it),
            )
        else:
            lacking = part("lacking_e") if hasE[j] == 0 else part("lacking_p")
            problems.add(
                "item_unpaired_answers",
                rows=rows_it,
                column=item,
                values=[it] * len(rows_it),
                action="excluded_from_gaps",
                item=repr(it),
                lacking=lacking,
            )


# ------------------------------------------------------------------ the validator's problems


def add_validator_problems(problems: Problems, found: pd.DataFrame | None, *, row_map: np.ndarray) -> None:
    """Take over the problems of :func:`~csworkbench.schema.validate_survey`, rows renumbered.

    Rows with the same problem are added together (one warning naming their rows, as for the
    gap models' own problems); with ``strict`` the first row raises.
    """
    if found is None or len(found) == 0:
        return
    scratch = Problems()
    scratch.extend(found, row_map=row_map)
    items = list(scratch)
    groups: dict[tuple, list[Problem]] = {}
    for p in items:
        key = (p.code, p.column, p.action, repr(sorted(p.params.items())))
        groups.setdefault(key, []).append(p)
    first_row = lambda ps: min((p.row for p in ps if p.row is not None), default=0)  # noqa: E731
    for ps in sorted(groups.values(), key=first_row):
        rows = [p.row for p in ps]
        problems.add(
            ps[0].code,
            rows=rows if any(r is not None for r in rows) else None,
            column=ps[0].column,
            values=[p.value for p in ps],
            action=ps[0].action,
            **dict(ps[0].params),
        )
