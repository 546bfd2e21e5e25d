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
# # 服务质量分析 · Service quality analysis
#
# 满意度是一个差距：实际感受 − 期望（三角定律）。本报告从 SERVQUAL 问卷的原始回答出发：
# 数据问题、各维度差距及置信区间、题项热图、重要性–绩效分析、卡诺模型，最后是课程的
# 客户体验管理七步法案例。
# Satisfaction is a gap: perception − expectation (the triangle rule). From raw SERVQUAL answers:
# data problems, dimension gaps with confidence intervals, an item heatmap, importance–performance
# analysis, the Kano Better–Worse plot and, last, the course's CEM seven-steps example.
#
# Parameters: `data_path` (long answers `respondent, item, kind, score` with kind E/P and
# optional importance rows kind I; `""` = synthetic survey with known truth), `mapping`
# (dimension → items; `{}` = the standard 22 items), `segment_column` / `segment_value`
# (analyse one segment; `""` = all), `period` (keeps rows whose `period` column starts with it,
# e.g. `2026` or `2026-10`; ignored with a warning when the data have no `period` column; `""` = all),
# `lang` (`"zh"`/`"en"`), `title`, `scale_low` / `scale_high`, `kano_path`, `kano_provided`,
# `cem_path`, `n_respondents` and `random_state` (synthetic data only).

# %% tags=["parameters"]
data_path = ""
mapping = {}
segment_column = ""
segment_value = ""
period = ""
lang = "zh"
title = ""
scale_low = 1
scale_high = 7
kano_path = ""
kano_provided = {"wifi_on_board": False, "on_time": True, "safety": True, "logo_colour": True, "loud_music": True}
cem_path = ""
n_respondents = 300
random_state = 1

# %%
import warnings
from html import escape

from IPython.display import Markdown

from csworkbench.datasets.servqual import load_cem_example, make_kano_survey, make_servqual_survey
from csworkbench.errors import DataWarning
from csworkbench.gaps import (
    cem_steps,
    cem_table,
    gap_bar_figure,
    ipa,
    ipa_figure,
    item_heatmap_figure,
    kano_classify,
    kano_figure,
    needs_window,
    select_answers,
    servqual,
    table_view,
)
from csworkbench.i18n import labels, t
from csworkbench.io import read_table
from csworkbench.reporting.overview import problem_view

warnings.simplefilter("ignore", DataWarning)  # every data problem is listed in the problem table below

# %%
Markdown(f"# {escape(title) or t('gaps.title.service_quality', lang)}")

# %% [markdown]
# ## 1. 数据与数据问题 · Data and data problems
#
# 空白保留为缺失，不会当作 0；超出量表的回答、不成对的题项、重要性分数之和不为 100 等问题都列在下表。
# Blanks stay missing, never 0; answers off the scale, unpaired items, importance points not
# summing to 100 and other problems are listed below.

# %%
answers = read_table(data_path) if data_path else make_servqual_survey(n_respondents, random_state=random_state, segments=["north", "south"])

# %%
answers = select_answers(answers, segment_column=segment_column, segment_value=segment_value, period=period)

# %%
result = servqual(answers, mapping=mapping or None, scale=(scale_low, scale_high))

# %%
Markdown(f"**{t('report.data_problems', lang)}** ({len(result.problems)})")

# %%
problem_view(result.problems, lang)

# %% [markdown]
# ## 2. 各维度差距 · Gaps per dimension
#
# 差距 = 感知 − 期望；负值表示未达到期望。误差线是 95% 置信区间（配对 t）。
# Gap = perception − expectation; negative means expectations are not met. Error bars are
# 95 % paired t intervals.

# %%
gap_bar_figure(result, lang=lang).show()

# %%
table_view(result.dimensions, lang=lang, columns=["dimension", "n", "expectation", "perception", "gap", "ci_low", "ci_high", "importance"])

# %%
table_view(result.overall, lang=lang, columns=["score", "n", "n_missing", "gap", "ci_low", "ci_high"])

# %% [markdown]
# ## 3. 题项热图与信度 · Item heatmap and reliability
#
# 颜色表示每个题项的差距（红 = 低于期望）；Cronbach α 按维度分别计算期望与感知。
# Colour shows each item's gap (red = below expectation); Cronbach's α per dimension for
# expectation and perception.

# %%
item_heatmap_figure(result, lang=lang).show()

# %%
table_view(result.items, lang=lang, columns=["dimension", "item", "n", "gap", "ci_low", "ci_high", "p_adjusted"])

# %%
table_view(result.reliability, lang=lang, columns=["dimension", "kind", "n", "alpha", "note"])

# %% [markdown]
# ## 4. 重要性–绩效分析 · Importance–performance analysis
#
# 重要性来自受访者分配的 100 分（陈述重要性）；绩效为感知得分的平均值；十字线为平均值。
# Importance: the 100 points respondents split over the dimensions (stated importance);
# performance: mean perception; crosshairs at the means.

# %%
has_importance = bool(result.dimensions["importance"].notna().any())
ipa_result = ipa(result.dimensions.rename(columns={"dimension": "attribute", "perception": "performance"}),
                 result.dimensions.rename(columns={"dimension": "attribute"}), lang=lang) if has_importance else None
Markdown(t("gaps.nb.no_importance", lang)) if ipa_result is None else None

# %%
if ipa_result is not None:
    ipa_figure(ipa_result, lang=lang, label=labels(list(result.mapping), lang, prefix="servqual.", missing="keep")).show()

# %%
table_view(ipa_result, lang=lang, columns=["attribute", "importance", "performance", "quadrant_name"]) if ipa_result is not None else None

# %% [markdown]
# ## 5. 卡诺模型与客户需要之窗 · Kano and the customer-needs window
#
# Better = (A + O) / (A + O + M + I)，Worse = −(O + M) / (A + O + M + I)。
# 客户需要之窗：必备与期望属性是顾客想要的（提供则“本该如此”，不提供则“大势不好”）；
# 魅力属性提供时“喜出望外”，无差异或反向属性提供时“多此一举”。

# %%
kano = kano_classify(read_table(kano_path) if kano_path else make_kano_survey(n_respondents, random_state=random_state), lang=lang)

# %%
kano_figure(kano, lang=lang).show()

# %%
table_view(needs_window(kano.features, kano_provided or None, lang=lang).merge(kano.features[["feature", "category_name", "better", "worse"]]),
           lang=lang, columns=["feature", "category_name", "better", "worse", "window"])

# %% [markdown]
# ## 6. 客户体验管理七步法 · CEM seven steps
#
# 课程案例：香港一家电器连锁店在同一条街上有四家门店（0–10 分）。空白单元格保持空白。
# The course's example: a Hong Kong electronics chain with four shops on one street (0–10).
# Blank cells stay blank. The course file calls the perception column (2a) `experience`.

# %%
cem_data = read_table(cem_path) if cem_path else load_cem_example()
cem = cem_table(cem_data)

# %%
table_view(cem, lang=lang)

# %%
table_view(cem_steps(cem, lang=lang), lang=lang)
