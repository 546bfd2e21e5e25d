"""Result tables for reading (报告用表格): the gap models' tidy frames with labelled headers and values.

:func:`table_view` picks columns, rounds numbers and puts headers and known values (SERVQUAL
dimensions, CEM drivers, score kinds) into Chinese or English from the locale files.  For
display only: compute on the tidy frame.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.gaps import table_view
>>> table_view(pd.DataFrame({"dimension": ["empathy"], "perception": [5.123]}), lang="zh")
    维度  实际感受
0  移情性  5.12
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..i18n import t
from ._common import check_lang, require
from .summary import feature_label, item_label

__all__ = ["table_view"]

_COLUMN_LABELS = {
    "dimension": "gaps.axis.dimension",
    "item": "gaps.axis.item",
    "attribute": "gaps.cem.attribute",
    "expectation": "construct.expectation",
    "perception": "gaps.col.perception",
    "gap": "construct.gap",
    "importance": "construct.importance",
    "weighted_gap": "gaps.cem.weighted_gap",
    "ideal": "gaps.cem.ideal",
    "ideal_gap": "gaps.cem.ideal_gap",
    "n": "gaps.col.n",
    "n_missing": "gaps.col.n_missing",
    "ci_low": "gaps.col.ci_low",
    "ci_high": "gaps.col.ci_high",
    "alpha": "gaps.col.alpha",
    "note": "gaps.col.note",
    "score": "gaps.col.score",
    "p_adjusted": "gaps.col.p_adjusted",
    "category_name": "gaps.col.category",
    "quadrant_name": "gaps.col.quadrant",
    "window": "gaps.col.window",
    "feature": "gaps.col.feature",
    "better": "gaps.col.better",
    "worse": "gaps.col.worse",
    "kind": "gaps.col.kind",
    "step": "gaps.cem.step",
    "name_zh": "gaps.cem.name_zh",
    "name_en": "gaps.cem.name_en",
    "finding": "gaps.cem.finding",
    "performance": "gaps.axis.performance",
}
_VALUE_PREFIX = {
    "dimension": ("servqual.",),
    "attribute": ("gaps.cem.", "servqual."),
    "score": ("gaps.col.",),
    "kind": ("gaps.kind.",),
}


def table_view(
    table: pd.DataFrame, *, lang: str = "zh", columns: Sequence[str] | None = None, digits: int = 2
) -> pd.DataFrame:
    """A result table for reading (报告用表格): chosen columns, rounded, headers and known values in ``lang``.

    Column headers with a label (``gap`` → 差距/Gap …) and the values of ``dimension``
    (SERVQUAL dimensions), ``attribute`` (the CEM drivers), ``score`` (unweighted /
    weighted), ``item`` (:func:`~csworkbench.gaps.item_label`) and ``feature`` (Kano demo
    features) are translated; anything without a label is left as it is.  Missing cells stay
    missing.

    Parameters
    ----------
    table : DataFrame
        A tidy result frame of :mod:`csworkbench.gaps`.
    lang : {"zh", "en"}
    columns : sequence of str, optional
        The columns to show, in order (default all).
    digits : int, default 2
        Decimals of the numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> table_view(pd.DataFrame({"dimension": ["reliability"], "gap": [-0.8123]}), lang="en")
         Dimension   Gap
    0  Reliability -0.81
    """
    check_lang(lang)
    if columns is not None:
        require(table, list(columns), "the table to show")
    view = (table[list(columns)] if columns is not None else table).copy()
    if "item" in view.columns:  # q-numbers as the item's wording or number, read under their dimension
        dims = table["dimension"] if "dimension" in table.columns else pd.Series("", index=table.index)
        view["item"] = [item_label(i, d, lang) for i, d in zip(view["item"], dims)]
    if "feature" in view.columns:
        view["feature"] = [feature_label(f, lang) for f in view["feature"]]
    for col, prefixes in _VALUE_PREFIX.items():
        if col in view.columns:
            view[col] = [_label_or([p + str(v) for p in prefixes], v, lang) for v in view[col]]
    num = view.select_dtypes("number").columns
    view[num] = view[num].round(digits)
    return view.rename(columns={c: t(k, lang) for c, k in _COLUMN_LABELS.items() if c in view.columns})


def _label_or(keys: Sequence[str], default: Any, lang: str) -> Any:
    for key in keys:
        try:
            return t(key, lang)
        except KeyError:
            continue
    return default
