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
# # 第 6 章　客户金字塔与 ABC 分级关怀
#
# 顾客并不都一样：少数顾客带来了大部分利润。本章先弄清“谁是顾客”，再用 CDNOW 唱片网店的真实交易数据
# 搭出**客户层级模型**（客户金字塔），最后按 ABC 三级制定**客户关怀**计划和预算。
#
# ## 学习目标
#
# 1. 按不同标准区分顾客：内部顾客与外部顾客、中间顾客与最终顾客、现实顾客与潜在顾客、核心顾客与一般顾客；
# 2. 说出客户金字塔的四个层级：超重量级、重量级、次重量级、轻量级，理解“少数顾客贡献多数利润”；
# 3. 会用 `customer_value`、`customer_pyramid`、`tier_summary` 从交易记录算出金字塔，用 `lorenz` 检验 80/20；
# 4. 会用 `abc_tiers`、`care_plan`、`care_budget` 制定分级关怀计划，并遵守每位关键客户 500 元、普通客户 100 元的礼品上限。

# %% tags=["parameters"]
lang = "zh"
title = "客户金字塔与 ABC 分级关怀"
top_cuts = [0.01, 0.04, 0.15, 0.8]  # 动手试一试：金字塔各层的客户占比（自上而下）
abc_shares = [0.2, 0.3, 0.5]  # 动手试一试：A、B、C 三类客户的占比

# %%
import warnings

from csworkbench import plots
from csworkbench.datasets import load_cdnow
from csworkbench.tiers import (abc_tiers, care_budget, care_plan, customer_pyramid, customer_value, lorenz,
                               lorenz_figure, pyramid_figure, tier_summary)

warnings.simplefilter("ignore")
plots.apply_theme()

# %% [markdown]
# ## 6.1 谁是顾客
#
# 课程从几个角度界定顾客：
#
# * **内部顾客**（企业内部下一道工序、其他部门、员工）与**外部顾客**；
# * **中间顾客**（经销商、加盟商等渠道）与**最终顾客**（最终使用者）；
# * **现实顾客**（已经购买的）与**潜在顾客**（可能购买的）；
# * **核心顾客**与一般顾客；
# * 按性质还可分为零售顾客、商户、渠道（经销商、加盟商）和内部顾客。
#
# 分清顾客，才能分别了解他们的需要、分别衡量他们的满意。
#
# ## 6.2 客户层级模型
#
# 按对企业利润的贡献，把顾客自上而下分为四层：**超重量级**、**重量级**、**次重量级**、**轻量级**。
# 课程的说法是“少数顾客带来大部分利润”（常说的 80/20，具体比例要由数据说话）。
# 不同层级的顾客特征不同，评价服务质量的方式不同，促使他们再次购买的因素不同，服务改进带来的回报也不同；
# 因此服务他们时要有成本意识。
#
# ### 例题：CDNOW 网店
#
# CDNOW 是一家美国网上唱片店。数据是 1997 年初首次购买的 2357 位顾客到 1998 年 6 月的全部购买记录：

# %%
transactions = load_cdnow()
transactions.head()

# %% [markdown]
# 先把交易汇总成每位顾客的价值（这里用销售额；有毛利数据时应改用毛利）：

# %%
values = customer_value(transactions)
values.table.head()

# %% [markdown]
# 按参数 `top_cuts` 的比例（默认：前 1 % 超重量级、接下来 4 % 重量级、15 % 次重量级、其余 80 % 轻量级）分层：

# %%
pyramid = customer_pyramid(values, cuts=top_cuts, value="revenue", lang=lang)
summary = tier_summary(pyramid, lang=lang)
summary.round(3)

# %%
pyramid_figure(summary, lang=lang).show()

# %% [markdown]
# 前 5 % 的顾客（超重量级和重量级）贡献了约三分之一的销售额，而占 80 % 的轻量级顾客只贡献了约三分之一。
# 零或负价值的顾客（只有退货）单独列出，不会被悄悄丢掉。
#
# 洛伦兹曲线和基尼系数从另一个角度看集中程度：曲线越弯、基尼系数越接近 1，贡献越集中。

# %%
concentration = lorenz(values, value="revenue")
concentration.summary(lang=lang)

# %%
lorenz_figure(concentration, lang=lang).show()

# %% [markdown]
# 在 CDNOW，前 20 % 的顾客贡献了约 67 % 的销售额；要凑满 80 % 的销售额，需要约 33 % 的顾客——
# 并不是精确的 80/20，但“少数顾客贡献多数”的规律很清楚。
#
# ## 6.3 ABC 分级关怀
#
# 课程建议把顾客分为 A（关键客户）、B（重要客户）、C（普通客户）三类，区别关怀：
# A 类客户可以每年安排一次旅游，B 类客户送节日礼品，普通客户寄贺卡或发短信；
# 每位关键客户的礼品预算**最多 500 元**，每位普通客户**最多 100 元**；在生日、节假日问候，按季度拜访。
# 关怀的频率、内容、手段和形式，要根据客户的规模、贡献、级别和所在地区区别对待。

# %%
abc = abc_tiers(values, shares=abc_shares, value="revenue", lang=lang)
plan = care_plan(abc, lang=lang)
plan.head()

# %% [markdown]
# 每位客户的计划成本都不超过其类别的上限（`cap`），超出时会被压到上限并标出（`capped`）。按类别汇总出年度关怀预算：

# %%
care_budget(plan, lang=lang)

# %% [markdown]
# ## 6.4 动手试一试
#
# 1. 把 `top_cuts` 改成 `[0.05, 0.15, 0.3, 0.5]`，金字塔各层的价值占比怎样变化？
# 2. 把 `abc_shares` 改成 `[0.1, 0.2, 0.7]`（A 类更少），总预算下降了多少？A 类客户的人均价值升高了还是降低了？

# %%
tier_summary(abc, lang=lang).round(2)

# %% [markdown]
# ## 思考题
#
# 1. 一家医院的“内部顾客”有哪些？为什么要关心内部顾客的满意？
# 2. 按 CDNOW 的结果，如果要把一笔有限的服务改进预算投到某一层级，你会投到哪一层？还需要哪些数据才能下结论？
# 3. 只按销售额分层有什么局限？为什么课程强调按“利润贡献”分层？
# 4. A 类客户的关怀预算远高于 C 类。这对 C 类客户公平吗？企业怎样在“区别对待”和“不冷落普通客户”之间取得平衡？
#
# <details><summary>参考答案</summary>
#
# 1. 挂号、检验、药房等部门互为内部顾客（上一道工序的“顾客”是下一道工序），还有医生、护士等员工。
#    内部顾客不满意，会在流程中层层传递，最终落到患者身上（服务利润链的起点）。
# 2. 不能只看当前价值：还要看各层级对服务改进的反应（改进能否带来更多购买）、流失风险和服务成本。
#    课程指出不同层级“服务改进的回报不同”，通常投向重量级和次重量级中有增长潜力的顾客回报最高。
# 3. 销售额高不等于利润高：大客户可能要求大幅折扣、占用大量服务资源；有的顾客频繁退货。
#    按利润（毛利减服务成本）分层，才能看出真正“养活”企业的顾客，也能识别负价值顾客。
# 4. 区别对待的是“额外的关怀”，不是基本服务：每位顾客都应得到合格的基本服务（必备属性），
#    C 类顾客通过低成本的方式（短信、贺卡）维持联系；同时关注其中有增长潜力的顾客（第 7 章的最具增长潜力客户）。
# </details>
#
# ## 练习
#
# 1. 默认参数下，超重量级顾客有多少位？人均价值是轻量级顾客的多少倍？
# 2. 默认参数下，A 类客户一年的关怀预算是多少？占总预算的比例是多少？
#
# <details><summary>参考答案</summary>
#
# 1. 24 位，人均价值约 1480 美元，约为轻量级顾客（约 42 美元）的 35 倍（见 `summary` 的 `mean_value` 列）。
# 2. 472 位 A 类客户，每人 460 元（未超过 500 元上限），共 217120 元，约占总预算 283105 元的 77 %。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 内部顾客 / 外部顾客 | internal / external customers |
# | 中间顾客 / 最终顾客 | intermediate / final customers |
# | 现实顾客 / 潜在顾客 | actual / potential customers |
# | 核心顾客 | core customers |
# | 客户层级模型（客户金字塔） | the customer pyramid |
# | 超重量级 / 重量级 | super-heavyweight / heavyweight |
# | 次重量级 / 轻量级 | sub-heavyweight / lightweight |
# | 利润贡献 | profit contribution |
# | 洛伦兹曲线 / 基尼系数 | Lorenz curve / Gini coefficient |
# | ABC 分级 | ABC classification |
# | 客户关怀 | customer care |
# | 关键客户 | key account |
# | 关怀预算 | care budget |
