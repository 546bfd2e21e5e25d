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
# # 第 2 章　客户体验管理七步法
#
# 上一章的三角定律告诉我们“差距”在哪里；但资源有限，企业不可能同时弥补所有差距。
# **客户体验管理七步法**（CEM）在差距之外加上了**重要性**和**理想体验**，帮助我们找出最值得投入的关键体验。
# 本章用课程里香港一家电器连锁店的例子，把课程的表格从数据一步步算出来。
#
# **怎样做本章的练习**：标着“练习（写代码）”的题目下面，有一个折叠起来的参考答案单元格（标签 `solution` 和 `hide-input`，
# 在 JupyterLab 中输入区默认收起）和一个自检单元格（`assert`）。先在参考答案上方插入一个新单元格写出你的代码并运行，
# 再运行自检单元格。卡住时再展开参考答案。“试一试”的控件在 JupyterLab 中选好参数后点“运行”即可看到结果（无界面批量执行时不会自动运行）。
#
# ## 学习目标
#
# 1. 说出客户体验管理的定义、作用、目标和评价标准，以及客户体验的六个驱动因素：产品、服务、关系、便利性、品牌形象、价格；
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
import ipywidgets as widgets
import pandas as pd
from IPython.display import Markdown, display

from csworkbench.datasets.servqual import load_cem_example
from csworkbench.gaps import cem_steps, cem_table
from csworkbench.i18n import t

# %% [markdown]
# ## 2.1 什么是客户体验管理
#
# 根据伯尔尼·H·施密特（Bernd H. Schmitt）在《客户体验管理》一书中的定义，客户体验管理（CEM）是“战略性地管理客户对产品或公司
# 全面体验的过程”。它以提高客户整体体验为出发点，注重与客户的每一次接触，协调整合售前、售中和售后各个阶段、各种客户接触点
# 或接触渠道，有目的地、无缝隙地为客户传递目标信息，创造匹配品牌承诺的正面感觉。
#
# 课程列出 CEM 的四个作用：**及早发现问题**（识别并跟踪顾客问题，防微杜渐）；**减少营销活动的疑问**（收集顾客对营销项目的评价，
# 开发更个性化的服务）；**增加销售**（营销活动的反应率平均仅为 2%～3%，从客户联络中心获取顾客真正的需求以提高反应率）；
# **保留客户**（快速识别顾客不满意的地方，减少顾客流失）。
#
# CEM 的**目标**是在各个客户接触点上（销售人员、呼叫中心、代理商、广告、活动、收账人员、客户接待、产品使用手册和网站），
# 让产品、服务和一系列感受产生“利好因素”，使客户关系最优化、客户价值最大化。它不是不顾成本地把客户想要的一切都给他们，
# 而是在不同种类的客户之间保持平衡。**评价标准**在于根据对企业的价值贡献对不同客户进行区别管理，向最有价值的客户提供个性化和
# 差异化的购买体验，并在满意度、保有率和忠诚度指标上得到提升——也可能因此降低非价值客户的服务优先级。
# CEM 特别强调对客户不满意的**补偿**：例如某航空公司为一位等待移植器官、航班又延误了的旅客专门租了一架飞机；
# 感恩节商店的火鸡售空时，经理亲自把火鸡送到客人家里。
#
# ## 2.2 客户体验的驱动因素
#
# 课程把影响顾客体验的因素归纳为六个：**产品、服务、关系、便利性、品牌形象、价格**。
# 顾客为什么来你的店、而不是隔壁那家？答案往往藏在这六个因素里。七步法的每一步，都是围绕这些因素展开的。
#
# ## 2.3 七个步骤
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
# ## 2.4 例题：香港的美苏电器
#
# 美苏电器（化名）是一家销售数码产品与影音器材的香港零售连锁。大陆朋友到香港买数码相机、录像机等电子产品，十之八九会到
# 旺角西洋菜街。西洋菜街比较短，美苏电器却在这一条短短的街上开了四间店。老板傻吗？用客户体验管理方法来解释。
# 第 1 步，了解自身的品牌价值：经过调查与分析，美苏电器认为自己的**明码实价**与可靠的品牌形象是消费者光顾的最主要原因。
# 第 2 步调查得到六个体验因素的平均分（0–10 分）。
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
# 把列名换成课程表格的编号，和课程逐格对照：

# %%
labelled = table.replace({"attribute": dict(zip(cem["attribute"], cem["name_zh"]))}).rename(
    columns={
        "attribute": t("gaps.cem.attribute", lang),
        "perception": "2a 实际体验",
        "expectation": "2b 期望",
        "gap": "2c = 2a − 2b",
        "importance": "2d 重要性",
        "weighted_gap": "2d × 2c",
        "ideal": "4a 理想体验",
        "ideal_gap": "4b = 2a − 4a",
    }
)
labelled

# %%
key = table.iloc[0]
display(
    Markdown(
        f"关键体验是**{cem.set_index('attribute').loc[key['attribute'], 'name_zh']}**：实际体验 {key['perception']:g}、"
        f"期望 {key['expectation']:g}、差距 {key['gap']:g}、重要性 {key['importance']:g}、加权差距 {key['weighted_gap']:g}，"
        f"理想体验 {key['ideal']:g}，体验差距 {key['ideal_gap']:g}。没有期望或没有重要性的因素，差距和加权差距都保持为空。"
    )
)

# %% [markdown]
# ### 练习 2.1（写代码）
#
# 不用 `cem_table`，直接从 `cem` 用 pandas 算出每个因素的加权差距 2d × (2a − 2b)，存成按 `attribute` 索引的 Series
# `my_weighted`（缺失的格子保持为 NaN）。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
my_weighted = ((cem["perception"] - cem["expectation"]) * cem["importance"]).set_axis(cem["attribute"])
my_weighted

# %%
package_weighted = table.set_index("attribute")["weighted_gap"].reindex(my_weighted.index)
assert my_weighted.isna().equals(package_weighted.isna()), "空白格子要保持为 NaN，不能当作 0"
assert (my_weighted - package_weighted).abs().max() < 1e-12
print("自检通过：加权差距与 cem_table 一致。")

# %% [markdown]
# ## 2.5 七步逐一解读
#
# `cem_steps` 把表格转成每一步的文字结论。第 1、6 步需要数据之外的判断（访谈顾客、对照战略），
# 函数会如实说明这一点：

# %%
cem_steps(table, lang=lang)

# %% [markdown]
# 按课程的叙述把七步走完：
#
# * 第 3 步：便利性不只是客人的关键体验，也是美苏电器做得最差的地方，加权差距最负；
# * 第 4 步：理想体验基本上与实际体验一样，只有便利性定为满分——所有企业都有资源限制，不能（也不该）无限制满足客户期望，
#   要把资源投在客户最看重的关键体验上，大大超越其期望；
# * 第 5 步：体验差距在便利性上最大，于是“在同一条街开更多店铺”成为规划需求的重点；
# * 第 6 步：渠道策略是在西洋菜街开更多分店，并在其他生意一般的区域关掉分店，也不考虑互联网或电话销售。
#   同一条街的分店距离极近、存货共享，形成方便顾客与节省成本两大优势；人、流程和技术的能力也要配合调整；
# * 第 7 步：用业绩证实，用数据说话——开两家店时生意是两倍，三家店是三倍，四家店是四倍以上，于是分阶段在同一条街开了四家店。
#   然后回到第 1 步：如今“便利性”成了最重要的品牌价值，每隔一段时间再重复七个步骤，跟上市场与客户的变化。

# %% [markdown]
# ## 2.6 动手试一试
#
# 课程没有给出“产品”的重要性。在参数单元格里把 `product_importance` 改成一个 0–10 的数再运行本章：
# 产品的加权差距是多少？它排在便利性之前还是之后？要让产品成为关键体验，它的重要性得超过多少？
# 你也可以把 `convenience_ideal` 改成等于期望，看看第 4 步的结论怎样变化。

# %%
cem_steps(cem_table(cem), lang=lang)[["step", "finding"]].iloc[2:4]

# %% [markdown]
# **试一试**：假如调查补上了服务的期望和重要性（数值见下面的单元格），关键体验会变吗？在下拉框里切换两种情形：

# %%
cem_service = cem.copy()
cem_service.loc[cem_service["attribute"] == "service", ["expectation", "importance"]] = [8.0, 7.0]
scenarios = pd.concat({"课程原表": table, "补上服务的期望和重要性": cem_table(cem_service)}, names=["情形", "行"])
scenario_explorer = widgets.interact.options(manual=True, manual_name="运行")(
    scenarios.xs,
    key=widgets.Dropdown(options=["课程原表", "补上服务的期望和重要性"], description="情形"),
    axis=widgets.fixed(0),
    level=widgets.fixed("情形"),
    drop_level=widgets.fixed(True),
)

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
