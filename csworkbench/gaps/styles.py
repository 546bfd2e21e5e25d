"""The four styles of customer service (客户服务的四种类型): procedural × personal side.

The course describes customer service by two sides: the **procedural side** (程序特性: the
service process a firm provides) and the **personal side** (个人特性: the staff's behaviour,
attitude, language and competence).  Strong or weak on each gives four styles:

=============  ==========  ==========  =======================
key            procedural  personal    zh
=============  ==========  ==========  =======================
indifferent    weak        weak        漠不关心型
by_the_book    strong      weak        按部就班型
friendly       weak        strong      热情友好型
quality        strong      strong      优质服务型
=============  ==========  ==========  =======================

Examples
--------
>>> import pandas as pd
>>> units = pd.DataFrame({"unit": ["a", "b"], "procedural": [4.5, 2.0], "personal": [2.0, 4.2]})
>>> service_style(units, threshold=3.5)["style"].tolist()
['by_the_book', 'friendly']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..i18n import check_language, t

__all__ = ["service_style", "SERVICE_STYLES"]

#: Style keys in the course's order.
SERVICE_STYLES = ("indifferent", "by_the_book", "friendly", "quality")


def service_style(
    data: pd.DataFrame,
    *,
    procedural: str = "procedural",
    personal: str = "personal",
    threshold: float = 3.5,
    lang: str = "zh",
) -> pd.DataFrame:
    """Classify units (branches, staff, firms) into the four service styles.

    Parameters
    ----------
    data : DataFrame
        One row per unit with a score for each side (any common scale, e.g. 1–5).
    procedural, personal : str
        Columns holding the procedural and the personal score.
    threshold : float
        A side is *strong* when its score is above ``threshold``.
    lang : {"zh", "en"}
        Language of ``style_label``.

    Returns
    -------
    DataFrame
        ``data`` plus ``style`` (key, see the module docstring; missing when a score is
        missing) and ``style_label``.
    """
    check_language(lang)
    if not np.isfinite(threshold):
        raise ParameterError(f"threshold must be a finite number; got {threshold!r}")
    out = data.copy()
    scores = {}
    for name in (procedural, personal):
        if name not in out.columns:
            raise DataError(f"no column {name!r}; columns are {list(out.columns)}")
        values = pd.to_numeric(out[name], errors="coerce")
        bad = values.isna() & out[name].notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
            raise DataError(f"must hold numeric scores; got {out[name].iloc[row - 1]!r}", column=name, row=row)
        scores[name] = values
    proc, pers = scores[procedural] > threshold, scores[personal] > threshold
    style = np.select([proc & pers, proc, pers], ["quality", "by_the_book", "friendly"], default="indifferent")
    known = scores[procedural].notna() & scores[personal].notna()
    out["style"] = pd.Series(style, index=out.index, dtype="string").where(known)
    out["style_label"] = out["style"].map(lambda k: t(f"gaps.style.{k}", lang), na_action="ignore")
    return out
