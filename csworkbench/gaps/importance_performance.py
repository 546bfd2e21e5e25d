"""Importance–performance analysis (重要性–绩效分析, IPA; Martilla & James 1977, *J. Marketing* 41(1)).

Each attribute is placed by its importance (stated: mean points or ratings; or derived from a
driver model: relative weights, Shapley shares, standardised coefficients) and its performance
(mean perception or mean gap).  Crosshairs at the mean (or median) cut the map into four
quadrants: concentrate here (重点改进区: important, performing poorly), keep up the good work
(继续保持区), low priority (低优先区) and possible overkill (过度投入区).  :func:`ipa` returns the
tidy table; :func:`csworkbench.gaps.ipa_figure` draws it.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.gaps import ipa
>>> perf = pd.DataFrame({"attribute": ["a", "b", "c", "d"], "performance": [6, 3, 6, 3]})
>>> imp = pd.DataFrame({"attribute": ["a", "b", "c", "d"], "importance": [30, 30, 10, 10]})
>>> ipa(perf, imp, lang="en")[["attribute", "quadrant"]].values.tolist()
[['a', 'keep_up'], ['b', 'concentrate'], ['c', 'overkill'], ['d', 'low_priority']]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ..i18n import t
from ._common import check_lang, numbers, require

__all__ = ["ipa"]


def ipa(
    performance: pd.DataFrame,
    importance: pd.DataFrame,
    *,
    attribute: str = "attribute",
    performance_col: str = "performance",
    importance_col: str = "importance",
    importance_attribute: str | None = None,
    crosshair: str = "mean",
    lang: str = "zh",
) -> pd.DataFrame:
    """Importance–performance analysis (重要性–绩效分析, Martilla & James 1977).

    Parameters
    ----------
    performance : DataFrame
        One row per attribute: ``attribute`` and ``performance_col`` (e.g. mean perception or
        mean gap).
    importance : DataFrame
        Any tidy importance table: stated importance (mean points/ratings) or derived
        importance from a driver model; name its columns with ``importance_attribute``
        (default ``attribute``) and ``importance_col``.
    crosshair : {"mean", "median"}
        Where the axes cross: mean or median of the attributes' importance and performance.
    lang : {"zh", "en"}
        Language of ``quadrant_name``.

    Returns
    -------
    DataFrame
        ``attribute, importance, performance, quadrant`` (``concentrate`` high importance /
        low performance, ``keep_up`` high / high, ``low_priority`` low / low, ``overkill``
        low / high; a value equal to the crosshair counts as high), ``quadrant_name``,
        ``importance_cross, performance_cross``.  Attributes missing from either table are
        named in a :class:`~csworkbench.errors.DataWarning` and left out.

    Raises
    ------
    DataError
        Missing columns, text in a number column, an attribute listed twice, or no attribute
        in both tables.
    ParameterError
        ``crosshair`` other than "mean" or "median".
    """
    check_lang(lang)
    if crosshair not in ("mean", "median"):
        raise ParameterError(f"crosshair must be 'mean' or 'median'; got {crosshair!r}")
    ia = importance_attribute or attribute
    require(performance, [attribute, performance_col], "the performance table")
    require(importance, [ia, importance_col], "the importance table")
    p = pd.DataFrame(
        {
            "attribute": performance[attribute].to_numpy(),
            "performance": numbers(performance, performance_col).to_numpy(),
        }
    )
    i = pd.DataFrame(
        {"attribute": importance[ia].to_numpy(), "importance": numbers(importance, importance_col).to_numpy()}
    )
    for tab, name in ((p, "performance"), (i, "importance")):
        dup = tab["attribute"].duplicated()
        if dup.any():
            raise DataError(
                f"the {name} table lists attribute {tab['attribute'][dup].iloc[0]!r} twice; one row per "
                "attribute expected",
                column=attribute,
                row=int(np.flatnonzero(dup.to_numpy())[0] + 1),
            )
    out = p.merge(i, on="attribute", how="outer", indicator=True, sort=False)
    drop = (out["_merge"] != "both") | out[["importance", "performance"]].isna().any(axis=1)
    if drop.any():
        warnings.warn(
            f"IPA leaves out attributes without both importance and performance: {out.loc[drop, 'attribute'].tolist()}",
            DataWarning,
            stacklevel=2,
        )
    out = out[~drop].drop(columns="_merge").reset_index(drop=True)
    if out.empty:
        raise DataError("no attribute has both importance and performance: check the attribute names", column=attribute)
    agg = np.mean if crosshair == "mean" else np.median
    ic, pc = float(agg(out["importance"])), float(agg(out["performance"]))
    hi_i, hi_p = out["importance"] >= ic, out["performance"] >= pc
    quad = np.select([hi_i & ~hi_p, hi_i & hi_p, ~hi_i & ~hi_p], ["concentrate", "keep_up", "low_priority"], "overkill")
    return out[["attribute", "importance", "performance"]].assign(
        quadrant=quad, quadrant_name=[t(f"gaps.ipa.{q}", lang) for q in quad], importance_cross=ic, performance_cross=pc
    )
