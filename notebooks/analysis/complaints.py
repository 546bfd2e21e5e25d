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
# # 顾客投诉月度报告 · Monthly complaint report
#
# 从投诉记录出发（COURSE.md §4）：数据问题、自动分类及其质量、排列图、按月统计、控制图、处理时效、
# 升级程度、重复投诉、沉默的不满顾客、脱敏示例。
# From a complaint log (COURSE.md §4): data problems, automatic classification and its quality,
# the Pareto chart, counts per month, a control chart, handling time against the SLA, escalation,
# repeat complainers, silent dissatisfied customers, masked examples.
#
# Parameters: `data_path` (CSV / Excel / … complaint log; `""` = synthetic complaints, `n_synthetic`
# of them), `column_map` (your header → canonical field, e.g. `{"工单号": "complaint_id"}`; common
# Chinese headers are recognised without it), `period` (the reporting month `YYYY-MM`: complaints
# after its end are left out; `""` = all), `freq` (`"M"` month or `"Q"` quarter), `lang`
# (`"zh"`/`"en"`), `label` (the column to classify: category, department, service_aspect …),
# `model_path` (a model saved with `ComplaintClassifier.save`; `""` = train on the labelled rows),
# `n_topics` (topics found by NMF when the log has no labels in `label`: that section appears only then),
# `keyword_mode` (use the keyword lexicon instead), `mask` (mask personal data; on by default),
# `title`. Complaint text is masked and HTML-escaped wherever it is shown.

# %% tags=["parameters"]
data_path = ""
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

# %%
import pandas as pd
from IPython.display import Markdown

from csworkbench import complaints as cx
from csworkbench.datasets import load_complaints
from csworkbench.i18n import t
from csworkbench.reporting.overview import problem_view

# %%
Markdown(f"# {cx.escape_html(title) or t('complaints.report_title', lang)}")

# %%
Markdown(t("complaints.nb.intro", lang))

# %%
Markdown(f"## {t('complaints.nb.problems', lang)}")

# %%
log, problems = load_complaints(data_path, column_map=column_map, lang=lang, n=n_synthetic)
log = log[log["date"] <= pd.Period(period, freq="M").end_time] if period else log

# %%
Markdown(f"{t('report.rows', lang)}: {len(log)} · {t('report.data_problems', lang)}: {len(problems)}")

# %%
problem_view(problems, lang, max_rows=20, mask=mask)

# %%
Markdown(f"## {t('complaints.nb.classify', lang)}")

# %%
has_labels = label in log.columns and bool(log[label].notna().any())
topics = None if has_labels else cx.complaint_topics(cx.mask_complaints(log)["story"], n_topics=n_topics)

# %%
log, quality, model = cx.classify_log(log, label, model_path=model_path, keyword_mode=keyword_mode, lang=lang)

# %%
Markdown(t("complaints.nb.quality_note", lang))

# %%
cx.display_table(quality, lang) if quality is not None else None

# %%
Markdown(f"## {t('complaints.nb.topics', lang)}\n\n{t('complaints.nb.topics_note', lang)}") if topics is not None else None

# %%
cx.display_table(topics.summary(), lang) if topics is not None else None

# %%
cx.display_table(topics.examples[topics.examples["rank"] == 1][["topic", "text"]], lang) if topics is not None else None

# %%
Markdown(f"## {t('complaints.nb.pareto', lang)}")

# %%
pareto = cx.complaint_pareto(log, by=label)

# %%
cx.pareto_figure(pareto, by=label, lang=lang).show()

# %%
cx.display_table(pareto, lang)

# %%
Markdown(f"## {t('complaints.nb.monthly', lang)}")

# %%
cx.display_table(cx.complaint_counts(log, label, period=freq, wide=True), lang)

# %%
Markdown(f"## {t('complaints.nb.trend', lang)}")

# %%
trend = cx.control_chart(log, period=freq, kind="c")

# %%
cx.control_chart_figure(trend, lang=lang).show()

# %%
Markdown(f"## {t('complaints.nb.sla', lang)}")

# %%
sla = cx.resolution_sla(log, missing_ok=True)

# %%
cx.sla_figure(sla, lang=lang).show() if len(sla) else Markdown(t("complaints.nb.no_steps", lang))

# %%
cx.display_table(sla, lang)

# %%
Markdown(f"## {t('complaints.nb.escalation', lang)}")

# %%
funnel = cx.escalation_funnel(cx.escalation_level(log)["level"])

# %%
cx.funnel_figure(funnel, lang=lang).show()

# %%
Markdown(f"## {t('complaints.nb.repeat', lang)}")

# %%
cx.display_table(cx.repeat_complainers(log, mask=mask).head(10), lang) if "contact" in log.columns else None

# %%
Markdown(f"## {t('complaints.nb.silent', lang)}")

# %%
cx.display_table(cx.silent_dissatisfied(len(log)), lang)

# %%
Markdown(f"## {t('complaints.nb.examples', lang)}")

# %%
cx.display_table(cx.complaint_examples(log, by=label, n=2, mask=mask), lang)
