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
# # 第 3 章　服务质量：SERVQUAL 与五种差距
#
# 服务看不见、摸不着，怎样衡量它的质量？Parasuraman、Zeithaml 和 Berry 给出的 SERVQUAL 量表是最常用的答案：
# 在五个维度上分别问顾客“期望”和“感知”，用三角定律算差距。本章还会介绍他们的**服务质量差距**模型——
# 顾客感受到的差距，根源在企业内部的四个环节。
#
# ## 学习目标
#
# 1. 说出服务质量五要素：可靠性、响应性、保证性、移情性、有形性，并各举一例；
# 2. 知道 SERVQUAL 量表的结构（22 个题项，每题问期望 E 和感知 P），会用 `servqual` 计算题项、维度和总体差距；
# 3. 理解按重要性（100 分分配）加权的总分，以及 Cronbach α 所说明的信度；
# 4. 说出五种差距：理解差距、程序差距、行为差距、促销差距、感受差距，会用 `five_gaps` 从测量数据中算出它们；
# 5. 说明为什么弥补行为差距归根到底要靠人。

# %% tags=["parameters"]
lang = "zh"
title = "服务质量：SERVQUAL 与五种差距"
n_respondents = 80  # 样本量：保持较小，几秒钟就能算完
seed = 2
reliability_gap = -1.0  # 动手试一试：模拟数据中“可靠性”维度的真实差距 P − E

# %%
import warnings

import pandas as pd

from csworkbench import plots
from csworkbench.datasets.servqual import make_servqual_survey
from csworkbench.gaps import SERVQUAL_DIMENSIONS, five_gaps, gap_bar_figure, item_heatmap_figure, servqual
from csworkbench.i18n import t

warnings.simplefilter("ignore")
plots.apply_theme()

# %% [markdown]
# ## 3.1 服务质量五要素
#
# | 维度 | 含义 | 例子（银行网点） |
# |---|---|---|
# | 可靠性 | 可靠、准确地履行服务承诺 | 说好三天到账就三天到账，账目不出错 |
# | 响应性 | 愿意帮助顾客并迅速提供服务 | 排队时主动分流，电话很快有人接 |
# | 保证性 | 员工的知识、礼貌和让人信任的能力 | 理财经理讲得清楚、让人放心 |
# | 移情性 | 关心顾客，给予个别化的关注 | 记得老顾客的需要，营业时间方便顾客 |
# | 有形性 | 设施、设备、人员和资料的外观 | 大厅整洁，单据清楚 |
#
# 标准的 SERVQUAL 量表有 **22 个题项**，分属这五个维度。每个题项问两次：
# 先问顾客对“优秀的企业”应当怎样的**期望**（E），再问对这家企业实际表现的**感知**（P），
# 差距 = P − E，再按维度平均。顾客还可以把 100 分分配给五个维度，表示各维度的重要性，用来计算加权总分。
# 下面是量表题项与维度的对应：

# %%
pd.DataFrame({"维度": [t(f"servqual.{d}", lang) for d in SERVQUAL_DIMENSIONS],
              "题项": [", ".join(items) for items in SERVQUAL_DIMENSIONS.values()]})

# %% [markdown]
# ## 3.2 例题：一次 SERVQUAL 调查
#
# 我们用模拟数据代替真实问卷：`make_servqual_survey` 生成的数据中，各维度的真实差距是已知的
# （有形性 +0.3，可靠性取参数 `reliability_gap`，响应性 −0.7，保证性 −0.4，移情性 −0.5），
# 因此可以检验分析结果是否找回了真相。数据是“长表”：E、P 是回答，I 是重要性分数。

# %%
survey = make_servqual_survey(
    n_respondents,
    true_gaps={"tangibles": 0.3, "reliability": reliability_gap, "responsiveness": -0.7,
               "assurance": -0.4, "empathy": -0.5},
    random_state=seed,
)
survey.head()

# %%
result = servqual(survey)
result.dimensions[["dimension", "n", "expectation", "perception", "gap", "ci_low", "ci_high", "importance"]].round(2)

# %% [markdown]
# 每个维度的差距都带着 95 % 置信区间。可靠性的差距最负，而它恰好也是顾客分配分数最多的维度——
# 这与 Parasuraman 等人的发现一致：顾客最看重的，是企业说到做到。

# %%
gap_bar_figure(result.dimensions, lang=lang).show()

# %% [markdown]
# 总体得分有两种：不加权（五个维度差距的平均）和按重要性加权（各维度差距 × 重要性分数 / 100 之和）。
# 由于最重要的维度差距也最大，加权得分比不加权得分更负：

# %%
result.overall.round(3)

# %% [markdown]
# 量表是否可靠？Cronbach α 衡量同一维度的题项是否“说的是同一件事”，一般大于 0.7 即可接受：

# %%
result.reliability.round(2)

# %% [markdown]
# 题项层面的热力图可以看到差距具体出在哪几道题上：

# %%
item_heatmap_figure(result.items, lang=lang).show()

# %% [markdown]
# ## 3.3 服务质量差距模型
#
# 顾客感受到的差距（期望与感知之差）只是结果。课程沿用 Parasuraman 等人的模型，把原因追溯到企业内部：
#
# | 差距 | 名称 | 含义 |
# |---|---|---|
# | 1 | 理解差距 | 管理层没有弄清顾客真正看重什么 |
# | 2 | 程序差距 | 管理层知道了顾客的期望，却没有把它变成服务标准和制度 |
# | 3 | 行为差距 | 员工实际提供的服务与标准不一致 |
# | 4 | 促销差距 | 宣传承诺的与实际提供的不一致 |
# | 5 | 感受差距 | 顾客的感知与期望之间的差距 |
#
# 差距 5 是顾客感受到的，差距 1–4 是企业内部的原因。
#
# ### 例题：一家银行网点的五种差距
#
# 网点就三个方面收集了不同来源的测量（1–7 分）：管理层对顾客期望的估计、服务标准的要求水平、
# 神秘顾客实测的实际服务、广告承诺的水平；顾客的期望与感知取自上面的问卷（q5 可靠性、q10 响应性、q1 有形性）。

# %%
organisation = pd.DataFrame({
    "item": ["q5", "q10", "q1"] * 4,
    "source": ["management_estimate"] * 3 + ["standard"] * 3 + ["delivered"] * 3 + ["promised"] * 3,
    "score": [5.0, 6.0, 5.5, 4.5, 5.5, 5.5, 4.0, 4.5, 5.5, 6.5, 6.0, 5.5],
})
customers = survey[survey["item"].isin(["q5", "q10", "q1"]) & survey["kind"].isin(["E", "P"])]
customers = customers.assign(source=customers["kind"].map({"E": "customer_expectation", "P": "customer_perception"}))
measurements = pd.concat([organisation, customers[["respondent", "item", "source", "score"]]], ignore_index=True)
gaps = five_gaps(measurements, lang=lang)
gaps.summary()

# %% [markdown]
# `rank` 给出企业内部四种差距按平均绝对大小的排名。在这个例子里排第一的是**促销差距**：
# 广告承诺的水平比实际交付高出一截（可靠性上差 2.5 分）。过度承诺还会抬高顾客的期望，
# 从而放大顾客感受到的差距——先让宣传“说实话”，是成本最低的改进。
# 逐项的估计（顾客数据带置信区间；企业内部的单个测量值没有抽样误差，所以区间为空）在 `gaps.items` 中：

# %%
gaps.items.round(2)

# %% [markdown]
# ### 弥补行为差距靠的是人
#
# 行为差距出在一线员工身上，课程给出的对策全都围绕“人”：按服务能力招聘员工；培训；**授权**员工当场解决问题；
# 提供支持系统（工具、信息、流程）；**把员工当作顾客**来对待（内部营销）；**留住最优秀的员工**。

# %% [markdown]
# ## 3.4 动手试一试
#
# 把参数 `reliability_gap` 改成 0（可靠性刚好达到期望）或 −2，再运行本章。观察：
# 可靠性的估计差距是否跟着变化、置信区间是否盖住了真实值？加权总分和不加权总分的差别怎样变化？为什么？

# %%
result.dimensions.loc[result.dimensions["dimension"] == "reliability", ["gap", "ci_low", "ci_high"]].round(2)

# %% [markdown]
# ## 思考题
#
# 以下四题来自教材第三章（顾客满意管理的基础工作），它们都与“弥补行为差距靠人”有关：
#
# 1. 为什么领导的认可和参与对顾客满意管理如此重要？
# 2. 你知道哪些企业建立了以顾客满意为导向的企业文化？它们是怎样做的？
# 3. 怎样建立一个对顾客反应敏捷的组织？
# 4. 为什么员工的素质如此重要？怎样提高员工素质？
#
# 再补充一道本章模型的题目：
#
# 5. 一家快递公司的问卷显示可靠性差距最大。仅凭这一点，你能判断是五种差距中的哪一种造成的吗？还需要收集哪些数据？
#
# <details><summary>参考答案</summary>
#
# 1. 顾客满意管理要改变流程、标准、资源分配乃至考核方式，这些只有领导才能推动；领导身体力行，员工才会相信这不是一阵风。
#    从差距模型看，理解差距和程序差距都出在管理层。
# 2. 例如海尔的“真诚到永远”、丽思卡尔顿授权每位员工为解决顾客问题花费一定金额、
#    海底捞把员工当作家人并授权一线员工送菜免单等。共同点：高层承诺、制度保障、授权一线、用数据衡量。
# 3. 压缩层级、让一线掌握信息和决策权（授权）、建立快速的顾客信息反馈渠道（投诉、调查、直接接触），
#    以顾客为中心设计流程，并用响应时间等指标持续考核。
# 4. 服务在员工与顾客接触的“真实瞬间”完成，员工的能力和态度直接决定行为差距。
#    提高的办法：按服务能力招聘、系统培训、授权、提供支持系统、激励和留住优秀员工，把员工当作内部顾客。
# 5. 不能。问卷只测到差距 5（感受差距）。要找原因，需要管理层对顾客期望的估计（差距 1）、
#    服务标准（差距 2）、实际交付的测量如神秘顾客或系统记录（差距 3）、广告和承诺的内容（差距 4）。
# </details>
#
# ## 练习
#
# 1. 在 3.2 的结果里，哪个维度的差距最接近 0？它的置信区间是否包含 0？
# 2. 在五种差距的例题中，把 q5 的 `delivered`（实测服务）从 4.0 提高到 5.0，哪几种差距会改变？
#
# <details><summary>参考答案</summary>
#
# 1. 有形性（真实差距 +0.3）最接近 0，而且是唯一为正的维度；样本量较小时它的区间可能包含 0，样本增大后会落在 0 以上。
# 2. 只有用到“实际交付”的两种：行为差距（实际交付 − 标准）和促销差距（实际交付 − 承诺），q5 上各自增加 1。
#    理解差距、程序差距和感受差距不变——感受差距来自顾客的回答，要等顾客重新感知后才会变化。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 服务质量 | service quality |
# | 服务质量五要素 | the five SERVQUAL dimensions |
# | 可靠性 | reliability |
# | 响应性 | responsiveness |
# | 保证性 | assurance |
# | 移情性 | empathy |
# | 有形性 | tangibles |
# | 期望 / 感知 | expectation / perception |
# | 重要性分配（100 分） | importance points (constant sum of 100) |
# | 信度（Cronbach α） | reliability (Cronbach's alpha) |
# | 服务质量差距 | service-quality gaps |
# | 理解差距 | understanding gap (gap 1) |
# | 程序差距 | procedure gap (gap 2) |
# | 行为差距 | behaviour gap (gap 3) |
# | 促销差距 | promotion gap (gap 4) |
# | 感受差距 | perception gap (gap 5) |
# | 授权 | empowerment |
# | 神秘顾客 | mystery shopper |
