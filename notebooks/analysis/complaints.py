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
# # 顾客投诉报告 · Complaint report
#
# 从投诉记录出发（COURSE.md §4）：数据问题、分类、排列图（关键少数）、趋势与控制限、处理时效、
# 升级程度、重复投诉、脱敏示例。每一节只在数据中有它需要的列时出现。
# From a complaint log (COURSE.md §4): data problems, categories, the Pareto chart (the vital few),
# the trend with control limits, handling time, escalation, repeat complainers, masked examples.
# A section appears only when the log has the columns it needs.
#
# Parameters: `data_path` (your CSV / Excel / Parquet complaint log; `""` = synthetic complaints,
# `n_synthetic` of them), `sheet` (Excel: the sheet's name or number), `column_map` (your header →
# field, e.g. `{"工单号": "complaint_id"}`; common Chinese headers are recognised without it),
# `period` (`""` all data, `2026`, `2026-Q3` or `2026-10`; see csworkbench.periods: the report
# covers the complaints received in it, the trend the periods up to its end; the classifier learns
# from the labelled complaints up to its end), `freq` (`"M"` month
# or `"Q"` quarter for the trend), `lang` (`"zh"`/`"en"`), `label` (the column to classify:
# category, department, service_aspect …), `model_path` (a model saved with
# `ComplaintClassifier.save`; `""` = train on the labelled rows), `n_topics` (topics found when the
# log has no labels; at least 5 complaints a topic), `keyword_mode` (use the keyword lexicon instead), `mask` (mask personal data;
# on by default), `title`, `previous_kpis` (filled by the batch runner with the previous period's key figures:
# the findings' change since last period uses them, else the same file's previous period).
# Complaint text is masked and HTML-escaped wherever it is shown.

# %% tags=["parameters"]
data_path = ""
sheet = ""
column_map = {}
period = ""
freq = "M"
lang = "zh"
label = "category"
model_path = ""
keyword_mode = False
mask = True
n_topics = 8
n_synthetic = 600
title = ""
previous_kpis = ""

# %%
from IPython.display import Markdown

from csworkbench import complaints as cx
from csworkbench.i18n import t
from csworkbench.reporting import display
from csworkbench.reporting.inputs import (
    complaints_input,
    previous_figure,
    problem_labels,
    problem_summary,
    problem_table,
)
from csworkbench.reporting.result_tables import markdown_text, show_result

# %%
source = complaints_input(
    data_path, sheet=sheet, column_map=column_map, period=period, lang=lang, n_synthetic=n_synthetic
)

# %%
display.provenance(
    lang=lang,
    path=source.path or None,
    data=source.source or t("pages.cx.synthetic", lang),
    period=source.period.label(lang),
    n=len(source.data),
    n_label=t("complaints.kpi.complaints", lang),
)

# %%
Markdown(f"# {markdown_text(title) or t('complaints.report_title', lang)}")

# %%
has_labels = label in source.data.columns and bool(source.data[label].notna().any())
few_texts = len(source.data) < 5 * n_topics  # fewer than 5 complaints a topic: no topic model
topics = (
    None
    if has_labels or few_texts
    else cx.complaint_topics(cx.mask_complaints(source.data)["story"], n_topics=n_topics)
)

# %%
history, quality, model = cx.classify_log(
    source.history, label, model_path=model_path, keyword_mode=keyword_mode, lang=lang
)

# %%
log = history.loc[source.data.index]

# %%
previous, previous_period = previous_figure(
    previous_kpis, "complaints", source.period, fallback=None if source.previous is None else len(source.previous)
)

# %%
pareto = cx.complaint_pareto(log, by=label)

# %%
sla = cx.resolution_sla(log, missing_ok=True)

# %%
# a log without a channel column is a log of received complaints: each record is at least level 4
levels = cx.escalation_level(log, received="channel" not in log.columns)["level"]

# %%
repeat = cx.repeat_complainers(log, mask=mask) if "contact" in log.columns else None

# %%
findings, actions = cx.complaint_findings(
    log,
    previous,
    pareto,
    source.period,
    previous_period=previous_period,
    by=label,
    sla=sla,
    levels=levels,
    repeat=repeat,
    lang=lang,
)

# %%
display.findings(findings, actions, lang=lang)

# %%
display.kpi_tiles(cx.complaint_kpis(log, sla=sla, levels=levels, lang=lang), lang=lang, previous=previous_kpis)

# %%
Markdown(f"## {t('pages.cx.pareto', lang)}")

# %%
cx.pareto_figure(pareto, by=label, lang=lang).show()

# %%
show_result(pareto, lang=lang)

# %%
Markdown(
    f"## {t('pages.cx.topics', lang)}\n\n"
    + (
        t("complaints.nb.topics_note", lang)
        if topics is not None
        else t("pages.cx.topics_few", lang, n=len(source.data), k=n_topics, min=5 * n_topics)
    )
) if not has_labels else None

# %%
show_result(topics.summary(), lang=lang) if topics is not None else None

# %%
show_result(topics.examples[topics.examples["rank"] == 1][["topic", "text"]], lang=lang) if topics is not None else None

# %%
Markdown(f"## {t('pages.cx.trend', lang)}\n\n{t('pages.cx.trend_note', lang)}")

# %%
cx.control_chart_figure(cx.control_chart(history, period=freq, kind="c"), lang=lang).show()

# %%
Markdown(f"## {t('pages.cx.sla', lang)}") if len(sla) else None

# %%
cx.sla_figure(sla, lang=lang).show() if len(sla) else None

# %%
show_result(sla, lang=lang) if len(sla) else None

# %%
Markdown(f"## {t('pages.cx.escalation', lang)}")

# %%
cx.funnel_figure(cx.escalation_funnel(levels), lang=lang).show()

# %%
Markdown(f"## {t('pages.cx.repeat', lang)}") if repeat is not None and len(repeat) else None

# %%
show_result(repeat.head(10), lang=lang) if repeat is not None and len(repeat) else None

# %%
Markdown(f"## {t('pages.cx.examples', lang)}")

# %%
show_result(cx.complaint_examples(log, by=label, n=2, mask=mask), lang=lang)

# %%
Markdown(
    f"## {t('pages.problems_heading', lang)} ({len(source.problems)})\n\n{t('pages.problems_summary_note', lang) if len(source.problems) else t('problem.none', lang)}"
)

# %%
display.show_table(problem_summary(source.problems, lang), lang=lang, labels=problem_labels(lang)) if len(
    source.problems
) else None

# %% tags=["appendix"]
Markdown(f"### {t('pages.cx.quality', lang)}\n\n{t('pages.cx.quality_read', lang)}") if quality is not None else None

# %% tags=["appendix"]
show_result(quality, lang=lang) if quality is not None else None

# %% tags=["appendix"]
Markdown(f"### {t('pages.cx.counts', lang)}\n\n{t('pages.cx.counts_read', lang)}")

# %% tags=["appendix"]
show_result(cx.complaint_counts(history, label, period=freq, wide=True), lang=lang)

# %% tags=["appendix"]
Markdown(f"### {t('pages.problems_all', lang)}\n\n{t('pages.problems_read', lang)}") if len(source.problems) else None

# %% tags=["appendix"]
display.show_table(
    problem_table(source.problems, lang), lang=lang, labels=problem_labels(lang), kinds={"id": "id", "value": "text"}
) if len(source.problems) else None
