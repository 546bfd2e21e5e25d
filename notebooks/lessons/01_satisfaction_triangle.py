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
# # 第 1 章　顾客满意与三角定律
#
# 本章从“什么是顾客满意”讲起：满意不是一个孤立的分数，而是顾客的**实际感受**与**期望感受**之间的差距。
# 我们先用课程的语言把概念讲清楚，再在一份小小的患者调查上把三角定律算出来——先用 pandas 手算，再用 `csworkbench`。
#
# **怎样做本章的练习**：标着“练习（写代码）”的题目下面，有一个折叠起来的参考答案单元格（标签 `solution` 和 `hide-input`，
# 在 JupyterLab 中输入区默认收起）和一个自检单元格（`assert`）。先在参考答案上方插入一个新单元格写出你的代码并运行，
# 再运行自检单元格；通过了，说明你的结果对了。卡住时再展开参考答案。“试一试”的控件在 JupyterLab 中选好参数后点“运行”即可看到结果（无界面批量执行时不会自动运行）。
#
# ## 学习目标
#
# 学完本章，你应当能够：
#
# 1. 用自己的话说出顾客满意（CS）和顾客满意管理的含义，以及 GB/T 19000-2000 对顾客满意的定义；
# 2. 写出三角定律：顾客满意 = 实际感受 − 期望感受，并解释正值（惊喜）、零和负值（不满意）各意味着什么；
# 3. 列举顾客满意的特性：主观性、客观性、阶段性、综合性、负面性，以及动态性、隐含性；
# 4. 区分顾客满意的三个层次（产品满意、服务满意、社会满意），理解它们依次递进；
# 5. 先用 pandas 手算、再用 `csworkbench.gaps.gap_scores` 从问卷数据算出每位顾客、每个属性的差距，并读懂置信区间。

# %% tags=["parameters"]
lang = "zh"
title = "顾客满意与三角定律"
n_respondents = 40  # 动手试一试：模拟问卷的样本量
seed = 1  # 随机种子：换一个数，就是换一批受访者

# %%
import ipywidgets as widgets
import pandas as pd
from IPython.display import Markdown, display

from csworkbench import plots
from csworkbench.datasets.servqual import make_servqual_survey
from csworkbench.gaps import gap_scores, wide_to_long
from csworkbench.i18n import t
from csworkbench.reporting.display import show_table

plots.apply_theme()

# %% [markdown]
# ## 1.1 什么是顾客满意
#
# 教材说，顾客满意管理（CS 管理，CS 是 Customer Satisfaction 的缩写）是一种追求顾客满意的管理活动，它把追求顾客满意的理念
# 融入企业经营管理活动的每一个环节：把顾客的需求作为产品开发或服务设计的源头，从顾客的利益出发考虑产品功能设计、价格设定、
# 分销促销，建立完善的售后服务系统。CS 管理的特点是：全程观念、始终面向顾客、持续改进。
#
# GB/T 19000-2000 标准把顾客满意定义为：**顾客对其要求已被满足的程度的感受**。这个定义有两层意思。第一，满意是顾客的“感受”，
# 由顾客说了算，而不是企业自己评价；第二，它衡量的是“要求被满足的程度”，所以离不开顾客事先的要求和期望。
# 标准还给出了注释：顾客抱怨是一种满意程度低的最常见表达方式，但**没有抱怨并不一定表明顾客很满意**；
# 即使规定的顾客要求符合顾客的愿望并得到满足，也不一定确保顾客很满意（第 5 章会算一算有多少不满意的顾客从不开口）。
#
# ### 三角定律
#
# 课程用一个简单的等式概括满意的来源，称为**三角定律**：
#
# > 顾客满意 = 实际感受 − 期望感受
#
# 在医院的场景里，课程写作：**患者的满意程度 = 患者的实际感受 − 患者的期望感受（值）**；患者的满意程度即患者对服务质量的评价，
# 取决于实际感受与期望感受的相对关系。零售业同样适用。
#
# * 差距为正：实际感受超出期望，顾客感到**惊喜**；
# * 差距为零：期望刚好被满足；
# * 差距为负：实际感受达不到期望，顾客**不满意**。
#
# 因此提高满意度有两条路：提升顾客的实际感受，或者合理地管理顾客的期望（不过度承诺）。

# %% [markdown]
# ### 顾客满意的特性
#
# 教材列出顾客满意的五个特点：主观性、客观性、阶段性、**综合性**、负面性；课件还补充了动态性和隐含性。
#
# | 特性 | 含义 |
# |---|---|
# | 主观性 | 满意是顾客自己的感受，受其知识、经验、情绪影响 |
# | 客观性 | 感受背后有客观存在的产品与服务，不以企业的主观愿望为转移 |
# | 阶段性 | 顾客在消费前、中、后各阶段的满意会不同，满意是一段一段积累起来的 |
# | 综合性 | 顾客满意是对企业及其产品和服务的评价，这种评价是全面的而不是只针对某一质量特性；任何一个质量特性或服务环节出现问题，都会引起顾客的不满意 |
# | 负面性 | 不满意比满意更容易被记住、被传播 |
# | 动态性 | 顾客满意一旦形成，并非一成不变：顾客需求具有变化性，满意会随时间的转移、技术的进步、整体环境素质的提高而变化 |
# | 隐含性 | 许多要求顾客并不说出口，需要企业去发现 |
#
# ### 顾客满意的三个层次
#
# 顾客满意依次递进分为三个层次：**产品满意**（产品本身的质量、功能、价格）→ **服务满意**（购买和使用过程中的服务）
# → **社会满意**（企业的经营行为符合社会伦理、有益于社会）。低一层没做好，高一层就无从谈起。

# %% [markdown]
# ## 1.2 例题：一家门诊的小调查
#
# 某医院门诊请 6 位患者就三个方面打分（1–10 分）：看病前先写下**期望**（E），看完病后写下**实际感受**（P）。
# 原始问卷是一张“宽表”，每位患者一行：

# %%
survey = pd.DataFrame(
    {
        "patient": ["甲", "乙", "丙", "丁", "戊", "己"],
        "E_候诊时间": [7, 8, 6, 9, 7, 8],
        "P_候诊时间": [5, 6, 6, 4, 8, 5],
        "E_医生沟通": [8, 8, 7, 8, 9, 7],
        "P_医生沟通": [9, 8, 8, 7, 9, 9],
        "E_环境卫生": [7, 6, 7, 7, 8, 6],
        "P_环境卫生": [8, 7, 7, 8, 8, 7],
    }
)
survey

# %% [markdown]
# 分析函数需要“长表”（每个回答一行：受访者、属性、E/P、分数），用 `wide_to_long` 转换：

# %%
answers = wide_to_long(survey, respondent="patient", pattern=r"^(?P<kind>[EP])_(?P<item>.+)$", item_format="{}")
answers.head(8)

# %% [markdown]
# 先用 pandas 手算：每个属性都有一对列 `E_…` 和 `P_…`，相减就是每位患者的差距 P − E：

# %%
attributes = ["候诊时间", "医生沟通", "环境卫生"]
by_hand = pd.DataFrame({a: survey[f"P_{a}"] - survey[f"E_{a}"] for a in attributes}).set_index(survey["patient"])
by_hand

# %% [markdown]
# 再把计算交给 `gap_scores`：它为每位患者、每个属性算出 **实际感受 − 期望感受**，
# 并标出结果是惊喜（delighted）、刚好满足（met）还是不满意（dissatisfied）。两种算法必须一致：

# %%
result = gap_scores(answers, scale=(1, 10))
package = result.scores.pivot(index="respondent", columns="attribute", values="gap")
assert (package.loc[by_hand.index, attributes] == by_hand).all().all(), "手算与 gap_scores 不一致"
result.scores.head(6)

# %% [markdown]
# **试一试**：只看某一种结果的患者：

# %%
outcome_explorer = widgets.interact.options(manual=True, manual_name="运行")(
    result.scores.groupby("outcome").get_group,
    name=widgets.Dropdown(
        options={"不满意": "dissatisfied", "刚好满足": "met", "惊喜": "delighted"}, description="结果"
    ),
)

# %% [markdown]
# 再看按属性汇总的结果：平均差距、95 % 置信区间，以及惊喜 / 满足 / 不满意的患者占比。

# %%
summary = result.summary().set_index("attribute")
show_table(
    summary.reset_index()[
        [
            "attribute",
            "n",
            "perception",
            "expectation",
            "gap",
            "ci_low",
            "ci_high",
            "share_delighted",
            "share_met",
            "share_dissatisfied",
        ]
    ],
    lang=lang,
    labels={
        "attribute": "方面",
        "n": "人数",
        "perception": "实际感受",
        "expectation": "期望感受",
        "ci_low": "95 % 下限",
        "ci_high": "95 % 上限",
        "share_delighted": "惊喜占比",
        "share_met": "刚好满足占比",
        "share_dissatisfied": "不满意占比",
    },
    kinds={"share_delighted": "share", "share_met": "share", "share_dissatisfied": "share"},
)

# %%
worst = summary["gap"].idxmin()
worst_patient = by_hand[worst].idxmin()
others = by_hand.loc[worst_patient].drop(worst)
display(
    Markdown(
        f"**怎么读？** {worst}的平均差距为 {summary.loc[worst, 'gap']:.2f}，{len(by_hand)} 位患者里有 "
        f"{int((by_hand[worst] < 0).sum())} 位不满意。注意患者“{worst_patient}”：其他两个方面的差距是 "
        + "、".join(f"{a} {v:+.0f}" for a, v in others.items())
        + f"，{worst}却差了 {abs(by_hand.loc[worst_patient, worst]):.0f} 分——这正是**综合性**：任何一个服务环节出现问题，"
        "都会引起顾客的不满意。"
        f"只有 {len(by_hand)} 个人时置信区间很宽（{worst}的区间是 {summary.loc[worst, 'ci_low']:.2f} 至 "
        f"{summary.loc[worst, 'ci_high']:.2f}），结论只能算“线索”，要下定论还得扩大样本。"
    )
)

# %%
plots.ci_bar_figure(
    result.attributes,
    "attribute",
    "gap",
    "ci_low",
    "ci_high",
    title="门诊三个方面的满意差距（实际感受 − 期望感受）",
    labels={"attribute": t("gaps.cem.attribute", lang), "gap": t("construct.gap", lang)},
).show()

# %% [markdown]
# ### 练习 1.1（写代码）
#
# 用 `by_hand` 算出每个属性中不满意（差距 < 0）的患者占比，存成 Series `share_unhappy`（按属性索引，0–1 之间）。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
share_unhappy = (by_hand < 0).mean()
share_unhappy

# %%
assert (share_unhappy.reindex(summary.index) - summary["share_dissatisfied"]).abs().max() < 1e-12, (
    "不满意 = 实际感受低于期望（差距小于 0）"
)
print(f"自检通过：不满意占比最高的是 {share_unhappy.idxmax()}（{share_unhappy.max():.0%}）。")

# %% [markdown]
# ## 1.3 动手试一试
#
# 下面用模拟的服务质量问卷（22 个题项，1–7 分）重复同样的计算。它的样本量来自参数单元格里的
# `n_respondents`，随机种子是 `seed`。试着把 `n_respondents` 改小或改大再运行：
# 平均差距大体不变，但置信区间会明显变宽或变窄——样本越大，我们对差距的估计越有把握。

# %%
simulated = make_servqual_survey(n_respondents, random_state=seed)
sim_result = gap_scores(simulated[simulated["kind"] != "I"], scale=(1, 7))
sim_summary = sim_result.summary().set_index("attribute")
sim_summary[["n", "gap", "ci_low", "ci_high", "share_dissatisfied"]].round(2).head(10)

# %%
q5 = sim_summary.loc["q5"]
display(
    Markdown(
        f"{n_respondents} 位受访者时，题项 q5（可靠性的第一题）的差距是 {q5['gap']:.2f}，区间 {q5['ci_low']:.2f} 至 "
        f"{q5['ci_high']:.2f}，宽 {q5['ci_high'] - q5['ci_low']:.2f}；区间{'跨过' if q5['ci_low'] <= 0 <= q5['ci_high'] else '没有跨过'} 0。"
    )
)

# %%
plots.ci_bar_figure(
    sim_result.attributes,
    "attribute",
    "gap",
    "ci_low",
    "ci_high",
    title=f"{n_respondents} 位受访者的题项差距",
    labels={"attribute": t("gaps.axis.item", lang), "gap": t("construct.gap", lang)},
).show()

# %% [markdown]
# ## 思考题
#
# 以下两题来自教材第一章：
#
# 1. 顾客满意（CS）是在怎样的历史背景下兴起的？
# 2. 企业为什么要开展顾客满意管理？
#
# 再补充两道与本章模型相关的题目：
#
# 3. 有人说“我们这个月零投诉，说明顾客都很满意”。结合 ISO 的定义和三角定律反驳这句话。
# 4. 顾客满意的“动态性”对三角定律中的哪一项影响最大？企业应如何应对？
#
# <details><summary>参考答案</summary>
#
# 1. 教材给出三方面的变化：市场与竞争环境的变化；企业管理中心的变化；顾客消费观念和消费形态的变化。
#    课件还提到，世界经济的主流已由制造业转为服务业，服务业对世界国民收入的贡献已占 60 % 以上
#    （美国、加拿大分别占 75 % 和 70 % 以上，2000 年）；服务业内部竞争加剧，服务提供者纷纷想办法吸引新顾客、保住老顾客。
# 2. 教材列出五点意义：打造企业品牌的重要途径；提高企业形象的有效方法；企业增强辐射力的重要保证；
#    提高内部顾客满意、增强企业竞争力；对我国企业管理的现实意义。
# 3. 满意是“顾客对其要求已被满足的程度的感受”，标准的注释明说没有抱怨并不一定表明顾客很满意。三角定律里差距为负的顾客，
#    大多数选择沉默或直接离开，零投诉可能只是因为渠道不畅或顾客懒得说。应当主动调查，计算实际感受与期望的差距。
# 4. 影响最大的是“期望感受”：期望随时间、技术进步和竞争对手的水平上升，同样的实际感受，差距会逐渐变成负值。
#    企业需要持续测量期望、持续改进，并避免过度承诺把期望抬得过高。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 顾客满意（CS） | customer satisfaction |
# | 三角定律 | the triangle rule (satisfaction = experience − expectation) |
# | 实际感受 | experience, perceived performance |
# | 期望感受 / 期望值 | expectation |
# | 差距模型 | gap model |
# | 惊喜 | delight |
# | 患者满意程度 | patient satisfaction |
# | 主观性 / 客观性 | subjectivity / objectivity |
# | 阶段性 | staged nature |
# | 综合性 | comprehensiveness |
# | 负面性 | negativity bias |
# | 动态性 | dynamics (expectations drift) |
# | 隐含性 | implicitness |
# | 产品满意 / 服务满意 / 社会满意 | product / service / social (ethical) satisfaction |
# | 置信区间 | confidence interval |
