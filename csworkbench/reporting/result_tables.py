"""Result tables of the tiers, CLV and complaint reports through the one display layer.

:func:`show_result` takes a result frame of :mod:`csworkbench.tiers`, :mod:`csworkbench.clv`
or :mod:`csworkbench.complaints` as it comes (canonical column names), labels its columns and
coded values in ``lang`` with the capability's own ``display_table``, states each column's
kind from its canonical name (money, share, count, decimal, id, date) and shows it with
:func:`csworkbench.reporting.display.show_table` — so shares read as %, money with its
currency, counts without ``.0``, and no index, NaN or e-notation reach the page.  Percent
columns (``percent``, ``cumulative_percent``: 0–100) are shown as shares.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"tier": ["heavy"], "tier_label": ["重量级"], "customers": [94.0],
...                       "customer_share": [0.039881], "value": [52510.59]})
>>> kinds_of(frame)
{'customers': 'count', 'customer_share': 'share', 'value': 'money'}

:func:`markdown_text` makes a user's text (a report ``title``) safe inside a Markdown cell: it
shows as written and never becomes a link, an image or HTML.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd

from ..i18n import check_language
from . import display

__all__ = ["kinds_of", "markdown_text", "show_result"]

_MONEY = {
    "value",
    "revenue",
    "margin",
    "returns_value",
    "clv",
    "monetary",
    "monetary_value",
    "expected_spend",
    "mean_value",
    "min_value",
    "max_value",
    "loss",
    "total_value",
    "cost",
    "budget",
    "benefit",
    "benefit_per_customer",
}
_COUNT = {"customers", "orders", "records", "count", "n", "n_open", "at_least", "n_complaints", "n_train", "n_test"}
_COUNT |= {"transactions", "level", "returns", "total", "n_train", "n_treated", "n_control"}
_DECIMAL = {
    "frequency",
    "recency_days",
    "recency",
    "T",
    "target_hours",
    "median_hours",
    "p90_hours",
    "expected_purchases",
}
_SHARE = {"share", "within_sla", "probability_alive", "share_at_least", "percent", "cumulative_percent", "accuracy"}
_DATE = {"first_purchase", "last_purchase", "date", "first", "last"}
_ID = {"customer_id", "complaint_id", "contact"}
_PERCENT = ("percent", "cumulative_percent")


_MARKDOWN_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:/\"'=])")


def markdown_text(text: Any) -> str:
    r"""``text`` for a Markdown cell, shown literally: HTML-escaped, then every ASCII punctuation
    mark that Markdown could read as syntax backslash-escaped (CommonMark allows any).

    So a ``title`` parameter holding ``[win](https://evil.example)`` or ``<img onerror=…>`` is
    text on the page — no live link, image, autolink or tag — and reads as written
    (the exporter's :func:`csworkbench.reporting.page.drop_repeated_title` still recognises it).

    >>> print(markdown_text("[win](https://x.example) <b>x</b>"))
    \[win\]\(https\:\/\/x\.example\) &lt;b&gt;x&lt;\/b&gt;
    >>> from nbconvert.filters.markdown_mistune import markdown2html_mistune
    >>> "href" in markdown2html_mistune(markdown_text("see https://x.example or <https://y.example>"))
    False
    >>> markdown_text(None)
    ''
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    escaped = html.escape(str(text), quote=False)
    return _MARKDOWN_PUNCT.sub(r"\\\1", escaped)  # the entities html.escape wrote stay intact


def kinds_of(frame: pd.DataFrame) -> dict[str, str]:
    """The display kind of each column with a known canonical name (others are inferred).

    ``ci_low``/``ci_high`` are money next to a ``clv`` column, shares next to an ``uplift``
    column (response rates), decimals otherwise.
    """
    out: dict[str, str] = {}
    for col in frame.columns:
        name = str(col)
        if name in _MONEY:
            out[name] = "money"
        elif name in _SHARE or name.endswith("_share") or name.startswith("rate_") or name == "uplift":
            out[name] = "share"
        elif name in _COUNT:
            out[name] = "count"
        elif name in _DECIMAL:
            out[name] = "decimal"
        elif name in _DATE:
            out[name] = "date"
        elif name in _ID:
            out[name] = "id"
        elif name in ("ci_low", "ci_high"):
            out[name] = "money" if "clv" in frame.columns else "share" if "uplift" in frame.columns else "decimal"
    return out


def show_result(
    result: Any,
    *,
    lang: str,
    currency: str = "",
    mask: bool = True,
    caption: str | None = None,
    footnote: str | None = None,
    long: bool | None = None,
) -> None:
    """Show a tiers / CLV / complaint result table through :func:`display.show_table`.

    Parameters
    ----------
    result : DataFrame or a result with a ``table``
    lang : {"zh", "en"}
    currency : str
        Added to the heading of money columns (``价值（¥）``).
    mask : bool
        Mask customer ids that are personal data (the display layer masks text cells too).
    caption, footnote, long
        As :func:`display.show_table`.
    """
    from ..complaints.tables import _CODED, _code_label
    from ..complaints.tables import display_table as complaints_table
    from ..tiers.tables import display_table as tiers_table

    check_language(lang)
    frame = getattr(result, "table", result)
    frame = frame.reset_index(drop=True) if isinstance(frame.index, pd.RangeIndex) else frame.reset_index()
    canon = frame.copy()
    for col in _PERCENT:
        if col in canon.columns:
            canon[col] = canon[col] / 100.0
    if "categories" in canon.columns:  # a list of category codes, ", "-joined (repeat complainers)
        sep = "、" if lang == "zh" else ", "
        canon["categories"] = [
            v if pd.isna(v) else sep.join(_code_label(c, lang) or c for c in str(v).split(", "))
            for v in canon["categories"]
        ]
    if "period" in canon.columns:  # 2025-01 → 2025年1月 / Jan 2025 (quarters 2025Q1 too)
        from ..complaints.figures import _period_label

        canon["period"] = [v if pd.isna(v) else _period_label(str(v), lang) for v in canon["period"]]
    coded_columns = [c for c in canon.columns if _code_label(c, lang) is not None]  # a wide table of categories
    complaint_like = (
        "categories" in canon.columns
        or bool(coded_columns)
        or any(c in _CODED or c in ("step", "percent", "complaint_id", "level") for c in canon.columns)
    )
    if complaint_like:
        shown = complaints_table(canon, lang)
        shown.columns = [
            _code_label(c, lang) if c in coded_columns else s for c, s in zip(canon.columns, shown.columns)
        ]
        kept = list(canon.columns)
    else:
        shown = tiers_table(canon, lang, mask=mask)
        kept = [c for c in canon.columns if f"{c}_label" not in canon.columns]
    kinds = kinds_of(canon)
    labels = list(shown.columns)
    for i, col in enumerate(kept):
        if col in _PERCENT:
            labels[i] = str(labels[i]).replace("（%）", "").replace(" (%)", "").replace("Percent", "Share")
        if kinds.get(col) == "money" and currency:
            labels[i] = f"{labels[i]}（{currency}）" if lang == "zh" else f"{labels[i]} ({currency})"
    shown.columns = labels
    display.show_table(
        shown,
        lang=lang,
        kinds={label: kinds[col] for label, col in zip(labels, kept) if col in kinds},
        caption=caption,
        footnote=footnote,
        long=long,
    )
