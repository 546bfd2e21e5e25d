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
# # 第 7 章　客户价值、Peppers & Rogers 矩阵与战略客户
#
# 上一章按过去的贡献给顾客分了层。本章往前看：一位顾客将来值多少钱（**终身价值**）？
# 哪些顾客最值得留、哪些最值得培养？一家企业的顾客群在价值和需求上差异有多大？面对不同的顾客，应当采用什么战略？
#
# **怎样做本章的练习**：标着“练习（写代码）”的题目下面，有一个折叠起来的参考答案单元格（标签 `solution` 和 `hide-input`，
# 在 JupyterLab 中输入区默认收起）和一个自检单元格（`assert`）。先在参考答案上方插入一个新单元格写出你的代码并运行，
# 再运行自检单元格。卡住时再展开参考答案。“试一试”的控件在 JupyterLab 中选好参数后点“运行”即可看到结果（无界面批量执行时不会自动运行）。
#
# ## 学习目标
#
# 1. 理解顾客让渡价值 = 顾客总价值 − 顾客总成本、提高它的三条途径，以及从 4P 到 4C 的转变；
# 2. 说出优质客户服务对企业的重要性，会用 `BetaGeoModel`、`GammaGammaModel` 和 `clv` 按毛利率预测客户终身价值；
# 3. 说出 Peppers & Rogers 的三类价值客户，理解**客户差异矩阵**描述的是一个企业的顾客群在价值和需求上的差异程度；
# 4. 说出一对一顾客关系管理的四个步骤 IDIC：识别、区隔、互动、定制；
# 5. 用七项标准给战略客户打分（`strategic_score`），用客户战略选择矩阵选择战略；
# 6. 说出无需求、过度需求、充分需求三种需求状态及相应的营销策略。

# %% tags=["parameters"]
lang = "zh"
title = "客户价值、Peppers & Rogers 矩阵与战略客户"
calibration_end = "1997-09-30"  # 用这一天之前的交易来估计模型
horizon_months = 12  # 动手试一试：终身价值的预测期（月）
discount_rate = 0.10  # 年折现率
margin = 0.3  # 动手试一试：毛利率（假设；CDNOW 没有公布毛利）
potential_weight = 1.0  # 动手试一试：战略客户评分中“客户未来的可能性”的权重（其余六项为 1）
seed = 7

# %%
import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from csworkbench import plots
from csworkbench.clv import BetaGeoModel, GammaGammaModel, clv, clv_distribution_figure, summary_from_transactions
from csworkbench.datasets import load_cdnow
from csworkbench.reporting.display import show_table
from csworkbench.tiers import (
    STRATEGIC_CRITERIA,
    customer_value,
    differentiation_matrix,
    strategic_score,
    strategy_matrix,
    value_classes,
)

plots.apply_theme()

# %% [markdown]
# ## 7.1 顾客让渡价值
#
# 顾客为什么选择你？营销学用**顾客让渡价值**来回答：
#
# > 顾客让渡价值 = 顾客总价值 − 顾客总成本
#
# **顾客总价值**包括产品、服务、人员和形象带来的价值；**顾客总成本**不只是价格，还有顾客花费的时间、精力和体力。
# 课程给出提高顾客让渡价值的三条途径：
#
# 1. 在不改变整体顾客成本的条件下，通过改进产品、改善服务、提高人员素质、提升企业形象来提高整体顾客价值；
# 2. 在不改变整体顾客价值的条件下，通过降低价格或减少顾客购买所花费的时间、精力、体力来降低整体顾客成本；
# 3. 在提高整体顾客价值的同时也提高了整体顾客成本，但使两者的差值增大。
#
# 这也是现代企业市场营销的基本要素从 **4P**（产品、价格、促销、地点）变为 **4C**（以顾客为中心）的道理。
#
# ## 7.2 优质服务的价值与客户终身价值
#
# 课程说，优质、满意的客户服务能招徕更多的客户，使企业具有更强的竞争力，服务品牌是企业赢得客户的最好品牌；
# 客户是企业的无形资产，**客户的价值是可以计算的**；优质的服务还关系到防止客户流失和企业的发展壮大。
#
# 计算客户将来的价值，标准做法是**终身价值**（CLV）：用 BG/NBD 模型预测每位顾客将来还会买几次（考虑到顾客可能已经悄悄“离开”），
# 用 Gamma-Gamma 模型预测每次会花多少钱，再乘以**毛利率**、按折现率汇总。仍用 CDNOW 的交易，以参数 `calibration_end`
# 为界，之前的数据用来估计模型：

# %%
transactions = load_cdnow()
rfm_summary = summary_from_transactions(transactions, calibration_end=calibration_end)
purchases = BetaGeoModel().fit(rfm_summary)
params = purchases.summary().set_index("parameter")["estimate"]
params.round(3)

# %%
display(
    Markdown(
        f"估计结果 r = {params['r']:.3f}、α = {params['alpha']:.2f}、a = {params['a']:.3f}、b = {params['b']:.2f}，"
        "与 Fader、Hardie 和 Lee（2005）在同一份数据上发表的数字一致。"
    )
)

# %%
repeaters = rfm_summary.table[rfm_summary.table["frequency"] > 0]
spend = GammaGammaModel().fit(frequency=repeaters["frequency"], monetary_value=repeaters["monetary_value"])
lifetime = clv(
    rfm_summary, purchases, spend, horizon_months=horizon_months, annual_discount_rate=discount_rate, margin=margin
)
show_table(
    lifetime.head(10)[
        ["customer_id", "frequency", "recency", "T", "monetary_value", "probability_alive", "expected_purchases", "clv"]
    ],
    lang=lang,
    labels={"clv": "终身价值（毛利，美元）"},
)

# %%
clv_distribution_figure(lifetime, lang=lang).show()

# %%
top = lifetime.iloc[0]
display(
    Markdown(
        f"按毛利率 {margin:.0%}、年折现率 {discount_rate:.0%}，未来 {horizon_months} 个月终身价值最高的是编号 {top['customer_id']} 的顾客："
        f"终身价值 {top['clv']:,.1f} 美元（毛利）。`probability_alive` 是顾客仍“活着”（还会再来）的概率；"
        f"全部顾客终身价值的中位数只有 {lifetime['clv'].median():,.1f} 美元，一半顾客的存活概率低于 "
        f"{lifetime['probability_alive'].median():.2f}——过去贡献大不等于将来贡献大，这正是要预测终身价值的原因。"
    )
)

# %% [markdown]
# **试一试**：拖动滑块改变预测期和毛利率，看终身价值表怎样变化（按终身价值从高到低排列）：

# %%
clv_explorer = widgets.interact.options(manual=True, manual_name="运行")(
    clv,
    summary=widgets.fixed(rfm_summary),
    bgnbd=widgets.fixed(purchases),
    gamma_gamma=widgets.fixed(spend),
    horizon_months=widgets.IntSlider(value=horizon_months, min=3, max=36, step=3, description="预测期（月）"),
    margin=widgets.FloatSlider(value=margin, min=0.05, max=1.0, step=0.05, description="毛利率"),
    annual_discount_rate=widgets.fixed(discount_rate),
    monthly_discount_rate=widgets.fixed(None),
    freq=widgets.fixed(None),
    discount_rate=widgets.fixed(None),
    n_draws=widgets.fixed(0),
    confidence=widgets.fixed(0.95),
    random_state=widgets.fixed(0),
)

# %% [markdown]
# ### 练习 7.1（写代码）
#
# `clv` 的终身价值与毛利率成正比。用 `margin = 1.0`（按销售额）重新计算终身价值，存入 `revenue_clv`（DataFrame），
# 自检会检查它与上面 `lifetime` 的比例正好是 1 / `margin`。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
revenue_clv = clv(
    rfm_summary, purchases, spend, horizon_months=horizon_months, annual_discount_rate=discount_rate, margin=1.0
)
revenue_clv.head()

# %%
ratio = revenue_clv.set_index("customer_id")["clv"] / lifetime.set_index("customer_id")["clv"]
assert np.allclose(ratio.dropna()[lifetime.set_index("customer_id")["clv"] > 0], 1 / margin), "检查 margin 参数"
print(f"自检通过：按销售额的终身价值是按毛利的 {1 / margin:.2f} 倍。")

# %% [markdown]
# ## 7.3 三类价值客户
#
# Peppers 和 Rogers 建议依据价值的不同，把顾客大致区分为三类：
#
# * **最具价值客户**：企业主要的诉求对象，一旦流失，将对获利造成明显的影响，要全力保留；
# * **最具增长潜力客户**：当前价值不高，但潜在价值大，要努力扩展；
# * **负值客户**：服务他们的成本超过他们带来的收入，要降低服务成本或设法转化。
#
# 下面把 `calibration_end` 以前的销售额当作当前价值，把预测的终身价值当作潜在价值：

# %%
past = customer_value(transactions[transactions["date"] <= calibration_end]).table
value_data = past[["customer_id", "revenue"]].merge(lifetime[["customer_id", "clv"]], on="customer_id")
value_data = value_data.rename(columns={"revenue": "current_value", "clv": "potential_value"})
classes = value_classes(value_data, lang=lang)
class_means = classes.groupby("value_class_label")[["current_value", "potential_value"]].agg(["count", "mean"])
class_means.round(1)

# %% [markdown]
# CDNOW 只记录了销售额、没有服务成本，所以找不到负值客户——要识别负值客户，必须把服务成本算进价值里。
#
# ## 7.4 客户差异矩阵与 IDIC
#
# Don Peppers 和 Martha Rogers（2001）针对顾客**需求差异**程度以及顾客**价值差异**程度的高低，分成四个区块，
# 称为**客户差异矩阵**。它描述的是**一个企业的顾客群**：这家企业的顾客彼此之间价值差得多不多、需求差得多不多——
# 而不是给单个顾客分类。顾客价值差异大的企业，值得按价值区别对待；需求差异大的企业，值得按需求定制；
# 两者都大，才需要一对一的顾客关系管理；两者都小，大众营销就够了。
#
# 下面模拟四家企业的顾客群（每家若干位顾客，每人一个年价值和一个“需求与一般顾客的差别”评分 1–7），
# 先用 pandas 算出每个顾客群的价值差异（变异系数 = 标准差 / 平均值）和需求差异（评分的标准差）：

# %%
rng = np.random.default_rng(seed)
n_each = 200
bases = pd.concat(
    [
        pd.DataFrame(
            {"企业": "自来水公司", "value": rng.normal(1000, 80, n_each), "needs": rng.normal(4, 0.4, n_each)}
        ),
        pd.DataFrame({"企业": "航空公司", "value": rng.lognormal(7, 1.1, n_each), "needs": rng.normal(4, 0.5, n_each)}),
        pd.DataFrame({"企业": "家装公司", "value": rng.normal(1000, 120, n_each), "needs": rng.uniform(1, 7, n_each)}),
        pd.DataFrame(
            {"企业": "企业软件商", "value": rng.lognormal(7, 1.1, n_each), "needs": rng.uniform(1, 7, n_each)}
        ),
    ],
    ignore_index=True,
)
spread = bases.groupby("企业", sort=False).agg(
    value_mean=("value", "mean"), value_std=("value", "std"), needs_std=("needs", "std")
)
spread["value_cv"] = spread["value_std"] / spread["value_mean"]
value_cut, needs_cut = 0.5, 1.0  # “差异大”的界线：变异系数 0.5、需求评分标准差 1 分（假设）
spread["手算象限"] = np.where(
    spread["value_cv"] >= value_cut,
    np.where(spread["needs_std"] >= needs_cut, "一对一", "按价值区别对待"),
    np.where(spread["needs_std"] >= needs_cut, "按需求定制", "大众营销"),
)
spread.round(2)

# %% [markdown]
# 再把每位顾客的价值和需求评分交给 `differentiation_matrix`，用 `base="企业"` 说明谁属于哪个顾客群。
# 它为每个顾客群算出同样的两个差异程度，并用上面同样的界线把顾客群放进四个区块，与手算对照：

# %%
matrix = differentiation_matrix(
    bases, value="value", needs="needs", base="企业", value_cut=value_cut, needs_cut=needs_cut, lang=lang
)
placed = matrix.table.set_index("base")
placed[["customers", "value_spread", "needs_spread", "quadrant", "approach"]].round(2)

# %%
expected_key = {
    "大众营销": "mass_market",
    "按价值区别对待": "value_differ",
    "按需求定制": "needs_differ",
    "一对一": "one_to_one",
}
assert (placed["quadrant"].reindex(spread.index) == spread["手算象限"].map(expected_key)).all(), "手算与包的象限不一致"
assert (placed["value_spread"].reindex(spread.index) - spread["value_cv"]).abs().max() < 1e-12, "价值变异系数不一致"
assert (placed["needs_spread"].reindex(spread.index) - spread["needs_std"]).abs().max() < 1e-12, "需求标准差不一致"
display(
    Markdown(
        "手算与 `differentiation_matrix` 的区块一致："
        + "；".join(
            f"{firm}（价值变异系数 {row['value_cv']:.2f}，需求标准差 {row['needs_std']:.2f}）→ {row['手算象限']}"
            for firm, row in spread.iterrows()
        )
        + "。"
    )
)

# %% [markdown]
# 一对一顾客关系管理分四步，简称 **IDIC**：
#
# 1. **识别**（Identify）：知道顾客是谁，把每位顾客的各种接触记录连起来；
# 2. **区隔**（Differentiate）：依据价值和需求对顾客进行区隔（上面的三类价值客户和差异矩阵）；
# 3. **互动**（Interact）：与顾客对话，了解他们的需要，每次互动都在上一次的基础上进行；
# 4. **定制**（Customise）：按顾客的需要调整产品、服务或沟通方式。
#
# ### 练习 7.2（写代码）
#
# 用 pandas 从 `bases` 手算“航空公司”顾客群的价值变异系数（标准差 / 平均值），存入 `airline_cv`。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
airline = bases.loc[bases["企业"] == "航空公司", "value"]
airline_cv = airline.std() / airline.mean()
round(float(airline_cv), 3)

# %%
assert abs(airline_cv - spread.loc["航空公司", "value_cv"]) < 1e-12, (
    "变异系数 = 标准差 / 平均值（pandas 的 std 默认 ddof=1）"
)
print(f"自检通过：航空公司顾客群的价值变异系数是 {airline_cv:.2f}。")

# %% [markdown]
# ## 7.5 战略客户
#
# 识别客户群体时，企业可以从自身的角度提出三个问题：企业的收入来自哪里？购买产品或服务的决策者是谁？产品和服务的收益者是谁？
# **优质客户**是指那些与企业建立了**相互信任**关系、能够为企业提供稳定的现金流的客户。
# 确定对企业具有长远利益影响的**战略客户**，首先要建立客户质量评价标准，课程给出的**七项标准**是：
# 客户与企业进行交易的规模、对其他客户群体的影响、客户的稳定性、同类企业为争取相同的目标客户而竞争、
# 独特的增值机会、节约成本的机会、客户未来的可能性。
#
# 销售团队给四家客户按七项标准打分（1–5 分），权重来自参数（“客户未来的可能性”的权重是 `potential_weight`）：

# %%
ratings = pd.DataFrame(
    {
        "customer_id": ["甲公司", "丁公司", "己公司", "辛公司"],
        "size": [5, 4, 3, 2],
        "influence": [4, 2, 5, 3],
        "stability": [3, 5, 4, 3],
        "competition": [4, 2, 3, 2],
        "value_adding": [3, 2, 5, 3],
        "cost_saving": [2, 4, 3, 3],
        "potential": [2, 2, 5, 4],
    }
)
weights = {criterion: 1.0 for criterion in STRATEGIC_CRITERIA}
weights["potential"] = potential_weight
strategic = strategic_score(ratings, weights=weights, lang=lang)
strategic.table.round(2)

# %% [markdown]
# ## 7.6 客户战略选择矩阵与需求状态
#
# 按客户（现有 / 新）和产品或服务（现有 / 新）两个维度，课程给出四种客户战略：
#
# * **客户忠诚战略**：把战略关注的焦点集中在客户的回头率上，认为培养忠诚客户比获得更大的市场份额更重要；
# * **客户扩充战略**：常常与客户忠诚战略一起使用；
# * **客户获得战略**：把战略重点放在获得更多更合适的客户上；
# * **客户多样化战略**：用新产品和新服务与新客户做生意，涉及最高的风险。

# %%
show_table(
    strategy_matrix(lang)[["strategy_label", "description", "risk"]],
    lang=lang,
    labels={"strategy_label": "战略", "description": "含义", "risk": "风险（1 最低）"},
)

# %% [markdown]
# 营销还要看市场的**需求状态**，课程讲了三种：
#
# * **无需求**（又称零需求）：消费者对某种产品或服务不感兴趣、漠不关心。对策是**刺激性营销策略**：向消费者展示商品价值，
#   刺激购买欲望——引导消费者发掘产品对自己的使用价值、创造新需求；加强宣传、大力促销；为一般人认为无价值的物品寻找需要它的人。
# * **过度需求**：需求超过了企业供给能力，供不应求（紧俏商品、缺货商品）。企业有实力快速扩大生产规模时，选择**增长性营销策略**，
#   在有效市场预测的基础上有计划地快速提升生产能力；暂时无法扩大时，选择**限制性营销策略**，通过提高价格、减少服务、限量供应等手段
#   使需求与生产能力相匹配。
# * **充分需求**（又称饱和需求）：需求在时间和数量上同企业供给基本一致，是企业最满意的需求状态。对策是**维持性营销策略**：
#   调整市场营销组合、保持市场优势、控制成本、提高产品质量和市场知名度。

# %% [markdown]
# ## 7.7 动手试一试
#
# 1. 把 `horizon_months` 从 12 改成 36，或把 `margin` 改成 0.5，终身价值最高的顾客有变化吗？最具增长潜力客户的数量怎样变化？
# 2. 把 `potential_weight` 从 1 改成 3（更看重未来），四家客户的排名会怎样变化？

# %%
ranking = strategic.table.sort_values("rank")
display(
    Markdown(
        f"“客户未来的可能性”权重为 {potential_weight:g} 时，排名依次是：" + "、".join(ranking["customer_id"]) + "。"
    )
)

# %% [markdown]
# ## 思考题
#
# 1. 一位顾客过去一年在 CDNOW 花了很多钱，但他的 `probability_alive` 只有 0.3。他还是最具价值客户吗？企业应该怎么做？
# 2. 为什么要把服务成本算进客户价值？如果一家银行只按存款余额给客户分级，会出现什么问题？
# 3. 一家自来水公司和一家企业软件商，在客户差异矩阵中各落在哪个区块？它们的顾客关系管理应当有什么不同？
# 4. 用七项标准分析：一家在行业内很有名、但利润很薄的客户，是不是战略客户？
#
# <details><summary>参考答案</summary>
#
# 1. 过去的价值高，但将来可能已经流失：终身价值低。企业应尽快联系、了解原因（很可能是沉默的不满意，见第 5 章），
#    挽回的价值很大；不能因为他“过去是大客户”就以为他还在。
# 2. 收入减去服务成本才是顾客真正的贡献。只看存款余额，会忽略那些余额不高但交易频繁、占用大量柜台服务的客户的成本，
#    找不出负值客户，也可能把资源错配给“看上去大”的客户。
# 3. 自来水公司的顾客用水量和需求都差不多（价值差异小、需求差异小），大众营销、标准化服务即可；
#    企业软件商的客户规模悬殊、需求各不相同（两者都大），需要识别、区隔、互动、定制的一对一顾客关系管理。
# 4. 可能是：“对其他客户群体的影响”和“客户未来的可能性”很高，能带来示范效应和新客户；但“交易的规模”和“节约成本的机会”低。
#    要用加权评分综合判断，并看企业当前的战略更看重哪几项。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 顾客让渡价值 | customer delivered value |
# | 顾客总价值 / 顾客总成本 | total customer value / total customer cost |
# | 4P / 4C | product, price, promotion, place / the customer-centred 4C |
# | 终身价值（客户终身价值） | customer lifetime value (CLV) |
# | 毛利率 | gross margin |
# | 存活概率 | probability alive |
# | 最具价值客户 | most valuable customers (MVC) |
# | 最具增长潜力客户 | most growable customers (MGC) |
# | 负值客户 | below-zero customers (BZC) |
# | 客户差异矩阵 | customer differentiation matrix |
# | 需求差异 / 价值差异 | differing needs / differing value |
# | 识别、区隔、互动、定制（IDIC） | identify, differentiate, interact, customise |
# | 优质客户 / 战略客户 | high-quality / strategic customers |
# | 客户忠诚战略 / 客户扩充战略 | loyalty / expansion strategy |
# | 客户获得战略 / 客户多样化战略 | acquisition / diversification strategy |
# | 无需求 / 过度需求 / 充分需求 | no demand / overfull demand / full demand |
# | 刺激性 / 增长性 / 限制性 / 维持性营销策略 | stimulating / growth / restraining / maintenance marketing |
