# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["report-hide"]
# # 数据概览 · Data overview
#
# 从一个交易数据文件出发：读入、校验、列出数据问题，再给出主要指标和两张交互图表。
# From one transaction file: read it, validate it, list the data problems, then show the
# headline figures and two interactive charts.
#
# Parameters: `data_path` (your CSV / Excel / SPSS / Parquet transaction file; `""` = the bundled
# CDNOW sample), `sheet` (Excel: the sheet's name or number), `column_map` (your header → field:
# `customer_id`, `date`, `amount`, `quantity`, `margin`, e.g. `{"会员号": "customer_id"}`),
# `period` (`""` all data, `2026`, `2026-Q3` or `2026-10`; see csworkbench.periods),
# `currency` (shown on money figures and axes; `""` = none), `lang` (`"zh"` or `"en"`), `title`,
# `previous_kpis` (filled by the batch runner: last period's key figures; the findings' change
# since last period uses them, else the same file's previous period).
# This note is tagged `report-hide` and stays out of the published page.

# %% tags=["parameters"]
data_path = ""
sheet = ""
column_map = {}
period = ""
currency = ""
lang = "zh"
title = ""
previous_kpis = ""

# %%
from IPython.display import Markdown

from csworkbench.i18n import t
from csworkbench.reporting import display, overview
from csworkbench.reporting.inputs import (
    previous_figure,
    problem_labels,
    problem_summary,
    problem_table,
    transactions_input,
)

# %%
source = transactions_input(data_path, sheet=sheet, column_map=column_map, period=period)

# %%
display.provenance(
    lang=lang,
    path=source.path,
    period=source.period.label(lang),
    n=len(source.data),
    n_label=t("reporting.overview.transactions", lang),
)

# %%
previous_revenue, previous_period = previous_figure(
    previous_kpis,
    "revenue",
    source.period,
    fallback=None if source.previous is None else float(source.previous["amount"].sum()),
)

# %%
findings, actions = overview.overview_findings(
    source.data, previous_revenue, source.problems, source.period, lang, currency, previous_period=previous_period
)

# %%
display.findings(findings, actions, lang=lang)

# %%
display.kpi_tiles(overview.overview_kpis(source.data, lang, currency), lang=lang, previous=previous_kpis)

# %%
Markdown(f"## {t('reporting.overview.charts_heading', lang)}")

# %%
overview.monthly_revenue_figure(overview.monthly_revenue(source.data), lang, currency=currency).show()

# %%
overview.customer_revenue_figure(overview.customer_revenue(source.data), lang, currency=currency).show()

# %%
Markdown(
    f"## {t('pages.problems_heading', lang)} ({len(source.problems)})\n\n{t('pages.problems_summary_note', lang) if len(source.problems) else t('problem.none', lang)}"
)

# %%
display.show_table(problem_summary(source.problems, lang), lang=lang, labels=problem_labels(lang)) if len(
    source.problems
) else None

# %% tags=["appendix"]
Markdown(f"### {t('pages.problems_all', lang)}\n\n{t('pages.problems_read', lang)}") if len(source.problems) else None

# %% tags=["appendix"]
display.show_table(
    problem_table(source.problems, lang), lang=lang, labels=problem_labels(lang), kinds={"id": "id", "value": "text"}
) if len(source.problems) else None
