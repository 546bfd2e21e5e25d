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
# # 第 2 章　客户体验管理七步法
#
# 上一章的三角定律告诉我们“差距”在哪里；但资源有限，企业不可能同时弥补所有差距。
# **客户体验管理七步法**（CEM）在差距之外加上了**重要性**和**理想体验**，帮助我们找出最值得投入的关键体验。
# 本章用课程里香港一家电器连锁店的例子，把课程的表格从数据一步步算出来。
#
# ## 学习目标
#
# 1. 说出客户体验的六个驱动因素：产品、服务、关系、便利性、品牌形象、价格；
# 2. 按顺序说出七个步骤，并解释每一步要回答的问题；
# 3. 会用 `cem_table` 计算差距（2c）、加权差距（2d × 2c）和体验差距（4b），会用 `cem_steps` 写出每一步的发现；
# 4. 理解为什么课程表格中的空白要当作**缺失**而不能当作 0；
# 5. 能解释“理想只在最重要处超过期望”的道理。

# %% tags=["parameters"]
lang = "zh"
title = "客户体验管理七步法"
product_importance = None  # 动手试一试：课程没有给出“产品”的重要性，填一个 0–10 的数试试，例如 8
convenience_ideal = 10  # 动手试一试：便利性的理想体验（课程为 10）

# %%
import warnings

from csworkbench.datasets.servqual import load_cem_example
from csworkbench.gaps import cem_steps, cem_table
from csworkbench.i18n import t

warnings.simplefilter("ignore")

# %% [markdown]
# ## 2.1 客户体验的驱动因素
#
# 课程把影响顾客体验的因素归纳为六个：**产品、服务、关系、便利性、品牌形象、价格**。
# 顾客为什么来你的店、而不是隔壁那家？答案往往藏在这六个因素里。七步法的每一步，都是围绕这些因素展开的。
#
# ## 2.2 七个步骤
#
# | 步骤 | 做什么 |
# |---|---|
# | 1 了解品牌价值 | 顾客为什么来？我们的品牌对顾客意味着什么？ |
# | 2 衡量当前体验与期望 | 测量每个因素的实际体验（2a）、期望（2b）、差距 2c = 2a − 2b，以及重要性（2d） |
# | 3 找出关键体验 | 用重要性 × 差距（2d × 2c）排序，负得最多的就是关键体验 |
# | 4 理想体验与实际体验的差距 | 设定理想体验（4a），计算体验差距 4b = 2a − 4a；理想只在最重要的地方超过期望——资源有限 |
# | 5 提出弥补差距的要求 | 把差距变成具体的改进要求 |
# | 6 与战略和能力对接 | 改进要求必须符合企业的战略和能力 |
# | 7 反馈与验证 | 实施后用数字证明效果，再回到第 1 步，形成循环 |
#
# ## 2.3 例题：香港的电器连锁店
#
# 一家电器连锁店在香港的同一条街上开了店。调查得到六个体验因素的平均分（0–10 分）。
# 课程原表中，有些格子是空白的：产品、价格、品牌形象等的重要性没有给出，服务和关系的期望也没有给出。
# 数据文件如实保留了这些空白：

# %%
cem = load_cem_example()
cem.loc[cem["attribute"] == "product", "importance"] = product_importance
cem.loc[cem["attribute"] == "convenience", "ideal"] = convenience_ideal
cem

# %% [markdown]
# **为什么空白不能当 0？** 如果把“服务”的期望当作 0，差距就成了 6 − 0 = +6，好像服务大大超出期望——
# 这完全是数据处理造成的假象。`csworkbench` 让空白一直保持为缺失（NaN），由它算出的格子也是缺失。
#
# 第 2 步到第 4 步的计算交给 `cem_table`。它按加权差距从小到大排序，关键体验排在最前面。
# 实际体验（2a）这一列在数据和结果表里都叫 `perception`（感知）：

# %%
table = cem_table(cem)
table

# %% [markdown]
# 把列名换成课程表格的编号，和课程逐格对照：便利性 5、7、−2、9、−18、10、−5；
# 产品的差距 −1、价格和品牌形象的差距 0；服务和关系没有期望，所以没有差距。

# %%
table.replace({"attribute": dict(zip(cem["attribute"], cem["name_zh"]))}).rename(columns={
    "attribute": t("gaps.cem.attribute", lang), "perception": "2a 实际体验", "expectation": "2b 期望",
    "gap": "2c = 2a − 2b", "importance": "2d 重要性", "weighted_gap": "2d × 2c",
    "ideal": "4a 理想体验", "ideal_gap": "4b = 2a − 4a",
})

# %% [markdown]
# ## 2.4 七步逐一解读
#
# `cem_steps` 把表格转成每一步的文字结论。第 1、6 步需要数据之外的判断（访谈顾客、对照战略），
# 函数会如实说明这一点：

# %%
cem_steps(table, lang=lang)

# %% [markdown]
# 这家店的答案很清楚：**便利性**是关键体验（重要性 9 × 差距 −2 = −18），
# 而且离理想（10 分）还差 5 分。第 5 步的要求于是落在“让顾客更方便”上——课程里的做法是
# **在同一条街上开更多门店**，顾客走到哪里都能看见这家店。第 7 步用数字证明了效果：
# 开两家店时销售额翻了一番，开到四家店时销售额超过原来的四倍。然后，回到第 1 步，开始新的一轮。
#
# 注意第 4 步里，其余因素的理想体验都设成了与当前体验相同：理想只在最重要处超过期望，
# 其他地方“维持现状”即可，这就是资源有限时的取舍。

# %% [markdown]
# ## 2.5 动手试一试
#
# 课程没有给出“产品”的重要性。在参数单元格里把 `product_importance` 改成 8 再运行本章：
# 产品的加权差距是 8 × (−1) = −8，仍排在便利性（−18）之后；要让产品成为关键体验，它的重要性得超过多少？
# 你也可以把 `convenience_ideal` 改成 7（等于期望），看看第 4 步的结论怎样变化。

# %%
cem_steps(cem_table(cem), lang=lang)[["step", "finding"]].iloc[2:4]

# %% [markdown]
# ## 思考题
#
# 1. 为什么七步法要把重要性乘上差距，而不是只看差距的大小？
# 2. 第 4 步说“理想只在最重要处超过期望”。如果一家企业在六个因素上都把理想定为 10 分，会有什么后果？
# 3. 这家电器连锁店的“关键体验”是便利性。换成一家高档珠宝店，你认为关键体验可能是什么？七步法中哪一步会最先体现这种差别？
# 4. 第 7 步为什么必须“用数字证明”？只凭员工的感觉判断改进有效，有什么风险？
#
# <details><summary>参考答案</summary>
#
# 1. 差距大的因素不一定重要。价格差了 2 分但顾客不在乎，和便利性差了 2 分而顾客极其看重，
#    对满意度的影响完全不同。重要性 × 差距把“差多少”和“顾客多在乎”结合起来，才能把有限的资源投到刀刃上。
# 2. 所有理想都定得最高，等于没有重点：投入分散、成本上升，而且许多投入落在顾客并不在乎的地方（第 4 章会把它称为“多此一举”）。
# 3. 珠宝店的关键体验更可能是品牌形象、关系（专属顾问、信任）和服务，而不是便利性。
#    这种差别首先体现在第 1 步“了解品牌价值”（顾客为何而来），进而在第 2、3 步的重要性评分中显现。
# 4. 没有数字，就无法判断改进是否真的缩小了差距、带来了销售；员工的感觉容易高估自己的努力，
#    也无法为下一轮循环提供依据。用销售额、复测的体验分数来验证，才能形成闭环。
# </details>
#
# ## 练习
#
# 1. 从 `table` 中读出：有加权差距的因素有几个？为什么只有这么几个？
# 2. 假如调查补上了服务的期望为 8，服务的差距是多少？如果它的重要性是 7，加权差距是多少？与便利性相比，哪个更关键？
#
# <details><summary>参考答案</summary>
#
# 1. 只有便利性一个：加权差距需要重要性和差距两个数，课程只给出了便利性的重要性（9），其余格子保持缺失。
# 2. 服务的差距 = 6 − 8 = −2，加权差距 = 7 × (−2) = −14。便利性（−18）仍然更关键。
#    可以在 `cem` 表里填入这两个数再调用 `cem_table` 验证。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 客户体验管理（CEM） | customer experience management |
# | 客户体验管理七步法 | the seven steps of CEM |
# | 体验驱动因素 | experience drivers |
# | 产品 / 服务 / 关系 | product / service / relationship |
# | 便利性 / 品牌形象 / 价格 | convenience / brand image / price |
# | 品牌价值 | brand value |
# | 重要性 | importance |
# | 加权差距 | importance-weighted gap |
# | 关键体验 | key experience |
# | 理想体验 | ideal experience |
# | 体验差距 | experience gap (actual − ideal) |
# | 缺失值 | missing value (NaN) |
# | 反馈循环 | feedback loop |
