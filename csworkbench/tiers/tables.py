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

from ..i18n import check_language, load_catalog, money_text, t
from ._base import frame_of

__all__ = ["display_table", "tier_findings", "tier_kpis", "clv_reading"]


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


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _top_tiers(summary: pd.DataFrame, reach: float) -> pd.DataFrame:
    """The top tiers of a :func:`tier_summary` whose value shares first reach ``reach``."""
    body = summary[~summary["tier"].isin(["total", "nonpositive"])].reset_index(drop=True)
    before = body["value_share"].cumsum().shift(fill_value=0.0)
    return body[before < reach]


def tier_kpis(
    value: Any,
    lorenz: Any,
    *,
    value_column: str = "revenue",
    lang: str = "zh",
    currency: str = "",
    lifetime: pd.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """Key figures of the customer-tiers report as KPI records (report-page contract).

    ``customers``, ``value`` (total revenue or margin), ``top20_share`` (share of value from
    the top 20 % of customers), ``gini``; with ``lifetime`` (a :func:`csworkbench.clv.clv`
    table) ``clv_total``, the expected value of the customer base over the horizon (no
    interval: the per-customer intervals do not add up to one for the total).
    """
    table = frame_of(value, "customer values")
    out = [
        _kpi("customers", t("tiercol.customers", lang), int(table["customer_id"].nunique()), "", "count", "higher"),
        _kpi(
            "value", t(f"tiercol.{value_column}", lang), float(table[value_column].sum()), currency, "money", "higher"
        ),
        _kpi("top20_share", t("pages.tiers.kpi_top20", lang), float(lorenz.top20_share), "", "share", None),
        _kpi("gini", t("pages.tiers.kpi_gini", lang), float(lorenz.gini), "", "decimal", None),
    ]
    if lifetime is not None and len(lifetime):
        out.append(
            _kpi("clv_total", t("pages.tiers.kpi_clv", lang), float(lifetime["clv"].sum()), currency, "money", "higher")
        )
    return out


def _kpi(key: str, label: str, value: Any, unit: str, kind: str, better: str | None) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "value": value,
        "unit": unit,
        "kind": kind,
        "ci_low": None,
        "ci_high": None,
        "better": better,
    }


def tier_findings(
    summary: pd.DataFrame,
    lorenz: Any,
    rfm_summary: pd.DataFrame | None,
    period: Any,
    *,
    previous_value: float | None = None,
    previous_period: Any = None,
    lifetime: pd.DataFrame | None = None,
    lifetime_reason: str = "",
    lang: str = "zh",
    currency: str = "",
) -> tuple[list[Any], list[str]]:
    """Findings (3–5 headlines) and recommended actions of the customer-tiers report.

    Findings, computed from the results: customers and value (with the change against the
    previous period when ``previous_value`` is given); the share of customers that brings
    80 % of value (:func:`~csworkbench.tiers.lorenz`); the top tiers that together hold half
    of the value (:func:`tier_summary`); valuable customers who stopped buying (RFM segments
    ``at_risk`` and ``cant_lose``); the expected value of the base over the CLV horizon, or
    — ``lifetime_reason`` — why it was not estimated (a flagged finding, always kept).
    ``previous_value`` is the value of ``previous_period`` (default ``period.previous()``),
    e.g. from the batch runner's ``previous_kpis``.
    Actions by stated rules: personal care for the tiers holding half of the value; a
    win-back contact for at-risk and can't-lose customers when there are any; Gini ≥ 0.6 →
    review the top customers every month; ≥ 30 % hibernating → low-cost reactivation only.

    >>> import pandas as pd
    >>> from csworkbench.tiers import customer_pyramid, tier_summary, lorenz
    >>> from csworkbench.periods import Period
    >>> v = pd.Series([50.0, 20, 10, 10, 5, 5], index=list("abcdef"))
    >>> s = tier_summary(customer_pyramid(v, cuts=(0.2, 0.2, 0.2, 0.4)), lang="en")
    >>> found, actions = tier_findings(s, lorenz(v), None, Period.parse(""), lang="en", currency="$")
    >>> found[1]
    '50% of customers bring 80% of the value (Gini 0.45).'
    >>> actions[0]
    'Give the Super-heavyweight tier (33% of customers, 70% of the value) personal care.'
    """
    check_language(lang)
    sep = "、" if lang == "zh" else ", "
    label = period.label(lang)
    total = summary.loc[summary["tier"] == "total"]
    n = int(total["customers"].iloc[0]) if len(total) else int(summary["customers"].sum())
    amount = float(total["value"].iloc[0]) if len(total) else float(summary["value"].sum())
    found = [t("pages.tiers.f_total", lang, period=label, n=f"{n:,}", value=money_text(amount, currency))]
    if previous_value:
        change = amount / previous_value - 1
        key = "pages.tiers.f_up" if change >= 0 else "pages.tiers.f_down"
        before = previous_period if previous_period is not None else period.previous()
        found[0] += t(key, lang, change=_pct(abs(change)), previous=before.label(lang))
    else:
        found[0] += "。" if lang == "zh" else "."
    found.append(t("pages.tiers.f_80", lang, share=_pct(float(lorenz.share_for_80)), gini=f"{float(lorenz.gini):.2f}"))
    top = _top_tiers(summary, 0.5)
    names = sep.join(top["tier_label"])
    found.append(
        t(
            "pages.tiers.f_top",
            lang,
            tiers=names,
            customers=_pct(float(top["customer_share"].sum())),
            share=_pct(float(top["value_share"].sum())),
        )
    )
    actions = [
        t(
            "pages.tiers.a_top",
            lang,
            tiers=names,
            customers=_pct(float(top["customer_share"].sum())),
            share=_pct(float(top["value_share"].sum())),
        )
    ]
    if rfm_summary is not None and len(rfm_summary):
        risk = rfm_summary[rfm_summary["segment"].isin(["at_risk", "cant_lose"])]
        if int(risk["customers"].sum()):
            found.append(
                t(
                    "pages.tiers.f_risk",
                    lang,
                    n=f"{int(risk['customers'].sum()):,}",
                    share=_pct(float(risk["monetary_share"].sum())),
                )
            )
            actions.append(t("pages.tiers.a_risk", lang, n=f"{int(risk['customers'].sum()):,}"))
        asleep = rfm_summary.loc[rfm_summary["segment"] == "hibernating", "customer_share"].sum()
        if asleep >= 0.3:
            actions.append(t("pages.tiers.a_asleep", lang, share=_pct(float(asleep))))
    if float(lorenz.gini) >= 0.6:
        actions.append(t("pages.tiers.a_gini", lang))
    if lifetime is not None and len(lifetime):
        found.append(t("pages.tiers.f_clv", lang, value=money_text(float(lifetime["clv"].sum()), currency)))
    found[0] = found[0][:1].upper() + found[0][1:]  # "all data: …" opens a sentence
    out: list[Any] = list(found[:5])
    if lifetime_reason:
        out = [*found[:4], {"text": lifetime_reason, "flag": True}]
    return out, actions


def clv_reading(bgnbd: pd.DataFrame, spend: pd.DataFrame | None = None, *, lang: str = "zh", freq: str = "W") -> str:
    """One paragraph reading the fitted BG/NBD (and Gamma-Gamma) parameters for a manager.

    r/α is the mean purchase rate of an active customer per time unit; a/(a+b) the mean
    probability of dropping out after a purchase; for the Gamma-Gamma, p·γ/(q−1) the mean
    spend per purchase (finite for q > 1).

    >>> bg = pd.DataFrame({"parameter": ["r", "alpha", "a", "b"], "estimate": [0.2426, 4.414, 0.793, 2.426]})
    >>> clv_reading(bg, lang="en")
    'An active customer buys on average 0.055 times per week (r/α); after each purchase a customer drops out with probability 0.25 (a/(a+b)).'
    """
    est = dict(zip(bgnbd["parameter"], bgnbd["estimate"]))
    unit = t(f"pages.tiers.unit_{freq}", lang)
    text = t(
        "pages.tiers.read_bgnbd",
        lang,
        rate=f"{est['r'] / est['alpha']:.3f}",
        unit=unit,
        drop=f"{est['a'] / (est['a'] + est['b']):.2f}",
    )
    if spend is not None and len(spend):
        gg = dict(zip(spend["parameter"], spend["estimate"]))
        if gg.get("q", 0) > 1:
            text += t("pages.tiers.read_gg", lang, spend=f"{gg['p'] * gg['gamma'] / (gg['q'] - 1):,.2f}")
    return text
