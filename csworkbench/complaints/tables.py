"""Complaint tables for reading (投诉表格): codes shown as labels in the report's language.

:func:`display_table` renames a result table's columns and translates the coded values
(category, department, aspect, channel, model, step) to ``lang``; :func:`category_label`
gives one category's label, HTML-escaped for figures (plotly renders a subset of HTML).
"""

from __future__ import annotations

import pandas as pd

from ..i18n import check_language, load_catalog, t
from .privacy import escape_html

__all__ = ["display_table", "category_label"]


def category_label(value, lang: str = "zh") -> str:
    """Translated label of a known category/department/aspect/channel code, else the escaped value.

    >>> category_label("delivery", "zh"), category_label("<b>x</b>", "en")
    ('物流配送', '&lt;b&gt;x&lt;/b&gt;')
    """
    label = _code_label(value, lang)
    return escape_html(value) if label is None else label  # plotly draws a subset of HTML: keep users' values inert


def _code_label(value, lang: str) -> str | None:
    """The translated label of a known code, or None (the value is the user's own text)."""
    from ..i18n import load_catalog

    for prefix in ("complaints.category.", "complaints.department.", "complaints.aspect.", "complaints.channel."):
        if prefix + str(value) in load_catalog():
            return t(prefix + str(value), lang)
    return None


_CODED = ("category", "department", "service_aspect", "channel", "model", "step", "label", "true", "predicted")


def display_table(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy of a result table for reading: column names and coded values in ``lang``.

    Columns with a ``complaints.col.<name>`` label are renamed; codes in category,
    department, aspect, channel, model and step columns are translated.  Text stays
    plain: pandas escapes it when the table is rendered as HTML.

    >>> display_table(pd.DataFrame({"category": ["delivery"], "count": [3]}), "en").columns.tolist()
    ['Complaint category', 'Count']
    >>> display_table(pd.DataFrame({"category": ["<b>x</b>"]}), "en").to_html().count("&amp;lt;")  # escaped once
    0
    """
    check_language(lang)
    catalog = load_catalog()
    out = frame.copy()
    for col in out.columns:
        if col in _CODED:
            prefix = {"model": "complaints.model.", "step": "complaints.step."}.get(col)
            if prefix:
                out[col] = [t(prefix + str(v), lang) if prefix + str(v) in catalog else v for v in out[col]]
            else:
                # plain text (not category_label's escaped text): the table escapes once when rendered
                out[col] = [v if pd.isna(v) else (_code_label(v, lang) or v) for v in out[col]]
    out.columns = [
        t(f"complaints.col.{c}", lang)
        if f"complaints.col.{c}" in catalog
        else t(f"problem.{c}", lang)
        if f"problem.{c}" in catalog
        else c
        for c in out.columns
    ]
    out.attrs = {}
    return out
