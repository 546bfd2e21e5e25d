# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: jupyter,tags,-all
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
# **怎样做本章的练习**：标着“练习（写代码）”的题目下面，有一个折叠起来的参考答案单元格（标签 `solution` 和 `hide-input`，
# 在 JupyterLab 中输入区默认收起）和一个自检单元格（`assert`）。先在参考答案上方插入一个新单元格写出你的代码并运行，
# 再运行自检单元格。卡住时再展开参考答案。“试一试”的控件在 JupyterLab 中选好参数后点“运行”即可看到结果（无界面批量执行时不会自动运行）。
#
# ## 学习目标
#
# 1. 说出“顾客”的定义，并按不同标准区分顾客：内部顾客与外部顾客、中间顾客与最终顾客、现实顾客与潜在顾客、核心顾客与一般顾客；
# 2. 说出客户层级模型的四个层级：超重量级、重量级、次重量级、轻量级，理解“少数顾客贡献多数利润”和服务时的成本意识；
# 3. 先用 pandas 手算、再用 `customer_pyramid`、`tier_summary` 从交易记录算出金字塔，用 `lorenz` 检验集中程度；
# 4. 按课程的客户关怀方案制定 ABC 分级关怀计划：重点客户日常礼品不超过 500 元，旅游另计（省内），
#    普通客户及参与活动客户礼品不超过 100 元。

# %% tags=["parameters"]
lang = "zh"
title = "客户金字塔与 ABC 分级关怀"
top_cuts = [0.01, 0.04, 0.15, 0.8]  # 动手试一试：金字塔各层的客户占比（自上而下）
abc_shares = [0.2, 0.3, 0.5]  # 动手试一试：A、B、C 三类客户的占比
trip_cost = 380.0  # 动手试一试：A 类客户一年一次省内旅游的人均费用（元，假设；课程没有给出）

# %%
import ipywidgets as widgets
from IPython.display import Markdown, display

from csworkbench import plots
from csworkbench.datasets import load_cdnow
from csworkbench.reporting.display import show_table
from csworkbench.tiers import (
    abc_tiers,
    care_budget,
    care_plan,
    customer_pyramid,
    customer_value,
    lorenz,
    lorenz_figure,
    pyramid_figure,
    tier_summary,
)

plots.apply_theme()

# %% [markdown]
# ## 6.1 谁是顾客
#
# GB/T 19000-2000 标准给“顾客”下了比较完整的定义：顾客（customer）指接受产品的组织或个人。课程从几个角度给顾客分类：
#
# * **内部顾客**（企业内部下一道工序、其他部门、员工）与**外部顾客**；
# * **中间顾客**（经销商、加盟商等渠道）与**最终顾客**（最终使用者）；
# * **现实顾客**（已经购买的）与**潜在顾客**（可能购买的）；
# * **核心顾客**与一般顾客；以及其他顾客。
#
# 《全面认识客户服务》还从两个角度划分客户：按客户的性质，分为零售客户、商家、渠道（分销商和特许经营者）和内部客户；
# 从企业自身利益的角度，分为给企业带来不同利益的客户（课程以肯德基的客户划分为例）以及最佳客户和最差客户。
# 分清顾客，才能分别了解他们的需要、分别衡量他们的满意。
#
# ## 6.2 客户层级模型
#
# 按对企业利润的贡献，把顾客自上而下分为四层：**超重量级**、**重量级**、**次重量级**、**轻量级**。
# 课程的客户管理原则是：少数客户给企业带来大部分赢利，他们是企业的超重量级客户；多数客户只带来少部分赢利。
# 因此为客户提供服务时要有**成本意识**，并实施客户层级管理。要让新的管理思路发挥作用，企业必须注意四个方面：
# 不同层级客户的属性和特征各异；看待服务质量的方法不同；新购买行为发生的比率和购买数量增加的推动要素不同；
# 服务质量改善对不同客户层级赢利能力的影响存在很大差异。
#
# ### 例题：CDNOW 网店
#
# CDNOW 是一家美国网上唱片店，数据是 1997 年初首次购买的顾客到 1998 年 6 月的全部购买记录：

# %%
transactions = load_cdnow()
display(Markdown(f"共 {len(transactions):,} 条交易，{transactions['customer_id'].nunique():,} 位顾客。"))
transactions.head()

# %% [markdown]
# 先把交易汇总成每位顾客的价值（这里用销售额；有毛利数据时应改用毛利），再按参数 `top_cuts` 的比例分层：

# %%
values = customer_value(transactions)
pyramid = customer_pyramid(values, cuts=top_cuts, value="revenue", lang=lang)
summary = tier_summary(pyramid, lang=lang)
show_table(
    summary.drop(columns="tier"),
    lang=lang,
    labels={
        "tier_label": "层级",
        "customers": "客户数",
        "customer_share": "客户占比",
        "value": "销售额",
        "value_share": "销售额占比",
        "mean_value": "人均",
        "min_value": "最低",
        "max_value": "最高",
    },
)

# %% [markdown]
# ### 先用 pandas 手算
#
# `pyramid.table` 给出了每位顾客所在的层级。用 `groupby` 手算各层的客户数和人均价值，再与 `tier_summary` 对照：

# %%
by_hand = pyramid.table.groupby("tier_label").agg(customers=("customer_id", "size"), mean_value=("value", "mean"))
package = summary.set_index("tier_label").loc[by_hand.index, ["customers", "mean_value"]]
assert (by_hand["customers"] == package["customers"]).all()
assert (by_hand["mean_value"] - package["mean_value"]).abs().max() < 1e-9
by_hand.loc[[label for label in summary["tier_label"] if label in by_hand.index]].round(2)  # from the top tier down

# %%
pyramid_figure(summary, lang=lang).show()

# %%
tiers = summary.set_index("tier")
top_two = tiers.loc[["super_heavy", "heavy"]]
display(
    Markdown(
        f"手算与 `tier_summary` 一致。前 {top_two['customer_share'].sum():.0%} 的顾客（超重量级和重量级）贡献了 "
        f"{top_two['value_share'].sum():.0%} 的销售额，而占 {tiers.loc['light', 'customer_share']:.0%} 的轻量级顾客只贡献了 "
        f"{tiers.loc['light', 'value_share']:.0%}。超重量级顾客人均 {tiers.loc['super_heavy', 'mean_value']:,.0f} 美元，"
        f"是轻量级顾客（{tiers.loc['light', 'mean_value']:,.0f} 美元）的 "
        f"{tiers.loc['super_heavy', 'mean_value'] / tiers.loc['light', 'mean_value']:.0f} 倍。零或负价值的顾客（只有退货）单独列出，不会被悄悄丢掉。"
    )
)

# %% [markdown]
# 洛伦兹曲线和基尼系数从另一个角度看集中程度：曲线越弯、基尼系数越接近 1，贡献越集中。

# %%
concentration = lorenz(values, value="revenue")
measures = concentration.summary(lang=lang).set_index("measure")
lorenz_figure(concentration, lang=lang).show()

# %%
display(
    Markdown(
        f"在 CDNOW，前 20 % 的顾客贡献了 {measures.loc['top20_share', 'value']:.0%} 的销售额；要凑满 80 % 的销售额，"
        f"需要 {measures.loc['share_for_80', 'value']:.0%} 的顾客；基尼系数 {measures.loc['gini', 'value']:.2f}。"
        "不一定是精确的 80/20，但“少数顾客贡献多数”的规律很清楚。"
    )
)

# %% [markdown]
# ### 练习 6.1（写代码）
#
# 用 pandas 从 `values.table` 手算：销售额最高的 1 % 顾客（人数向下取整）贡献了全部销售额的多大比例？存入 `top1_share`（0–1 之间的小数）。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
ranked = values.table["revenue"].sort_values(ascending=False)
top1_share = ranked.head(int(len(ranked) * 0.01)).sum() / ranked.sum()
print(f"前 1% 的客户贡献了全部销售额的 {top1_share:.1%}。")

# %%
top_n = int(len(values.table) * 0.01)
assert (
    abs(top1_share - values.table.nlargest(top_n, "revenue")["revenue"].sum() / values.table["revenue"].sum()) < 1e-12
)
print(f"自检通过：前 1 % 的 {top_n} 位顾客贡献了 {top1_share:.1%} 的销售额。")

# %% [markdown]
# ## 6.3 ABC 分级关怀
#
# 课程的客户关怀方案（亲情服务）说：应该区分不同规模、贡献、层次、地区，从关怀频度、关怀内容、关怀手段、关怀形式上制定计划。
# 可以把客户分为 ABC 等级别，例如为 **A 级客户每年安排一次旅游**，为 **B 级客户安排节日礼品**，为**普通客户发送贺卡**；
# 统计客户生日，生日当天发送祝福短信，重点客户赠送生日蛋糕；法定假日及节日期间发送祝福短信，按级别发放礼品。
# 预算上，**日常重点客户礼品不超过 500 元，旅游为省内；普通客户及参与活动客户礼品不超过 100 元**。
#
# 注意：500 元的上限管的是**日常礼品**，旅游不在其中，要单独列预算。下面的计划据此把 A 类客户的旅游拿出来单算，
# 日常礼品（节日礼品、生日蛋糕）放在上限之内；各项的单价是假设，请换成你企业的实际价格：

# %%
programme = {
    "A": [("holiday_gift", 4, 80.0), ("birthday_gift", 1, 100.0), ("quarterly_visit", 4, 0.0)],
    "B": [("holiday_gift", 3, 25.0), ("birthday_card", 1, 10.0)],
    "C": [("holiday_message", 4, 1.0), ("birthday_message", 1, 1.0)],
}
caps = {"A": 500.0, "B": 100.0, "C": 100.0}
abc = abc_tiers(values, shares=abc_shares, value="revenue", lang=lang)
plan = care_plan(abc, programme=programme, budget_caps=caps, lang=lang)
plan.head()

# %%
budget = care_budget(plan, lang=lang)
n_a = int((plan["tier"] == "A").sum())
trips = n_a * trip_cost
show_table(
    budget.drop(columns="tier"),
    lang=lang,
    labels={
        "tier_label": "类别",
        "customers": "客户数",
        "activities": "关怀活动",
        "contacts_per_year": "每年接触次数",
        "budget_per_customer": "人均日常礼品（元）",
        "budget": "日常礼品预算（元）",
    },
)

# %%
gifts_total = float(budget.loc[budget["tier"] == "total", "budget"].iloc[0])
a_gift = float(plan.loc[plan["tier"] == "A", "budget"].iloc[0])
display(
    Markdown(
        f"{n_a} 位 A 类客户每人日常礼品 {a_gift:.0f} 元（未超过 500 元上限），另加省内旅游每人 {trip_cost:.0f} 元，"
        f"旅游预算 {trips:,.0f} 元单独列支。日常礼品预算合计 {gifts_total:,.0f} 元，加上旅游共 {gifts_total + trips:,.0f} 元。"
    )
)

# %% [markdown]
# **试一试**：换一种 ABC 比例，A、B、C 各有多少客户、各贡献多少销售额？

# %%
abc_explorer = widgets.interact.options(manual=True, manual_name="运行")(
    abc_tiers,
    values=widgets.fixed(values),
    value=widgets.fixed("revenue"),
    lang=widgets.fixed(lang),
    shares=widgets.Dropdown(
        options={"20 / 30 / 50": (0.2, 0.3, 0.5), "10 / 20 / 70": (0.1, 0.2, 0.7), "5 / 15 / 80": (0.05, 0.15, 0.8)},
        description="A / B / C %",
    ),
)

# %% [markdown]
# ### 练习 6.2（写代码）
#
# 如果把 A 类客户的旅游也塞进 500 元的上限（这是常见的误读），A 类客户每人的日常礼品还剩多少元？
# 用 `programme`、`caps` 和 `trip_cost` 算出来，存入 `left_for_gifts`（不能为负，最少为 0）。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
a_daily = sum(times * cost for _, times, cost in programme["A"])
left_for_gifts = max(caps["A"] - trip_cost, 0.0)
left_for_gifts

# %%
assert left_for_gifts == max(500.0 - trip_cost, 0.0), "上限是 500 元，减去旅游费用"
display(
    Markdown(
        f"自检通过。若把旅游塞进上限，A 类客户的日常礼品只剩 {left_for_gifts:.0f} 元，"
        f"而计划中的日常礼品要 {a_daily:.0f} 元——这正是课程把旅游单列的原因。"
    )
)

# %% [markdown]
# ## 6.4 动手试一试
#
# 1. 把 `top_cuts` 改成 `[0.05, 0.15, 0.3, 0.5]`，金字塔各层的价值占比怎样变化？
# 2. 把 `abc_shares` 改成 `[0.1, 0.2, 0.7]`（A 类更少），日常礼品预算和旅游预算各下降多少？
# 3. 把 `trip_cost` 改成 600（省外旅游），总预算怎样变化？日常礼品的上限受影响吗？

# %%
show_table(
    tier_summary(abc, lang=lang).drop(columns="tier"),
    lang=lang,
    labels={
        "tier_label": "类别",
        "customers": "客户数",
        "customer_share": "客户占比",
        "value": "销售额",
        "value_share": "销售额占比",
        "mean_value": "人均",
        "min_value": "最低",
        "max_value": "最高",
    },
)

# %% [markdown]
# ## 思考题
#
# 1. 一家医院的“内部顾客”有哪些？为什么要关心内部顾客的满意？
# 2. 按 CDNOW 的结果，如果要把一笔有限的服务改进预算投到某一层级，你会投到哪一层？还需要哪些数据才能下结论？
# 3. 只按销售额分层有什么局限？为什么课程强调按“赢利”分层、服务时要有成本意识？
# 4. A 类客户的关怀预算远高于 C 类。这对 C 类客户公平吗？企业怎样在“区别对待”和“不冷落普通客户”之间取得平衡？
#
# <details><summary>参考答案</summary>
#
# 1. 挂号、检验、药房等部门互为内部顾客（上一道工序的“顾客”是下一道工序），还有医生、护士等员工。
#    内部顾客不满意，会在流程中层层传递，最终落到患者身上（服务利润链的起点）。
# 2. 不能只看当前价值：还要看各层级对服务改进的反应（课程说服务质量改善对不同层级赢利能力的影响差异很大）、
#    流失风险和服务成本。
# 3. 销售额高不等于利润高：大客户可能要求大幅折扣、占用大量服务资源；有的顾客频繁退货。
#    按赢利（毛利减服务成本）分层，才能看出真正“养活”企业的顾客，也能识别负价值顾客。
# 4. 区别对待的是“额外的关怀”，不是基本服务：每位顾客都应得到合格的基本服务，
#    普通客户通过低成本的方式（贺卡、短信）维持联系；同时关注其中有增长潜力的顾客（第 7 章的最具增长潜力客户）。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 顾客 | customer |
# | 内部顾客 / 外部顾客 | internal / external customers |
# | 中间顾客 / 最终顾客 | intermediate / final customers |
# | 现实顾客 / 潜在顾客 | actual / potential customers |
# | 核心顾客 | core customers |
# | 客户层级模型（客户金字塔） | the customer pyramid |
# | 超重量级 / 重量级 | super-heavyweight / heavyweight |
# | 次重量级 / 轻量级 | sub-heavyweight / lightweight |
# | 成本意识 | cost awareness |
# | 洛伦兹曲线 / 基尼系数 | Lorenz curve / Gini coefficient |
# | ABC 分级 | ABC classification |
# | 客户关怀 | customer care |
# | 重点客户 | key customer |
# | 关怀预算 | care budget |
