"""SERVQUAL importance points (重要性分值): each respondent splits 100 points over the dimensions.

Parasuraman, Berry & Zeithaml (1991, *J. Retailing* 67(4)) weight the dimension gaps by the
points a respondent gives each dimension.  :func:`importance_points` aligns the points (a table
``respondent, dimension, points`` or answer rows of kind ``I``) to the respondents of the
answers and checks them: unknown dimensions and respondents without answers are dropped,
negative or incomplete points leave the respondent out of the weighted score, sums other than
100 are rescaled — each reported in the call's problems.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.gaps import servqual
>>> df = pd.DataFrame({"respondent": 1, "item": ["q1", "q1", "q2", "q2", "a", "b"],
...                    "kind": ["E", "P", "E", "P", "I", "I"], "score": [5, 6, 4, 4, 30, 30]})
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")  # each problem is also a DataWarning
...     res = servqual(df, mapping={"a": ["q1"], "b": ["q2"]})
>>> res.importance["points"].tolist(), sorted(set(res.problems["code"]))
([50.0, 50.0], ['alpha_undefined', 'importance_not_100'])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import DataError
from ..problems import MAX_ROWS_SHOWN, Problems
from ._answers import Answers
from ._common import require


def importance_points(
    extra: pd.DataFrame | None,
    importance: pd.DataFrame | None,
    ans: Answers,
    dims: Sequence[str],
    *,
    respondent: str,
    item: str,
    score: str,
    groups: Sequence[str],
    problems: Problems,
):
    """Respondent × dimension points aligned to the answers (``None`` when not given) and the long table."""
    src, column = _source(extra, importance, respondent, item, score, groups)
    if src is None:
        return None, pd.DataFrame(columns=[*groups, respondent, "dimension", "points"])
    unknown = ~src["dimension"].isin(dims).to_numpy()
    if unknown.any():
        problems.add(
            "importance_unknown_dimension",
            rows=src["_row"].to_numpy()[unknown],
            column=item if importance is None else "dimension",
            values=src["dimension"].to_numpy()[unknown],
            action="dropped",
            dims=list(dims),
        )
        src = src[~unknown]
    merged = _align(src, ans, respondent, groups, problems)
    n, D = len(ans.keys), len(dims)
    W = np.full((n, D), np.nan)
    rc = merged["_code"].to_numpy(dtype=int)
    W[rc, pd.Index(dims).get_indexer(merged["dimension"])] = merged["points"].to_numpy(dtype=float)
    has_any = np.zeros(n, dtype=bool)
    has_any[rc] = True
    _check_points(W, has_any, rc, merged["_row"].to_numpy(), column, problems)
    W[~has_any] = np.nan
    long = pd.DataFrame({c: np.repeat(ans.keys[c].to_numpy(), D) for c in ans.keys.columns})
    long["dimension"] = np.tile(np.array(dims, dtype=object), n)
    long["points"] = W.ravel()
    return W, long


def _source(extra, importance, respondent, item, score, groups):
    """The points as ``respondent, dimension, points, _row`` (+ groups), and the column they came from."""
    if importance is not None:
        require(importance, [respondent, "dimension", "points"], "the importance table")
        src = pd.DataFrame(
            {
                "respondent": importance[respondent].to_numpy(),
                "dimension": importance["dimension"].astype(str).to_numpy(),
                "points": pd.to_numeric(importance["points"], errors="coerce").to_numpy(dtype=float),
                "_row": np.arange(1, len(importance) + 1),
            }
        )
        for gcol in groups:
            if gcol in importance.columns:
                src[gcol] = importance[gcol].to_numpy()
        return src, "points"
    if extra is not None and len(extra):
        src = pd.DataFrame(
            {
                "respondent": extra[respondent].to_numpy(),
                "dimension": np.asarray(extra[item].to_numpy(), dtype=str),
                "points": pd.to_numeric(extra[score], errors="coerce").to_numpy(dtype=float),
                "_row": extra["_row"].to_numpy(),
            }
        )
        for gcol in groups:
            src[gcol] = extra[gcol].to_numpy()
        return src, score
    return None, None


def _align(src: pd.DataFrame, ans: Answers, respondent: str, groups, problems: Problems) -> pd.DataFrame:
    """Points with the respondent code of the answers (``_code``); points of unknown respondents dropped."""
    keys = ans.keys.rename(columns={respondent: "respondent"})
    kc = [*groups, "respondent"]
    missing_cols = [c for c in kc if c not in src.columns]
    if missing_cols:
        raise DataError(
            f"the importance table needs column(s) {missing_cols} to match respondents", column=missing_cols[0]
        )
    # an index lookup, not a merge: fast on a million rows
    if groups:
        code = pd.MultiIndex.from_frame(keys[kc]).get_indexer(pd.MultiIndex.from_frame(src[kc]))
    else:
        code = pd.Index(keys["respondent"]).get_indexer(src["respondent"])
    merged = src.assign(_code=code)
    orphan = code < 0
    if orphan.any():
        problems.add(
            "importance_orphan",
            rows=merged["_row"].to_numpy()[orphan],
            column=respondent,
            values=merged["respondent"].to_numpy()[orphan],
            action="dropped",
        )
        merged = merged[~orphan]
    return merged


def _check_points(
    W: np.ndarray, has_any: np.ndarray, rc: np.ndarray, row_numbers: np.ndarray, column: str, problems: Problems
) -> None:
    """Negative, incomplete and zero points → NaN (left out of the weighted score); sums ≠ 100 rescaled. In place."""

    def rows_for(mask):
        return row_numbers[mask[rc]]

    D = W.shape[1]
    neg = (W < 0).any(axis=1)
    if neg.any():
        r = rows_for(neg)
        problems.add(
            "importance_negative",
            rows=r,
            column=column,
            values=W[neg][W[neg] < 0][: len(r)],
            action="left_out_weighted",
        )
        W[neg] = np.nan
    incomplete = has_any & ~neg & np.isnan(W).any(axis=1)
    if incomplete.any():
        problems.add("importance_incomplete", rows=rows_for(incomplete), column=column, action="left_out_weighted", n=D)
        W[incomplete] = np.nan
    total = W.sum(axis=1)
    off = np.isfinite(total) & ~np.isclose(total, 100.0)
    zero = off & (total <= 0)
    if zero.any():
        problems.add("importance_zero", rows=rows_for(zero), column=column, action="left_out_weighted")
        W[zero] = np.nan
        off &= ~zero
    if off.any():
        sums = ", ".join(f"{s:g}" for s in total[off][:MAX_ROWS_SHOWN])
        problems.add(
            "importance_not_100",
            rows=rows_for(off),
            column=column,
            action="rescaled",
            n=int(off.sum()),
            sums=sums + (" …" if off.sum() > MAX_ROWS_SHOWN else ""),
        )
        W[off] = W[off] / total[off, None] * 100.0
