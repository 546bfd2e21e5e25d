"""Translated column names of driver and PLS result tables (结果表的中英文列名): :func:`label_columns`.

Course concept: reporting key-driver analysis and the satisfaction index model (顾客满意度研究模型,
COURSE.md §2) to Chinese- or English-speaking readers: the tidy result frames keep their
English column names (``estimate``, ``se``, ``ci_low`` …) and are relabelled only for display,
from the ``drivers.col.*`` labels of ``locale/drivers.yml``.

Reference: ``docs/api-conventions.md`` (result columns).

Examples
--------
>>> import pandas as pd
>>> from csworkbench.drivers import label_columns
>>> list(label_columns(pd.DataFrame({"predictor": ["a"], "se": [0.1]}), "zh").columns)
['驱动因素', '标准误']
"""

from __future__ import annotations

import pandas as pd

from ..i18n import all_keys, check_language, t

__all__ = ["label_columns", "column_labels", "label_values", "CONSTRUCT_COLUMNS"]

#: Columns whose values name constructs or drivers (shown by their labels, not their abbreviations).
CONSTRUCT_COLUMNS = ("predictor", "construct", "source", "target", "construct_1", "construct_2")


def label_columns(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy of a drivers/PLS result table with its column names translated (``drivers.col.*``).

    Columns without a label keep their name; values are untouched.

    >>> import pandas as pd
    >>> list(label_columns(pd.DataFrame({"predictor": ["a"], "vif": [1.2], "x": [0]}), "en").columns)
    ['Driver', 'VIF', 'x']
    """
    check_language(lang)
    known = set(all_keys())
    mapping = {c: t(f"drivers.col.{c}", lang) for c in frame.columns if f"drivers.col.{c}" in known}
    return frame.rename(columns=mapping)


def column_labels(frame: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """Column → heading (``drivers.col.*``) for the columns that have one, e.g. for ``show_table(labels=)``.

    Passing the untranslated frame with these headings lets the display layer still recognise
    p-values and counts by their column names.

    >>> import pandas as pd
    >>> column_labels(pd.DataFrame({"p_value": [0.01], "x": [1]}), "zh")
    {'p_value': 'p 值'}
    """
    check_language(lang)
    known = set(all_keys())
    return {c: t(f"drivers.col.{c}", lang) for c in frame.columns if f"drivers.col.{c}" in known}


def label_values(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy with construct names spelled out (ECSI/ACSI abbreviations → labels) and modes named.

    The values of :data:`CONSTRUCT_COLUMNS` go through
    :func:`csworkbench.pls.specs.construct_label` (the user's own names are kept); ``mode``
    A/B become reflective/formative.  Column names are untouched.

    >>> import pandas as pd
    >>> label_values(pd.DataFrame({"source": ["VAL"], "target": ["服务"], "mode": ["A"]}), "zh").values.tolist()
    [['感知价值', '服务', '反映型（模式 A）']]
    """
    from ..pls.specs import construct_label

    check_language(lang)
    out = frame.copy()
    for col in CONSTRUCT_COLUMNS:
        if col in out.columns:
            out[col] = [v if pd.isna(v) else construct_label(str(v), lang) for v in out[col]]
    if "mode" in out.columns:
        known = set(all_keys())
        out["mode"] = [t(f"drivers.mode_{v}", lang) if f"drivers.mode_{v}" in known else v for v in out["mode"]]
    return out
