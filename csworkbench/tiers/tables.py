"""Tables for readers (展示表): a result table with its column names in Chinese or English.

Notebooks and reports show the frames of :mod:`csworkbench.tiers` and :mod:`csworkbench.clv`
with :func:`display_table`: column ``x`` gets its label ``tiercol.x`` from
``locale/tiers.yml``, key columns that sit next to their label column are dropped, and
customer ids that are personal data can be masked.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.tiers import display_table
>>> display_table(pd.DataFrame({"tier": ["A"], "tier_label": ["关键客户"], "customers": [3]}), "en").columns.tolist()
['Tier', 'Customers']
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..i18n import check_language, load_catalog
from ._base import frame_of

__all__ = ["display_table"]


def display_table(frame: Any, lang: str = "zh", *, drop_keys: bool = True, mask: bool = False) -> pd.DataFrame:
    """A copy of a result table with its column names in ``lang`` (for notebooks and reports).

    Column ``x`` is renamed with the label ``tiercol.x`` when there is one; others keep their
    names. With ``drop_keys``, key columns that have a label column next to them (``tier`` next
    to ``tier_label``, ``segment``, ``value_class``, ``action``, ``measure``, ``quadrant`` …) are
    dropped, since the label says the same in the reader's language.  With ``mask``, customer
    ids that are personal data — a mobile number, an ID-card or a bank-card number — are masked
    (:func:`csworkbench.complaints.privacy.mask_pii`); other ids are shown as they are.

    Parameters
    ----------
    frame : DataFrame or a result with a ``table``
    lang : {"zh", "en"}
    drop_keys, mask : bool

    Examples
    --------
    >>> import pandas as pd
    >>> from csworkbench.tiers import customer_pyramid, tier_summary
    >>> p = customer_pyramid(pd.Series([3.0, 2, 1]), cuts=(0.4, 0.2, 0.2, 0.2))
    >>> list(display_table(tier_summary(p), "zh").columns)[:3]
    ['层级', '客户数', '客户占比']
    >>> ids = pd.DataFrame({"customer_id": ["00017", "13812345678"], "clv": [1.0, 2.0]})
    >>> display_table(ids, "en", mask=True).iloc[:, 0].tolist()
    ['00017', '138****5678']
    """
    check_language(lang)
    out = frame_of(frame, "a result table").copy()
    if mask and "customer_id" in out.columns:
        from ..complaints.privacy import mask_pii

        out["customer_id"] = mask_pii(out["customer_id"].astype("object"))
    if drop_keys:
        out = out.drop(columns=[c for c in out.columns if f"{c}_label" in out.columns])
    catalog = load_catalog()
    out.columns = [catalog[f"tiercol.{c}"][lang] if f"tiercol.{c}" in catalog else c for c in out.columns]
    out.attrs = {}
    return out
