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

from ..i18n import labels, money_text, t
from ..plots import figure_template

__all__ = [
    "filter_period",
    "top_share",
    "overview_kpis",
    "overview_findings",
    "headline_figures",
    "monthly_revenue",
    "customer_revenue",
    "monthly_revenue_figure",
    "customer_revenue_figure",
]


def filter_period(frame: pd.DataFrame, period: str = "", *, date: str = "date") -> pd.DataFrame:
    """Alias of :func:`csworkbench.periods.filter_period` (the one meaning of ``period``).

    >>> tx = pd.DataFrame({"date": pd.to_datetime(["1997-01-05", "1997-02-01"])})
    >>> len(filter_period(tx, "1997-02"))
    1
    """
    from ..periods import filter_period as _filter

    return _filter(frame, period, date=date)


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


def _share(value: float) -> str:
    return f"{100 * value:.0f}%"


def _month_label(month: str, lang: str) -> str:
    from ..periods import Period

    return Period.parse(month).label(lang)


def _money_axis(lang: str, currency: str) -> str:
    name = t("reporting.overview.revenue", lang)
    return f"{name}（{currency}）" if currency and lang == "zh" else f"{name} ({currency})" if currency else name


def top_share(frame: pd.DataFrame, top: float = 0.2) -> float:
    """Share of revenue brought by the top ``top`` share of customers (by their total revenue).

    Customers are ranked by revenue; ``ceil(top × n)`` of them count as the top.  NaN when the
    total revenue is not positive.

    >>> tx = pd.DataFrame({"customer_id": list("abcde"), "amount": [60.0, 10, 10, 10, 10]})
    >>> top_share(tx)
    0.6
    """
    per = customer_revenue(frame)["revenue"].to_numpy(dtype=float)
    total = per.sum()
    if not total > 0:
        return float("nan")
    k = max(1, int(-(-top * len(per) // 1)))
    return float(per[:k].sum() / total)


def overview_kpis(frame: pd.DataFrame, lang: str = "zh", currency: str = "") -> list[dict[str, Any]]:
    """The overview's key figures as the records of the report-page contract's KPI bundle.

    Keys ``customers``, ``transactions``, ``revenue``, ``revenue_per_customer``; each record
    has ``key, label, value, unit, kind, ci_low, ci_high, better`` (no intervals: these are
    counts and sums, not estimates); for :func:`csworkbench.reporting.display.kpi_tiles`.

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 5.0, 20.0]})
    >>> [(k["key"], k["value"]) for k in overview_kpis(tx, "en")]
    [('customers', 2), ('transactions', 3), ('revenue', 35.0), ('revenue_per_customer', 17.5)]
    """
    revenue = float(frame["amount"].sum())
    customers = int(frame["customer_id"].nunique())
    values = {
        "customers": (customers, "", "count"),
        "transactions": (len(frame), "", "count"),
        "revenue": (revenue, currency, "money"),
        "revenue_per_customer": (revenue / customers if customers else float("nan"), currency, "money"),
    }
    return [
        {
            "key": key,
            "label": t(f"reporting.overview.{key}", lang),
            "value": value,
            "unit": unit,
            "kind": kind,
            "ci_low": None,
            "ci_high": None,
            "better": "higher",
        }
        for key, (value, unit, kind) in values.items()
    ]


def overview_findings(
    frame: pd.DataFrame,
    previous: pd.DataFrame | float | None,
    problems: pd.DataFrame,
    period: Any,
    lang: str = "zh",
    currency: str = "",
    *,
    previous_period: Any = None,
) -> tuple[list[str], list[str]]:
    """Findings (3–5 headlines) and recommended actions of the overview, computed from the data.

    Findings: the period's revenue and customers; the change against the previous period (or,
    for all data, the best month); the top 20 % of customers' share of revenue; the share of
    repeat customers; rows the validation dropped.  Actions by stated rules: the top 20 %
    bring ≥ 60 % of revenue → look after the top customers (customer-tiers report); revenue
    fell by more than 10 % → find where; fewer than 30 % repeat customers → work on the
    second purchase; rows dropped → correct them at the source (listed in the appendix).

    ``previous`` is the previous period's rows or its revenue (e.g. the batch runner's
    ``previous_kpis``, see :func:`csworkbench.reporting.inputs.previous_figure`), of
    ``previous_period`` (default ``period.previous()``).

    >>> from csworkbench.periods import Period
    >>> tx = pd.DataFrame({"customer_id": list("abcde"), "amount": [60.0, 10, 10, 10, 10],
    ...                    "date": pd.to_datetime(["2026-01-05"] * 5)})
    >>> found, actions = overview_findings(tx, None, tx.iloc[:0], Period.parse(""), "en", "$")
    >>> found[2]
    'The top 20% of customers brought 60% of revenue.'
    >>> actions[0].startswith("Look after the top customers")
    True
    """
    lab = period.label(lang)
    revenue = float(frame["amount"].sum())
    customers = int(frame["customer_id"].nunique())
    findings = [
        t("pages.overview.f_revenue", lang, period=lab, revenue=money_text(revenue, currency), n=f"{customers:,}")
    ]
    actions: list[str] = []
    if isinstance(previous, pd.DataFrame):
        previous = float(previous["amount"].sum()) if len(previous) else None
    if previous is not None:
        before = float(previous)
        change = revenue / before - 1 if before > 0 else float("nan")
        if change == change:
            key = "pages.overview.f_up" if change >= 0 else "pages.overview.f_down"
            findings.append(
                t(
                    key,
                    lang,
                    change=_share(abs(change)),
                    previous=(previous_period if previous_period is not None else period.previous()).label(lang),
                    before=money_text(before, currency),
                )
            )
            if change < -0.10:
                actions.append(t("pages.overview.a_fall", lang))
    else:
        monthly = monthly_revenue(frame)
        best = monthly.loc[monthly["revenue"].idxmax()]
        findings.append(
            t(
                "pages.overview.f_best_month",
                lang,
                month=_month_label(best["month"], lang),
                revenue=money_text(best["revenue"], currency),
            )
        )
    share = top_share(frame)
    findings.append(t("pages.overview.f_top", lang, share=_share(share)))
    repeat = float((frame.groupby("customer_id")["date"].nunique() > 1).mean()) if customers else 0.0
    findings.append(t("pages.overview.f_repeat", lang, share=_share(repeat)))
    if share >= 0.6:
        actions.insert(0, t("pages.overview.a_top", lang))
    if repeat < 0.3:
        actions.append(t("pages.overview.a_repeat", lang))
    dropped = int((problems["action"] == "dropped").sum()) if len(problems) and "action" in problems else 0
    if dropped:
        findings.append(t("pages.overview.f_dropped", lang, n=f"{dropped:,}"))
        actions.append(t("pages.overview.a_dropped", lang, n=f"{dropped:,}"))
    if not actions:
        actions.append(t("pages.overview.a_none", lang))
    findings[0] = findings[0][:1].upper() + findings[0][1:]  # "all data: …" opens a sentence
    return findings[:5], actions


_NO_SELECT = ("lasso2d", "select2d")


def monthly_revenue_figure(
    monthly: pd.DataFrame, lang: str = "zh", *, currency: str = "", title: str | None = None
) -> go.Figure:
    """Bar chart of :func:`monthly_revenue`; months in ``lang``; the title names the best month."""
    months = [_month_label(m, lang) for m in monthly["month"]]
    best = int(monthly["revenue"].to_numpy().argmax()) if len(monthly) else 0
    fig = go.Figure(
        go.Bar(
            x=months,
            y=monthly["revenue"],
            customdata=monthly[["customers"]].to_numpy(),
            hovertemplate="%{x}<br>"
            + currency
            + "%{y:,.2f}<br>"
            + t("reporting.overview.customers", lang)
            + ": %{customdata[0]:,}<extra></extra>",
            name=t("reporting.overview.revenue", lang),
        )
    )
    if title is None:
        title = (
            t(
                "pages.overview.t_monthly",
                lang,
                month=months[best],
                revenue=money_text(float(monthly["revenue"].iloc[best]), currency),
            )
            if len(monthly)
            else t("reporting.overview.monthly_revenue", lang)
        )
    fig.update_layout(
        template=figure_template(),
        title=title,
        xaxis_title=t("reporting.overview.month", lang),
        yaxis_title=_money_axis(lang, currency),
        yaxis_tickformat=",",  # 40,000 as in the tables, not plotly's SI "40k"
        xaxis_type="category",
        modebar_remove=list(_NO_SELECT),
    )
    return fig


def customer_revenue_figure(
    per_customer: pd.DataFrame,
    lang: str = "zh",
    nbins: int = 40,
    *,
    currency: str = "",
    cap: float = 0.99,
    title: str | None = None,
) -> go.Figure:
    """Histogram of :func:`customer_revenue`, the long tail capped at the ``cap`` quantile.

    Customers above the quantile are counted in the last bar (its hover says so) so that the
    bulk of customers is readable; the title states the median and the cap.  The bins are
    counted here (:func:`csworkbench.plots.histogram_bars`), so the page carries one count
    per bin rather than every customer's revenue.
    """
    revenue = per_customer["revenue"].astype(float)
    from ..plots import add_cap_note, cap_long_tail, histogram_bars

    shown, limit, above = cap_long_tail(revenue, cap)
    fig = go.Figure(histogram_bars(shown, nbins=nbins, name=t("reporting.overview.customer_count", lang)))
    if title is None:
        title = t(
            "pages.overview.t_customers",
            lang,
            median=money_text(float(revenue.median()), currency) if len(revenue) else "",
            share=_share(1 - cap),
            limit=money_text(limit, currency),
        )
    fig.update_layout(
        template=figure_template(),
        title=title,
        xaxis_title=t("reporting.overview.customer_revenue_axis", lang) + (f" ({currency})" if currency else ""),
        yaxis_title=t("reporting.overview.customer_count", lang),
        bargap=0.05,
        modebar_remove=list(_NO_SELECT),
    )
    return add_cap_note(fig, limit, above, lang=lang, currency=currency)
