# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
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

# %% [markdown]
# # 第 9 章　顾客抱怨：升级、记录、分类与排列图
#
# 第 5 章算过一笔账：每收到一起投诉，背后大约有 19 位不满意的顾客一声不吭。所以，**顾客抱怨**不是麻烦，而是宝贵的信息。
# 本章讲抱怨怎样一步步升级、一份投诉记录应当包含什么、怎样分类统计和用**排列图**找出主要问题，以及处理抱怨的步骤。
#
# ## 学习目标
#
# 1. 按不满意的程度说出抱怨升级的五个层次，区分非投诉型和投诉型不满；
# 2. 说出一份投诉记录应包含的内容，并注意保护投诉人的个人信息；
# 3. 会用 `escalation_level` 判断抱怨的层次，用 `complaint_pareto` 和排列图找出“关键的少数”；
# 4. 会按月、按季度、按责任部门统计投诉，会用 `resolution_sla` 检查处理时限；
# 5. 说出处理抱怨的步骤、收集顾客信息的渠道和调查方法，以及它们的优缺点。

# %% tags=["parameters"]
lang = "zh"
title = "顾客抱怨：升级、记录、分类与排列图"
n_complaints = 400  # 模拟的投诉记录数
seed = 0
vital_share = 80.0  # 动手试一试：排列图中“关键的少数”的累计百分比界线
silent_share = 0.95  # 不满意顾客中从不投诉的比例

# %%
import warnings

from csworkbench import plots
from csworkbench.complaints import (complaint_counts, complaint_pareto, escalation_funnel, escalation_level, evaluate,
                                    funnel_figure, mask_complaints, pareto_figure, resolution_sla, silent_dissatisfied)
from csworkbench.datasets.complaints import make_complaints
from csworkbench.i18n import t

warnings.simplefilter("ignore")
plots.apply_theme()

# %% [markdown]
# ## 9.1 抱怨的升级
#
# 顾客不满意时，会按不满意的程度采取不同的行动，课程把它分为五个层次，一层比一层严重：
#
# | 层次 | 顾客的行动 |
# |---|---|
# | 1 | 沉默，不采取任何行动 |
# | 2 | 停止购买 |
# | 3 | 告诉亲友 |
# | 4 | 向企业、消费者协会或媒体投诉，或依据法律、合同、标准索赔 |
# | 5 | 法律诉讼（仲裁、起诉） |
#
# 前三个层次的不满，企业往往根本听不到，称为**非投诉型**不满（沉默的不满）；第 4、5 层次是**投诉型**不满。
# 非投诉型的不满只能靠企业主动去发现（调查、回访、观察）；投诉型的不满要及时、妥善地处理，防止继续升级。
#
# ## 9.2 投诉记录
#
# 一份完整的**投诉记录**应当包括：投诉人姓名和联系方式；日期；产品名称和**批号**，或服务行为、员工姓名、工号；
# 使用情况（用了多久）或服务的哪个方面（态度、质量、价格、环境、设施）；事情的经过；顾客的损失和要求；**受理人**。
#
# 下面是一家家电零售企业一年的模拟投诉记录（`make_complaints`）。记录里有姓名、电话等个人信息，
# 给别人看之前要先脱敏（`mask_complaints`）：

# %%
complaints = make_complaints(n_complaints, random_state=seed)
mask_complaints(complaints)[["complaint_id", "complainant", "contact", "date", "product", "batch", "staff_id",
                             "usage_duration", "service_aspect", "story", "loss", "request", "receiver"]].head()

# %% [markdown]
# ## 9.3 抱怨到了哪一层？
#
# `escalation_level` 从投诉内容和渠道中找线索（如“起诉”“律师”是第 5 层，“朋友圈”是第 3 层），判断每起投诉所处的层次，并给出证据：

# %%
levels = escalation_level(complaints)
levels.head()

# %%
funnel = escalation_funnel(levels["level"])
funnel

# %%
funnel_figure(funnel, lang=lang).show()

# %% [markdown]
# 注意：企业记录里的第 1–3 层投诉只是“碰巧被听到”的一小部分，真实的沉默者要多得多。按 95 % 的沉默比例推算：

# %%
silent_dissatisfied(len(complaints), silent_share=silent_share)

# %% [markdown]
# ## 9.4 分类统计与排列图
#
# 投诉可以按内容、质量缺陷、产品、地区、**责任部门**分类，按月或按季度统计。
# **排列图**（帕累托图）是标准工具：柱子按类别从多到少排列，折线是累计百分比（右侧坐标轴）。
# 累计到 80 % 左右的几类就是“关键的少数”，应当优先解决。

# %%
pareto = complaint_pareto(complaints, "category", vital_share=vital_share)
pareto.assign(类别=[t(f"complaints.category.{c}", lang) for c in pareto["category"]])

# %%
pareto_figure(pareto, "category", lang=lang, vital_share=vital_share).show()

# %% [markdown]
# 再按季度和责任部门统计，把结果报告给管理层，明确责任部门和责任人：

# %%
complaint_counts(complaints, by="department", period="Q", wide=True)

# %% [markdown]
# ## 9.5 处理抱怨的步骤
#
# 课程给出的处理步骤是：**分析原因** → 解决问题 → **跟踪反馈**（回访顾客、把结果报告上去），整个过程要快。
# 每一步都要有时限，`resolution_sla` 检查各步骤在时限内完成的比例（`target_hours` 是目标小时数）：

# %%
resolution_sla(complaints)

# %% [markdown]
# 最后要衡量处理的效果。回访时请顾客给处理结果打分（1–5 分），按处理方式看平均分；还没结案的投诉没有分数，保持为空，不计入平均：

# %%
complaints.groupby("resolution")["satisfaction_after"].agg(["count", "mean"]).round(2)

# %% [markdown]
# ### 自动分类
#
# 投诉多了，人工分类跟不上。用一部分已分好类的记录训练一个文本分类器，在另一部分记录上检验它的准确程度，
# 并与两个简单的基准（总猜最多的一类；关键词匹配）比较：

# %%
check = evaluate(complaints["story"], complaints["category"], n_boot=200, random_state=seed)
check.table.round(3)

# %% [markdown]
# 两个模型都远好于“总猜最多的一类”。在这份模拟数据上，关键词匹配和分类器不相上下（甚至更好），因为模拟投诉的用词很规整；
# 真实投诉的说法五花八门，关键词就不够用了，这时要在真实记录上重新检验。测试集只有几十条，置信区间很宽，这也提醒我们别只看一个分数。

# %% [markdown]
# ## 9.6 顾客信息从哪里来
#
# 投诉只是顾客信息的一个来源。课程列出的**信息渠道**有：顾客投诉、企业内部记录、顾客满意度调查、与顾客的直接接触、
# 互联网和媒体、**行业协会**。好的信息要有价值，获取成本又要低。
#
# 调查方法包括：**问卷调查**（邮寄、电话、面访）、**访谈**、**观察法**，以及分析企业的经营数据。
# 问卷覆盖面广、便于统计，但回答可能敷衍；访谈深入，但成本高、样本小；观察法看到的是真实行为，但看不到顾客的想法；
# 经营数据客观、便宜，却只能说明“发生了什么”，说明不了“为什么”。

# %% [markdown]
# ## 9.7 动手试一试
#
# 1. 把 `vital_share` 从 80 改成 70，“关键的少数”少了几类？
# 2. 把 `silent_share` 改成 0.8，沉默的不满意顾客和听到负面口碑的人数怎样变化？

# %%
pareto[["category", "count", "cumulative_percent", "vital"]].round(1)

# %% [markdown]
# ## 思考题
#
# 以下三题来自教材第四章（顾客信息管理）：
#
# 1. 企业获取顾客信息有哪些途径？各有什么优缺点？
# 2. 有效的顾客信息管理对顾客满意有什么作用？
# 3. 对于投诉型不满和非投诉型不满，分别应当管理什么？怎样管理？
#
# 再补充一题：
#
# 4. 排列图显示“产品质量”投诉最多。只凭这一点就把所有资源投到质量部，有什么问题？还应看哪些数据？
#
# <details><summary>参考答案</summary>
#
# 1. 顾客投诉（直接、及时，但只代表少数会开口的人）；内部记录（客观、便宜，但说明不了原因）；
#    满意度调查（系统、可比，但成本较高、回答可能敷衍）；直接接触（深入、真实，但样本小、难以统计）；
#    互联网和媒体（量大、及时，但真假混杂）；行业协会（有行业对比，但不够具体）。
# 2. 它让企业听到顾客的声音，及时发现三角定律中的负差距和它们的原因（第 3 章的五种差距），
#    把有限的资源投向关键问题，防止不满升级和流失，还能为产品和服务的改进提供依据——课程所说的“攻与守”都离不开它。
# 3. 投诉型不满：管理投诉记录、分类统计、处理时限、责任部门、处理后的满意度，防止升级到诉讼和媒体；
#    非投诉型不满：主动发现沉默的不满意顾客——开展满意度调查、回访、观察、分析流失和复购数据，降低投诉门槛，让顾客愿意开口。
# 4. 投诉数量不等于损失大小：还应看每类投诉的严重程度（升级层次、损失金额）、趋势（是否在上升，用控制图判断）、
#    处理成本，以及沉默的顾客可能在抱怨什么（调查数据）。另外，排列图的类别划分本身也会影响结论。
# </details>
#
# ## 练习
#
# 1. 默认参数下，“关键的少数”包括哪几类投诉？它们合计占多大比例？
# 2. 哪个处理步骤在时限内完成的比例最低？你会建议怎样改进？
#
# <details><summary>参考答案</summary>
#
# 1. 见 `pareto` 中 `vital` 为 True 的行：通常是产品质量、物流配送、服务态度、价格收费等几类，
#    累计约占 80 %（具体随 `seed` 和 `n_complaints` 而变）。
# 2. 见 `resolution_sla` 的 `within_sla` 列，通常是“找到原因”这一步最慢。可以建立常见问题的原因库、授权一线员工当场处理简单投诉、
#    为复杂投诉指定责任人并设提醒。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 顾客抱怨 | customer complaints |
# | 抱怨的升级 | escalation of dissatisfaction |
# | 沉默 / 停止购买 / 告诉亲友 | silent / stops buying / tells friends and family |
# | 法律诉讼（仲裁、起诉） | legal action (arbitration, court) |
# | 非投诉型不满 / 投诉型不满 | non-complaint / complaint-type dissatisfaction |
# | 投诉记录 | complaint record |
# | 批号 | batch number |
# | 受理人 | receiver (who took the complaint) |
# | 责任部门 | responsible department |
# | 排列图（帕累托图） | Pareto chart |
# | 关键的少数 | the vital few |
# | 处理时限 | service-level target (SLA) |
# | 信息渠道 | information channels |
# | 行业协会 | industry association |
# | 问卷调查 / 访谈 / 观察法 | questionnaire survey / interview / observation |
# | 个人信息脱敏 | masking personal data |
