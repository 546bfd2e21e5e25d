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

__all__ = ["label_columns"]


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
