"""Data overview (数据概览) for the end-to-end report notebook ``notebooks/analysis/overview``.

The first look at a transaction file before any CRM analysis (顾客价值分析): how many
customers, transactions and how much revenue; when; how revenue moves month by month; how
unequally it is spread over customers (the starting point of the customer pyramid /
Pareto view, Zeithaml, Rust & Lemon 2001, "The customer pyramid").  Each function takes the
*validated* transactions of :func:`csworkbench.schema.validate_transactions` (columns
``customer_id, date, amount``, optional ``quantity``, ``is_return``) and returns a tidy frame
or a plotly figure; nothing is displayed or saved here.

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"],
...                    "date": pd.to_datetime(["2026-01-03", "2026-02-01", "2026-02-07"]),
...                    "amount": [10.0, 5.0, 20.0]})
>>> monthly_revenue(tx)[["month", "revenue", "customers"]].to_dict("list")
{'month': ['2026-01', '2026-02'], 'revenue': [10.0, 25.0], 'customers': [1, 2]}
>>> headline_figures(tx, lang="en").set_index("key").loc["revenue", "value"]
'35.00'
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..errors import DataError
from ..i18n import labels, t
from ..problems import localize

__all__ = [
    "filter_period",
    "headline_figures",
    "headline_view",
    "monthly_revenue",
    "customer_revenue",
    "problem_view",
    "monthly_revenue_figure",
    "customer_revenue_figure",
]


def _template() -> Any:
    from ..plots import plotly_template

    return plotly_template()


def filter_period(frame: pd.DataFrame, period: str = "", *, date: str = "date") -> pd.DataFrame:
    """Rows whose ``date`` falls in ``period`` (``"YYYY-MM"`` or ``"YYYY"``; ``""`` keeps all).

    Raises
    ------
    DataError
        If the period is malformed or holds no transactions (a report on nothing is an error,
        not an empty page).

    >>> tx = pd.DataFrame({"date": pd.to_datetime(["1997-01-05", "1997-02-01"])})
    >>> len(filter_period(tx, "1997-02"))
    1
    """
    if not period:
        return frame
    try:
        start = pd.Period(period, freq="M" if len(period) == 7 else "Y")
    except (ValueError, TypeError):
        raise DataError(f"period must look like 2026-10 or 2026; got {period!r}", column=date) from None
    dates = pd.to_datetime(frame[date])
    mask = (dates >= start.start_time) & (dates <= start.end_time)
    if not mask.any():
        lo, hi = dates.min(), dates.max()
        raise DataError(
            f"{t('reporting.overview.period_empty', 'en', period=period)}; the data run from {lo:%Y-%m-%d} to {hi:%Y-%m-%d}",
            column=date,
        )
    return frame.loc[mask]


def headline_figures(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Headline numbers: columns ``key, metric`` (label in ``lang``), ``value`` (formatted text).

    Keys: customers, transactions, revenue, revenue_per_customer, returns, first_date, last_date.
    """
    revenue = float(frame["amount"].sum())
    customers = int(frame["customer_id"].nunique())
    returns = int(frame["is_return"].sum()) if "is_return" in frame else int((frame["amount"] < 0).sum())
    values = {
        "customers": f"{customers:,}",
        "transactions": f"{len(frame):,}",
        "revenue": f"{revenue:,.2f}",
        "revenue_per_customer": f"{revenue / customers:,.2f}" if customers else "",
        "returns": f"{returns:,}",
        "first_date": f"{pd.Timestamp(frame['date'].min()):%Y-%m-%d}",
        "last_date": f"{pd.Timestamp(frame['date'].max()):%Y-%m-%d}",
    }
    names = labels(values, lang, prefix="reporting.overview.")
    return pd.DataFrame({"key": list(values), "metric": [names[k] for k in values], "value": list(values.values())})


def headline_view(frame: pd.DataFrame, lang: str = "zh") -> Any:
    """:func:`headline_figures` for display: a ``Styler`` of two columns named in ``lang`` (指标 / 数值), no index."""
    out = headline_figures(frame, lang)[["metric", "value"]]
    out.columns = [t("reporting.overview.metric", lang), t("reporting.overview.value", lang)]
    return out.style.hide(axis="index").format(escape="html").format_index(escape="html", axis=1)


def monthly_revenue(frame: pd.DataFrame) -> pd.DataFrame:
    """Revenue per calendar month: columns ``month`` ("YYYY-MM"), ``revenue``, ``customers``, ``transactions``."""
    month = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m")
    out = (
        frame.assign(month=month)
        .groupby("month", sort=True)
        .agg(revenue=("amount", "sum"), customers=("customer_id", "nunique"), transactions=("amount", "size"))
        .reset_index()
    )
    out["revenue"] = out["revenue"].astype(float).round(2)
    return out


def customer_revenue(frame: pd.DataFrame) -> pd.DataFrame:
    """Total revenue per customer: columns ``customer_id``, ``revenue``, ``transactions``, sorted by revenue (desc)."""
    out = (
        frame.groupby("customer_id", sort=False)
        .agg(revenue=("amount", "sum"), transactions=("amount", "size"))
        .reset_index()
        .sort_values("revenue", ascending=False, ignore_index=True)
    )
    return out


def problem_view(
    problems: pd.DataFrame,
    lang: str = "zh",
    max_rows: int = 50,
    *,
    mask: bool = False,
    name_column: str = "complainant",
) -> Any:
    """The validation problem table with column names in ``lang`` (a pandas ``Styler`` without
    the index) — or, if there is none, the "no problems" sentence as an
    ``IPython.display.Markdown`` object.

    At most ``max_rows`` rows are shown (all of them stay in ``problems``).  Values and column
    names come from the user's file, so the table escapes them (a ``Styler`` does not by
    default): ``<script>`` in a cell is shown as text.  A problem's ``value`` is the raw cell —
    for a complaint log the whole story, phone numbers and all — so ``mask=True`` passes the
    values through :func:`csworkbench.complaints.privacy.mask_pii` (values of the
    ``name_column`` column are names and are masked as such).  The ``problem`` and ``action``
    texts are shown in ``lang`` (:func:`csworkbench.problems.localize`).

    >>> import pandas as pd
    >>> bad = pd.DataFrame({"row": [2, 3], "column": ["<b>x</b>", "complainant"],
    ...                     "value": ["<script> 13812345678", "张三"], "problem": ["bad", "bad"], "action": ["kept"] * 2})
    >>> page = problem_view(bad, "en").to_html()
    >>> "&lt;script&gt;" in page and "13812345678" in page
    True
    >>> page = problem_view(bad, "en", mask=True).to_html()
    >>> "138****5678" in page and "张*" in page and "13812345678" not in page
    True
    >>> from csworkbench.problems import Problems
    >>> found = Problems()
    >>> found.add("missing_date", rows=[4], column="date", action="dropped")
    >>> page = problem_view(found.frame(), "zh").to_html()
    >>> "缺少日期" in page and "已删除" in page and "params" not in page
    True
    """
    if problems is None or len(problems) == 0:
        from IPython.display import Markdown

        return Markdown(f"**{t('problem.none', lang)}**")
    shown = problems.head(max_rows).copy()
    if mask and "value" in shown.columns:
        from ..complaints.privacy import mask_pii

        values = shown["value"].astype("object")
        names = values.where(shown["column"] == name_column) if "column" in shown.columns else None
        shown["value"] = mask_pii(values, names)
    shown = localize(shown, lang)  # rendered again from each problem's code
    readable = ["row", "column", "value", "problem", "action"]
    names = labels(readable, lang, prefix="problem.")
    view = shown[[c for c in readable if c in shown.columns]].rename(columns=names)
    return view.style.hide(axis="index").format(escape="html").format_index(escape="html", axis=1)


def monthly_revenue_figure(monthly: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Bar chart of :func:`monthly_revenue` (revenue per month)."""
    fig = go.Figure(
        go.Bar(
            x=monthly["month"],
            y=monthly["revenue"],
            customdata=monthly[["customers"]].to_numpy(),
            hovertemplate="%{x}<br>%{y:,.2f}<br>"
            + t("reporting.overview.customers", lang)
            + ": %{customdata[0]}<extra></extra>",
            name=t("reporting.overview.revenue", lang),
        )
    )
    fig.update_layout(
        template=_template(),
        title=t("reporting.overview.monthly_revenue", lang),
        xaxis_title=t("reporting.overview.month", lang),
        yaxis_title=t("reporting.overview.revenue", lang),
        xaxis_type="category",
    )
    return fig


def customer_revenue_figure(per_customer: pd.DataFrame, lang: str = "zh", nbins: int = 40) -> go.Figure:
    """Histogram of :func:`customer_revenue` (customers by their total revenue)."""
    fig = go.Figure(
        go.Histogram(x=per_customer["revenue"], nbinsx=nbins, name=t("reporting.overview.customer_count", lang))
    )
    fig.update_layout(
        template=_template(),
        title=t("reporting.overview.customer_revenue", lang),
        xaxis_title=t("reporting.overview.customer_revenue_axis", lang),
        yaxis_title=t("reporting.overview.customer_count", lang),
        bargap=0.05,
    )
    return fig
