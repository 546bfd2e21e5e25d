"""Complaint tables for reading (投诉表格): codes shown as labels in the report's language.

:func:`display_table` renames a result table's columns and translates the coded values
(category, department, aspect, channel, model, step) to ``lang``; :func:`category_label`
gives one category's label, HTML-escaped for figures (plotly renders a subset of HTML).
"""

from __future__ import annotations

import pandas as pd

from ..i18n import check_language, load_catalog, t
from .privacy import escape_html

__all__ = ["display_table", "category_label", "complaint_findings", "complaint_kpis"]


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


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def complaint_kpis(
    log: pd.DataFrame, *, sla: pd.DataFrame | None = None, levels: pd.Series | None = None, lang: str = "zh"
) -> list[dict]:
    """Key figures of the complaint report as KPI records (report-page contract).

    ``complaints`` (count), ``within_sla`` (share of the resolution step within its target,
    when the log has handling steps), ``escalated`` (share at escalation level 4 or 5, when
    ``levels`` are given).  Lower is better for complaints and escalations.

    >>> [k["value"] for k in complaint_kpis(pd.DataFrame({"x": range(3)}), lang="en")]
    [3]
    """
    out = [_kpi("complaints", t("complaints.kpi.complaints", lang), len(log), "count", "lower")]
    if sla is not None and len(sla) and "resolved_at" in set(sla["step"]):
        row = sla.set_index("step").loc["resolved_at"]
        out.append(
            _kpi("within_sla", t("complaints.kpi.within_sla", lang), float(row["within_sla"]), "share", "higher")
        )
    if levels is not None and len(levels):
        out.append(
            _kpi("escalated", t("complaints.kpi.escalated", lang), float((levels >= 4).mean()), "share", "lower")
        )
    return out


def _kpi(key: str, label: str, value, kind: str, better: str) -> dict:
    return {
        "key": key,
        "label": label,
        "value": value,
        "unit": "",
        "kind": kind,
        "ci_low": None,
        "ci_high": None,
        "better": better,
    }


def complaint_findings(
    log: pd.DataFrame,
    previous: pd.DataFrame | int | None,
    pareto: pd.DataFrame,
    period,
    *,
    previous_period=None,
    by: str = "category",
    sla: pd.DataFrame | None = None,
    levels: pd.Series | None = None,
    repeat: pd.DataFrame | None = None,
    lang: str = "zh",
) -> tuple[list[str], list[str]]:
    """Findings (3–5 headlines) and recommended actions of the complaint report.

    Findings: the count (and its change against the previous period); the categories that
    make the vital few (the Pareto's ``vital`` rows: together about 80 % of complaints); the
    slowest handling step against its SLA; the share escalated to level 4–5; repeat
    complainers; ``previous`` is the previous period's log or its count of complaints (e.g.
    from the batch runner's ``previous_kpis``) of ``previous_period`` (default
    ``period.previous()``).  Actions by stated rules: the vital few first (largest first); a step with
    fewer than 90 % within target → speed up that step; ≥ 10 % escalated → call escalated
    complainants back first; any repeat complainer → one case owner each.

    >>> from csworkbench.periods import Period
    >>> log = pd.DataFrame({"category": ["delivery"] * 8 + ["billing"] * 2})
    >>> pareto = pd.DataFrame({"category": ["delivery", "billing"], "count": [8, 2],
    ...                        "cumulative_percent": [80.0, 100.0], "vital": [True, False]})
    >>> found, actions = complaint_findings(log, log.iloc[:5], pareto, Period.parse("2026-10"), lang="en")
    >>> found[:2]
    ['Oct 2026: 10 complaints, 100% more than Sep 2026 (5).', '1 of 2 categories make 80% of complaints: Delivery.']
    >>> actions[0]
    'Remove the causes of the vital few first: Delivery.'
    """
    check_language(lang)
    sep = "、" if lang == "zh" else ", "
    label = period.label(lang)
    n = len(log)
    before = len(previous) if isinstance(previous, pd.DataFrame) else previous
    if before:
        change = n / before - 1
        key = "complaints.find.more" if change >= 0 else "complaints.find.fewer"
        found = [
            t(
                key,
                lang,
                period=label,
                n=f"{n:,}",
                change=_pct(abs(change)),
                previous=(previous_period if previous_period is not None else period.previous()).label(lang),
                before=f"{int(before):,}",
            )
        ]
    else:
        found = [t("complaints.find.count", lang, period=label, n=f"{n:,}")]
    actions: list[str] = []
    vital = pareto[pareto["vital"]] if "vital" in pareto.columns else pareto.iloc[:0]
    if len(vital):
        names = sep.join(str(_code_label(v, lang) or v) for v in vital[by])
        share = float(vital["cumulative_percent"].iloc[-1]) / 100
        found.append(t("complaints.find.vital", lang, k=len(vital), m=len(pareto), share=_pct(share), names=names))
        actions.append(t("complaints.act.vital", lang, names=names))
    if sla is not None and len(sla):
        worst = sla.sort_values("within_sla", kind="stable").iloc[0]
        step = t(f"complaints.step.{worst['step']}", lang)
        found.append(
            t(
                "complaints.find.sla",
                lang,
                step=step,
                share=_pct(float(worst["within_sla"])),
                hours=f"{float(worst['target_hours']):g}",
            )
        )
        if float(worst["within_sla"]) < 0.9:
            actions.append(t("complaints.act.sla", lang, step=step))
    if levels is not None and len(levels):
        high = float((levels >= 4).mean())
        found.append(t("complaints.find.escalated", lang, share=_pct(high)))
        if high >= 0.10:
            actions.append(t("complaints.act.escalated", lang))
    if repeat is not None and len(repeat):
        found.append(t("complaints.find.repeat", lang, n=f"{len(repeat):,}"))
        actions.append(t("complaints.act.repeat", lang))
    if not actions:
        actions.append(t("complaints.act.none", lang))
    found[0] = found[0][:1].upper() + found[0][1:]  # "all data: …" opens a sentence
    return found[:5], actions
