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
# # 第 7 章　客户价值、Peppers & Rogers 矩阵与战略客户
#
# 上一章按过去的贡献给顾客分了层。本章往前看：一位顾客将来值多少钱（**终身价值**）？
# 哪些顾客最值得留、哪些最值得培养、哪些在赔钱？面对不同的顾客，应当采用什么策略？
#
# ## 学习目标
#
# 1. 理解顾客让渡价值 = 顾客总价值 − 顾客总成本，以及从 4P 到 4C 的转变；
# 2. 会用 `BetaGeoModel`、`GammaGammaModel` 和 `clv` 在交易数据上预测客户终身价值；
# 3. 说出 Peppers & Rogers 的三类价值客户（最具价值客户、最具增长潜力客户、负值客户）和客户差异矩阵，会用 `value_classes`、`differentiation_matrix`；
# 4. 说出一对一营销的四个步骤 IDIC：识别、区分、互动、定制；
# 5. 用七项标准给战略客户打分（`strategic_score`），用客户策略矩阵选择策略；
# 6. 说出几种需求状态及相应的营销对策。

# %% tags=["parameters"]
lang = "zh"
title = "客户价值、Peppers & Rogers 矩阵与战略客户"
calibration_end = "1997-09-30"  # 用这一天之前的交易来估计模型
horizon_months = 12  # 动手试一试：终身价值的预测期（月）
discount_rate = 0.10  # 年折现率
potential_weight = 1.0  # 动手试一试：战略客户评分中“未来潜力”的权重（其余六项为 1）

# %%
import warnings

import pandas as pd

from csworkbench import plots
from csworkbench.clv import BetaGeoModel, GammaGammaModel, clv, clv_distribution_figure, summary_from_transactions
from csworkbench.datasets import load_cdnow
from csworkbench.tiers import (STRATEGIC_CRITERIA, customer_value, differentiation_matrix, strategic_score,
                               strategy_matrix, value_classes)

warnings.simplefilter("ignore")
plots.apply_theme()

# %% [markdown]
# ## 7.1 顾客让渡价值
#
# 顾客为什么选择你？营销学用**顾客让渡价值**来回答：
#
# > 顾客让渡价值 = 顾客总价值 − 顾客总成本
#
# **顾客总价值**包括产品、服务、人员和形象带来的价值；**顾客总成本**不只是价格，还有顾客花费的时间、精力和体力。
# 提高让渡价值有三条路：提高总价值、降低总成本，或者两者同时变化但差额不断扩大。
# 这也是从 **4P**（产品、价格、渠道、促销，企业视角）转向 **4C**（顾客需要、顾客成本、便利、沟通，顾客视角）的道理。
#
# ## 7.2 客户终身价值
#
# 课程说，客户价值是可以计算的：**终身价值**（CLV）是客户关系管理预测客户价值的方法。
# 标准做法分两步：用 BG/NBD 模型预测每位顾客将来还会买几次（考虑到顾客可能已经悄悄“离开”），
# 用 Gamma-Gamma 模型预测每次会花多少钱，再按利润率和折现率汇总成终身价值。
#
# 仍用 CDNOW 的交易，以 1997 年 9 月 30 日为界，之前的数据用来估计模型：

# %%
transactions = load_cdnow()
rfm_summary = summary_from_transactions(transactions, calibration_end=calibration_end)
rfm_summary.table.head()

# %%
purchases = BetaGeoModel().fit(rfm_summary)
purchases.summary()

# %% [markdown]
# 估计结果 r ≈ 0.243、α ≈ 4.41、a ≈ 0.793、b ≈ 2.43，与 Fader、Hardie 和 Lee（2005）发表的数字一致。
# 再估计每次消费金额（只用有重复购买的顾客）：

# %%
repeaters = rfm_summary.table[rfm_summary.table["frequency"] > 0]
spend = GammaGammaModel().fit(frequency=repeaters["frequency"], monetary_value=repeaters["monetary_value"])
spend.summary()

# %%
lifetime = clv(rfm_summary, purchases, spend, horizon_months=horizon_months, discount_rate=discount_rate)
lifetime.head(10)

# %%
clv_distribution_figure(lifetime, lang=lang).show()

# %% [markdown]
# `probability_alive` 是顾客仍“活着”（还会再来）的概率。很多只买过一次的顾客，终身价值接近零——
# 过去贡献大不等于将来贡献大，这正是要预测终身价值的原因。
#
# ## 7.3 三类价值客户
#
# Peppers 和 Rogers 按价值把客户分成：
#
# * **最具价值客户**（MVC）：当前价值最高，要全力保留；
# * **最具增长潜力客户**（MGC）：当前价值不高，但潜在价值大，要努力扩展；
# * **负值客户**（BZC）：服务他们的成本超过他们带来的收入，要降低服务成本或设法转化。
#
# 下面把 9 月 30 日以前的销售额当作当前价值，把未来 12 个月的预测终身价值当作潜在价值：

# %%
past = customer_value(transactions[transactions["date"] <= calibration_end]).table
value_data = past[["customer_id", "revenue"]].merge(lifetime[["customer_id", "clv"]], on="customer_id")
value_data = value_data.rename(columns={"revenue": "current_value", "clv": "potential_value"})
classes = value_classes(value_data, lang=lang)
classes["value_class_label"].value_counts()

# %%
classes.groupby("value_class_label")[["current_value", "potential_value"]].mean().round(1)

# %% [markdown]
# CDNOW 只记录了销售额、没有服务成本，所以找不到负值客户——要识别负值客户，必须把服务成本算进价值里。
#
# ## 7.4 客户差异矩阵与 IDIC
#
# Peppers 和 Rogers 还按**价值差异**和**需求差异**两个维度画出**客户差异矩阵**：价值差异小、需求差异小的客户适合大众营销；
# 价值差异大的按价值区别对待；需求差异大的按需求定制；两者都大的，适合一对一营销。
# 下面是一家办公用品公司 8 位企业客户的年利润（万元）和需求特殊程度（1–7 分）：

# %%
accounts = pd.DataFrame({
    "customer_id": ["甲公司", "乙公司", "丙公司", "丁公司", "戊公司", "己公司", "庚公司", "辛公司"],
    "current_value": [120.0, 15.0, 8.0, 95.0, 12.0, 60.0, 5.0, 30.0],
    "needs": [6, 2, 6, 2, 5, 7, 1, 3],
})
matrix = differentiation_matrix(accounts, lang=lang)
matrix.table

# %%
matrix.customers

# %% [markdown]
# 一对一营销分四步，简称 **IDIC**：
#
# 1. **识别**（Identify）：知道顾客是谁，把每位顾客的各种接触记录连起来；
# 2. **区分**（Differentiate）：按价值和需求把顾客区分开（上面的矩阵）；
# 3. **互动**（Interact）：与顾客对话，了解他们的需要，每次互动都在上一次的基础上进行；
# 4. **定制**（Customise）：按顾客的需要调整产品、服务或沟通方式。
#
# ## 7.5 战略客户
#
# 课程给出识别战略客户的**七项标准**：与企业的业务规模、对其他客户的影响力、稳定性、竞争对手对该客户的争夺、
# 独特的增值机会、节约成本的机会、未来潜力。识别时还要问：收入从哪里来？谁做决定？谁从中受益？
# 优质的战略客户意味着**相互信任**和稳定的现金流。
#
# 销售团队给四家客户按七项标准打分（1–5 分），权重来自参数（“未来潜力”的权重是 `potential_weight`）：

# %%
ratings = pd.DataFrame({
    "customer_id": ["甲公司", "丁公司", "己公司", "辛公司"],
    "size": [5, 4, 3, 2], "influence": [4, 2, 5, 3], "stability": [3, 5, 4, 3], "competition": [4, 2, 3, 2],
    "value_adding": [3, 2, 5, 3], "cost_saving": [2, 4, 3, 3], "potential": [2, 2, 5, 4],
})
weights = {criterion: 1.0 for criterion in STRATEGIC_CRITERIA}
weights["potential"] = potential_weight
strategic = strategic_score(ratings, weights=weights, lang=lang)
strategic.table.round(2)

# %%
strategic.weights.round(3)

# %% [markdown]
# ## 7.6 客户策略矩阵与需求状态
#
# 按顾客（现有 / 新）和产品（现有 / 新）两个维度，课程给出四种客户策略，风险依次升高：

# %%
strategy_matrix(lang)

# %% [markdown]
# 扩张策略通常与忠诚策略一起使用：先留住，再多卖。多元化——新产品卖给新顾客——风险最高。
#
# 营销还要看市场的**需求状态**：**无需求**时，要设法把产品的好处与人们的需要联系起来，激发需求；
# **过量需求**（供不应求）时，可以提价、减少促销，或暂时减少对某些顾客的供应（低营销），引导需求；
# **充分需求**（需求与供给大体平衡）时，要保持质量、关注顾客满意，防止竞争者夺走需求。

# %% [markdown]
# ## 7.7 动手试一试
#
# 1. 把 `horizon_months` 从 12 改成 36，终身价值最高的顾客有变化吗？最具增长潜力客户的数量怎样变化？
# 2. 把 `potential_weight` 从 1 改成 3（更看重未来），四家客户的排名会怎样变化？

# %%
strategic.table[["customer_id", "score", "rank"]].round(2)

# %% [markdown]
# ## 思考题
#
# 1. 一位顾客过去一年在 CDNOW 花了很多钱，但他的 `probability_alive` 只有 0.3。他还是最具价值客户吗？企业应该怎么做？
# 2. 为什么要把服务成本算进客户价值？如果一家银行只按存款余额给客户分级，会出现什么问题？
# 3. 在客户差异矩阵中，“价值低、需求差异大”的客户为什么适合按需求定制而不是一对一营销？
# 4. 用七项标准分析：一家在行业内很有名、但利润很薄的客户，是不是战略客户？
#
# <details><summary>参考答案</summary>
#
# 1. 过去的价值高，但将来可能已经流失：终身价值低。企业应尽快联系、了解原因（很可能是沉默的不满意，见第 5 章），
#    挽回的价值很大；不能因为他“过去是大客户”就以为他还在。
# 2. 收入减去服务成本才是顾客真正的贡献。只看存款余额，会忽略那些余额不高但交易频繁、占用大量柜台服务的客户的成本，
#    找不出负值客户，也可能把资源错配给“看上去大”的客户。
# 3. 一对一营销成本高，只有价值高的客户才值得；价值低、需求特殊的客户可以归成几类需求，用标准化的定制方案（模块化组合）满足，成本更低。
# 4. 可能是：“对其他客户的影响力”和“未来潜力”很高，能带来示范效应和新客户；但“业务规模”和“节约成本的机会”低。
#    要用加权评分综合判断，并看企业当前的战略更看重哪几项。
# </details>
#
# ## 练习
#
# 1. 默认参数下，终身价值最高的顾客是谁？他在预测期内预计购买多少次？
# 2. 在 7.4 的例题中，哪些客户落在“一对一营销”象限？
#
# <details><summary>参考答案</summary>
#
# 1. 见 `lifetime` 第一行：编号 05420 的顾客，预计 12 个月内购买约 16 次，终身价值约 1189 美元。
# 2. 默认用中位数切分（价值中位数 22.5 万元，需求中位数 4.5 分），见 `matrix.customers`：
#    价值高且需求差异大的是甲公司（120 万元，6 分）和己公司（60 万元，7 分）。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 顾客让渡价值 | customer delivered value |
# | 顾客总价值 / 顾客总成本 | total customer value / total customer cost |
# | 4P / 4C | product, price, place, promotion / customer needs, cost, convenience, communication |
# | 终身价值（客户终身价值） | customer lifetime value (CLV) |
# | 存活概率 | probability alive |
# | 最具价值客户 | most valuable customers (MVC) |
# | 最具增长潜力客户 | most growable customers (MGC) |
# | 负值客户 | below-zero customers (BZC) |
# | 客户差异矩阵 | customer differentiation matrix |
# | 需求差异 / 价值差异 | differing needs / differing value |
# | 识别、区分、互动、定制（IDIC） | identify, differentiate, interact, customise |
# | 战略客户 | strategic customers |
# | 忠诚策略 / 扩张策略 | loyalty (retention) / expansion strategy |
# | 获取策略 / 多元化策略 | acquisition / diversification strategy |
# | 无需求 / 过量需求 / 充分需求 | no demand / excess demand / full demand |
