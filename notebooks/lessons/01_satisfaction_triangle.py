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
# # 第 1 章　顾客满意与三角定律
#
# 本章从“什么是顾客满意”讲起：满意不是一个孤立的分数，而是顾客的**实际感受**与**期望感受**之间的差距。
# 我们先用课程的语言把概念讲清楚，再用 `csworkbench` 在一份小小的患者调查上把三角定律算出来。
#
# ## 学习目标
#
# 学完本章，你应当能够：
#
# 1. 用自己的话说出顾客满意（CS）的含义，以及 ISO/GB/T 19000 对它的定义；
# 2. 写出三角定律：顾客满意 = 实际感受 − 期望感受，并解释正值（惊喜）、零和负值（不满意）各意味着什么；
# 3. 列举顾客满意的特性：主观性、客观性、阶段性、全面性、负面性、动态性、隐含性；
# 4. 区分顾客满意的三个层次（产品满意、服务满意、社会满意），理解它们依次递进；
# 5. 用 `csworkbench.gaps.gap_scores` 从问卷数据算出每位顾客、每个属性的差距，并读懂置信区间。

# %% tags=["parameters"]
lang = "zh"
title = "顾客满意与三角定律"
n_respondents = 40  # 动手试一试：模拟问卷的样本量
seed = 1  # 随机种子：换一个数，就是换一批受访者

# %%
import warnings

import pandas as pd

from csworkbench import plots
from csworkbench.datasets.servqual import make_servqual_survey
from csworkbench.gaps import gap_scores, wide_to_long
from csworkbench.i18n import t

warnings.simplefilter("ignore")
plots.apply_theme()

# %% [markdown]
# ## 1.1 什么是顾客满意
#
# ISO 9000（我国等同采用为 GB/T 19000）把顾客满意定义为：**顾客对其要求已被满足的程度的感受**。
# 这个定义有两层意思。第一，满意是顾客的“感受”，由顾客说了算，而不是企业自己评价；
# 第二，它衡量的是“要求被满足的程度”，所以离不开顾客事先的要求和期望。
# 标准还特别提醒：**没有抱怨并不等于顾客满意**——很多不满意的顾客根本不会开口（第 5 章会算一算有多少）。
#
# ### 三角定律
#
# 课程用一个简单的等式概括满意的来源，称为**三角定律**：
#
# > 顾客满意 = 实际感受 − 期望感受
#
# 在医院的场景里，课程写作：**患者满意程度 = 实际感受 − 期望值**；零售业同样适用。
#
# * 差距为正：实际感受超出期望，顾客感到**惊喜**；
# * 差距为零：期望刚好被满足；
# * 差距为负：实际感受达不到期望，顾客**不满意**。
#
# 因此提高满意度有两条路：提升顾客的实际感受，或者合理地管理顾客的期望（不过度承诺）。

# %% [markdown]
# ### 顾客满意的特性
#
# | 特性 | 含义 |
# |---|---|
# | 主观性 | 满意是顾客自己的感受，受其知识、经验、情绪影响 |
# | 客观性 | 感受背后有客观存在的产品与服务，不以企业的主观愿望为转移 |
# | 阶段性 | 顾客在消费前、中、后各阶段的满意会不同，满意是一段一段积累起来的 |
# | 全面性 | 顾客对整体的评价很容易被某一个失败的环节拖垮（“一粒老鼠屎坏了一锅粥”） |
# | 负面性 | 不满意比满意更容易被记住、被传播 |
# | 动态性 | 期望会随时间水涨船高，今天的惊喜可能是明天的“本该如此” |
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
# 三角定律的计算交给 `gap_scores`：它为每位患者、每个属性算出 **实际感受 − 期望感受**，
# 并标出结果是惊喜（delighted）、刚好满足（met）还是不满意（dissatisfied）。

# %%
result = gap_scores(answers, scale=(1, 10))
result.scores

# %% [markdown]
# 再看按属性汇总的结果：平均差距、95 % 置信区间，以及惊喜 / 满足 / 不满意的患者占比。

# %%
result.summary()[["attribute", "n", "perception", "expectation", "gap", "ci_low", "ci_high",
                  "share_delighted", "share_met", "share_dissatisfied"]].round(2)

# %% [markdown]
# **怎么读？** 候诊时间的平均差距为 −1.83，6 位患者里有 4 位不满意；医生沟通和环境卫生则略有惊喜。
# 注意患者“丁”：医生沟通和环境卫生都还过得去，候诊时间却差了 5 分——这正是**全面性**：
# 一个环节的失败足以让他对整次就诊留下坏印象。只有 6 个人时置信区间很宽（候诊时间的区间甚至跨过了 0），
# 结论只能算“线索”，要下定论还得扩大样本。

# %%
plots.ci_bar_figure(
    result.attributes, "attribute", "gap", "ci_low", "ci_high",
    title="门诊三个方面的满意差距（实际感受 − 期望感受）",
    labels={"attribute": t("gaps.cem.attribute", lang), "gap": t("construct.gap", lang)},
).show()

# %% [markdown]
# ## 1.3 动手试一试
#
# 下面用模拟的服务质量问卷（22 个题项，1–7 分）重复同样的计算。它的样本量来自参数单元格里的
# `n_respondents`，随机种子是 `seed`。试着把 `n_respondents` 从 40 改成 10 或 400 再运行：
# 平均差距大体不变，但置信区间会明显变窄或变宽——样本越大，我们对差距的估计越有把握。

# %%
simulated = make_servqual_survey(n_respondents, random_state=seed)
sim_result = gap_scores(simulated[simulated["kind"] != "I"], scale=(1, 7))
sim_result.summary()[["attribute", "n", "gap", "ci_low", "ci_high", "share_dissatisfied"]].round(2).head(10)

# %%
plots.ci_bar_figure(
    sim_result.attributes, "attribute", "gap", "ci_low", "ci_high",
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
# 1. 20 世纪 80 年代以后，许多行业由卖方市场转为买方市场，产品同质化、竞争加剧，顾客的选择越来越多、
#    要求越来越高；质量管理的重心也从“符合标准”转向“让顾客满意”（如瑞典、美国相继建立全国顾客满意度指数）。
#    企业不得不把顾客的感受当作经营的出发点，CS 由此兴起。
# 2. 满意的顾客会重复购买、主动推荐、成为忠诚顾客并带来新顾客，销售额、认可度和利润随之上升；
#    不满意的顾客则会悄悄流失并传播负面口碑。争取新顾客的成本约是保留老顾客的 3 倍，所以管理满意度是最经济的增长方式。
# 3. 满意是“顾客对要求被满足程度的感受”，投诉只是表达不满的一种方式。三角定律里差距为负的顾客，
#    大多数选择沉默或直接离开，零投诉可能只是因为渠道不畅或顾客懒得说。应当主动调查，计算实际感受与期望的差距。
# 4. 影响最大的是“期望感受”：期望随时间和竞争对手的水平上升，同样的实际感受，差距会逐渐变成负值。
#    企业需要持续测量期望、持续改进，并避免过度承诺把期望抬得过高。
# </details>
#
# ## 练习
#
# 1. 在 1.2 的例题中，哪个属性的不满意患者占比最高？占比是多少？
# 2. 把 `n_respondents` 先改成 8、再改成 400，重新运行 1.3。题项 q5（可靠性的第一题）的置信区间是否跨过 0？这说明了什么？
#
# <details><summary>参考答案</summary>
#
# 1. 候诊时间：6 位患者中有 4 位实际感受低于期望，不满意占比约 67 %（见 `share_dissatisfied` 列）。
# 2. 模拟数据中可靠性维度的真实差距是 −1.0。样本量为 400 时，q5 的置信区间完全落在 0 以下，
#    说明“可靠性不达预期”不是抽样偶然造成的；只有 8 人时区间宽得多，可能跨过 0，这时还不能下结论。
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
# | 全面性 | comprehensiveness |
# | 负面性 | negativity bias |
# | 动态性 | dynamics (expectations drift) |
# | 隐含性 | implicitness |
# | 产品满意 / 服务满意 / 社会满意 | product / service / social (ethical) satisfaction |
# | 置信区间 | confidence interval |
