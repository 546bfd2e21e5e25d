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
# # 第 3 章　服务质量：五要素、SERVQUAL 与五种差距
#
# 服务看不见、摸不着，怎样衡量它的质量？Parasuraman、Zeithaml 和 Berry 给出的 SERVQUAL 量表是最常用的答案：
# 在五个维度上分别问顾客“期望”和“感知”，用三角定律算差距。本章还会介绍课程列出的**五种服务质量差距**——
# 从管理者对顾客期望的理解，到顾客最终感受到的服务，每一个环节都可能出现差距。
#
# **怎样做本章的练习**：标着“练习（写代码）”的题目下面，有一个折叠起来的参考答案单元格（标签 `solution` 和 `hide-input`，
# 在 JupyterLab 中输入区默认收起）和一个自检单元格（`assert`）。先在参考答案上方插入一个新单元格写出你的代码并运行，
# 再运行自检单元格；通过了，说明你的结果对了。卡住时再展开参考答案。“试一试”的控件在 JupyterLab 中选好参数后点“运行”即可看到结果（无界面批量执行时不会自动运行）。
#
# ## 学习目标
#
# 1. 说出服务质量五要素：可靠性、响应性、保证性、移情性、有形性，并各举一例；
# 2. 知道 SERVQUAL 量表的结构（22 个题项，每题问期望 E 和感知 P），先用 pandas 手算、再用 `servqual` 计算维度差距；
# 3. 理解按重要性（100 分分配）加权的总分，以及 Cronbach α 所说明的信度；
# 4. 按课程的顺序说出五种差距——促销差距、理解差距、程序差距、行为差距、感受差距——并从测量数据中算出它们；
# 5. 说明为什么弥补行为差距归根到底要靠人。

# %% tags=["parameters"]
lang = "zh"
title = "服务质量：五要素、SERVQUAL 与五种差距"
n_respondents = 80  # 样本量：保持较小，几秒钟就能算完
seed = 2
reliability_gap = -1.0  # 动手试一试：模拟数据中“可靠性”维度的真实差距 P − E

# %%
import ipywidgets as widgets
import pandas as pd
from IPython.display import Markdown, display

from csworkbench import plots
from csworkbench.datasets.servqual import make_servqual_survey
from csworkbench.gaps import SERVQUAL_DIMENSIONS, five_gaps, gap_bar_figure, item_heatmap_figure, item_label, servqual
from csworkbench.i18n import t
from csworkbench.reporting.display import show_table

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
pd.DataFrame(
    {
        "维度": [t(f"servqual.{d}", lang) for d in SERVQUAL_DIMENSIONS],
        "题项": [", ".join(items) for items in SERVQUAL_DIMENSIONS.values()],
    }
)

# %% [markdown]
# ## 3.2 例题：一次 SERVQUAL 调查
#
# 我们用模拟数据代替真实问卷：`make_servqual_survey` 生成的数据中，各维度的真实差距是已知的
# （见下表的“真实差距”；可靠性取参数 `reliability_gap`），因此可以检验分析结果是否找回了真相。
# 数据是“长表”：每行一个回答，`kind` 为 E（期望）、P（感知）或 I（重要性分数）。

# %%
true_gaps = {
    "tangibles": 0.3,
    "reliability": reliability_gap,
    "responsiveness": -0.7,
    "assurance": -0.4,
    "empathy": -0.5,
}
survey = make_servqual_survey(n_respondents, true_gaps=true_gaps, random_state=seed)
pd.DataFrame({"维度": [t(f"servqual.{d}", lang) for d in true_gaps], "真实差距": list(true_gaps.values())})

# %%
survey.head()

# %% [markdown]
# ### 先用 pandas 手算
#
# 三步：把每位受访者每个题项的 E 和 P 放到同一行，算 P − E；按题项所属维度，求每位受访者的维度差距（题项的平均）；
# 再对受访者求平均。

# %%
item_of = {item: dim for dim, items in SERVQUAL_DIMENSIONS.items() for item in items}
answers = (
    survey[survey["kind"].isin(["E", "P"])]
    .pivot_table(index=["respondent", "item"], columns="kind", values="score", observed=True)
    .reset_index()
)
answers["gap"] = answers["P"] - answers["E"]
answers["dimension"] = answers["item"].map(item_of)
by_hand = answers.groupby(["respondent", "dimension"])["gap"].mean().groupby("dimension").mean()
by_hand.round(3)

# %% [markdown]
# ### 再用 `servqual`
#
# `servqual` 做同样的计算，还给出每个维度的 95 % 置信区间、重要性、加权总分和信度：

# %%
result = servqual(survey)
dims = result.dimensions.set_index("dimension")
show_table(
    dims.reset_index().assign(dimension=[t(f"servqual.{d}", lang) for d in dims.index])[
        ["dimension", "n", "expectation", "perception", "gap", "ci_low", "ci_high", "importance"]
    ],
    lang=lang,
    labels={
        "n": "人数",
        "expectation": "期望 E",
        "perception": "感知 P",
        "gap": "差距 P − E",
        "ci_low": "95 % 下限",
        "ci_high": "95 % 上限",
        "importance": "重要性（100 分中）",
    },
)

# %%
assert (dims["gap"] - by_hand.reindex(dims.index)).abs().max() < 1e-9, "手算与 servqual 不一致"
worst = dims["gap"].idxmin()
most_important = dims["importance"].idxmax()
display(
    Markdown(
        f"手算结果与 `servqual` 完全一致（最大差别 {(dims['gap'] - by_hand.reindex(dims.index)).abs().max():.1e}）。"
        f"差距最负的是{t(f'servqual.{worst}', lang)}（{dims.loc[worst, 'gap']:.2f}），"
        f"顾客分配重要性分数最多的是{t(f'servqual.{most_important}', lang)}（平均 {dims.loc[most_important, 'importance']:.1f} 分）。"
        + (
            "两者恰好是同一个维度：顾客最看重的，企业做得最差，这是最需要改进的地方。"
            if worst == most_important
            else ""
        )
    )
)

# %%
gap_bar_figure(result.dimensions, lang=lang).show()

# %% [markdown]
# 总体得分有两种：不加权（五个维度差距的平均）和按重要性加权（各维度差距 × 重要性分数 / 100 之和）。

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
# 同样的题项差距也可以列成表：点表头按差距排序，在搜索框里输入维度名只看这一维度的题项。

# %%
show_table(
    result.items.assign(
        dimension=[t(f"servqual.{d}", lang) for d in result.items["dimension"]],
        item=[item_label(i, d, lang) for i, d in zip(result.items["item"], result.items["dimension"])],
    )[["dimension", "item", "expectation", "perception", "gap", "ci_low", "ci_high"]],
    lang=lang,
    labels={
        "dimension": "维度",
        "item": "题项",
        "expectation": "期望 E",
        "perception": "感知 P",
        "gap": "差距 P − E",
        "ci_low": "95 % 下限",
        "ci_high": "95 % 上限",
    },
)

# %% [markdown]
# **试一试**：拖动滑块，列出差距最负的 n 个题项（`result.items` 按 `gap` 从小到大的前 n 行）——它们集中在哪个维度？

# %%
items_explorer = widgets.interact.options(manual=True, manual_name="运行")(
    result.items.nsmallest,
    n=widgets.IntSlider(value=5, min=1, max=22, description="题项数"),
    columns=widgets.fixed("gap"),
    keep=widgets.fixed("first"),
)

# %% [markdown]
# ### 练习 3.1（写代码）
#
# 哪个维度的差距最接近 0？把它的英文键（如 `"tangibles"`）存入 `closest`，再判断它的 95 % 置信区间是否包含 0，
# 存入布尔值 `closest_ci_has_zero`。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
closest = dims["gap"].abs().idxmin()
closest_ci_has_zero = bool(dims.loc[closest, "ci_low"] <= 0 <= dims.loc[closest, "ci_high"])
closest, closest_ci_has_zero

# %%
assert abs(dims.loc[closest, "gap"]) == dims["gap"].abs().min(), "还有维度的差距比它更接近 0"
assert closest_ci_has_zero == (dims.loc[closest, "ci_low"] <= 0 <= dims.loc[closest, "ci_high"])
display(
    Markdown(
        f"自检通过。差距最接近 0 的是**{t(f'servqual.{closest}', lang)}**（{dims.loc[closest, 'gap']:.2f}，"
        f"区间 {dims.loc[closest, 'ci_low']:.2f} 至 {dims.loc[closest, 'ci_high']:.2f}，"
        f"{'包含' if closest_ci_has_zero else '不包含'} 0）。"
        f"注意它不一定是真实差距最接近 0 的维度（真实值见 3.2 节的表）：样本只有 {n_respondents} 人，估计有抽样误差。"
    )
)

# %% [markdown]
# ## 3.3 五种服务质量差距
#
# 课程列出的服务质量差距（按课程的顺序）：
#
# | 差距 | 课程的定义 |
# |---|---|
# | ⑴ 促销差距 | 标准和实际服务之间的差距（课件原文如此；通常指对外宣传、承诺的服务与实际提供的服务之间的差距，下面的计算按“承诺 vs 实际提供”） |
# | ⑵ 理解差距 | 管理者对顾客的预期理解不准确（没有完全理解什么对顾客最重要） |
# | ⑶ 程序差距 | 顾客预期没有转换到适当的运作 / 系统中去 |
# | ⑷ 行为差距 | 提供的服务和服务标准有所不同 |
# | ⑸ 感受差距 | 顾客感受到的服务水平和实际提供的服务水平之间的差距 |
#
# 注意**感受差距**比较的是顾客**感受到的**服务和企业**实际提供的**服务——同样的服务，顾客可能因为等待、情绪或
# 别的顾客的影响而感受得更差（或更好）。它不是顾客的期望与感知之差：顾客的期望与感知之差（三角定律的 P − E）是所有这些环节
# 累积的结果。
#
# ### 例题：一家银行网点的五种差距
#
# 网点就三个题项收集了不同来源的测量（1–7 分）：管理层对顾客期望的估计、服务标准的要求水平、神秘顾客实测的实际服务、
# 广告承诺的水平；顾客的期望与感知取自上面的问卷（q5 可靠性、q10 响应性、q1 有形性）。

# %%
organisation = pd.DataFrame(
    {
        "item": ["q5", "q10", "q1"] * 4,
        "source": ["management_estimate"] * 3 + ["standard"] * 3 + ["delivered"] * 3 + ["promised"] * 3,
        "score": [5.0, 6.0, 5.5, 4.5, 5.5, 5.5, 4.0, 4.5, 5.5, 6.5, 6.0, 5.5],
    }
)
organisation.pivot(index="source", columns="item", values="score")

# %%
customers = survey[survey["item"].isin(["q5", "q10", "q1"]) & survey["kind"].isin(["E", "P"])]
customers = customers.assign(source=customers["kind"].map({"E": "customer_expectation", "P": "customer_perception"}))
measurements = pd.concat([organisation, customers[["respondent", "item", "source", "score"]]], ignore_index=True)
level = measurements.pivot_table(index="item", columns="source", values="score", aggfunc="mean")
course_gaps = pd.DataFrame(
    {
        "⑴ 促销差距": level["delivered"] - level["promised"],
        "⑵ 理解差距": level["management_estimate"] - level["customer_expectation"],
        "⑶ 程序差距": level["standard"] - level["management_estimate"],
        "⑷ 行为差距": level["delivered"] - level["standard"],
        "⑸ 感受差距": level["customer_perception"] - level["delivered"],
    }
)
course_gaps.round(2)

# %% [markdown]
# 每个差距都是“后一环 − 前一环”，负数表示后一环没达到前一环。`five_gaps` 按课程的顺序和定义计算这五种差距
# （键 promotion、understanding、procedure、behaviour、perception），另加一行（编号 0，键 service_quality）：
# 顾客的**期望与感知之差（P − E）**，即服务质量差距。包与手算必须一致：

# %%
gaps = five_gaps(measurements, lang=lang)
package_items = gaps.items.pivot(index="item", columns="key", values="estimate")
package_items.round(2)

# %%
for course_name, key in [
    ("⑴ 促销差距", "promotion"),
    ("⑵ 理解差距", "understanding"),
    ("⑶ 程序差距", "procedure"),
    ("⑷ 行为差距", "behaviour"),
    ("⑸ 感受差距", "perception"),
]:
    assert (course_gaps[course_name] - package_items[key].reindex(course_gaps.index)).abs().max() < 1e-9, course_name
customer_gap = package_items["service_quality"].reindex(course_gaps.index)
worst_internal = course_gaps.drop(columns="⑸ 感受差距").abs().mean().idxmax()
display(
    Markdown(
        f"五种差距手算与 `five_gaps` 一致。企业内部的四种差距中，"
        f"按各题项绝对值的平均，最大的是**{worst_internal}**"
        f"（平均 {course_gaps[worst_internal].abs().mean():.2f} 分）。顾客的 P − E 在 q5 上是 {customer_gap['q5']:.2f}，"
        f"其中感受差距（感受到的 − 实际提供的）是 {course_gaps.loc['q5', '⑸ 感受差距']:.2f}。"
    )
)

# %% [markdown]
# ### 练习 3.2（写代码）
#
# 顾客的 P − E 可以沿着服务链拆开：P − E = (P − 实际提供) + (实际提供 − 标准) + (标准 − 管理层估计) + (管理层估计 − E)，
# 即 感受差距 + 行为差距 + 程序差距 + 理解差距。用 `course_gaps` 算出每个题项这四项之和，存入 `chain_sum`（按题项索引的 Series），
# 自检会把它与 `five_gaps` 算出的 P − E 比较。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
chain_sum = course_gaps[["⑸ 感受差距", "⑷ 行为差距", "⑶ 程序差距", "⑵ 理解差距"]].sum(axis=1)
chain_sum.round(2)

# %%
assert (chain_sum - customer_gap).abs().max() < 1e-9, "四项之和应等于 P − E：检查符号和所选的列"
print("自检通过：感受差距 + 行为差距 + 程序差距 + 理解差距 = 顾客的 P − E")

# %% [markdown]
# 促销差距不在这条链上，但它会抬高顾客的期望 E，从而放大顾客的 P − E——先让宣传“说实话”，往往是成本最低的改进。
#
# ### 弥补行为差距靠的是人
#
# 行为差距出在一线员工身上，课程给出的人力资源对策全都围绕“人”：雇用合适的人（按服务能力和服务意愿招聘）；
# 培养员工提供优质服务（培训、**授权**员工当场解决问题、团队合作）；提供所需的支持系统（工具、技术、流程）；
# **把员工当作顾客**来对待（内部营销）；**留住最优秀的员工**。

# %% [markdown]
# ## 3.4 动手试一试
#
# 把参数 `reliability_gap` 改成 0（可靠性刚好达到期望）或 −2，再运行本章。观察：
# 可靠性的估计差距是否跟着变化、置信区间是否盖住了真实值？加权总分和不加权总分的差别怎样变化？为什么？

# %%
rel = dims.loc["reliability"]
display(
    Markdown(
        f"可靠性：真实差距 {reliability_gap:.2f}，估计 {rel['gap']:.2f}，95 % 区间 {rel['ci_low']:.2f} 至 {rel['ci_high']:.2f}"
        f"（{'盖住了' if rel['ci_low'] <= reliability_gap <= rel['ci_high'] else '没有盖住'}真实值）。"
    )
)

# %% [markdown]
# ## 思考题
#
# 以下四题来自教材第三章（顾客满意管理的基础工作），它们都与“弥补行为差距靠人”有关：
#
# 1. 为什么领导的认同与参与对开展顾客满意管理如此重要？
# 2. 结合你所学的知识，说说哪些企业已经建立了以顾客满意为导向的组织文化？
# 3. 如何建立面向顾客的敏捷型组织？
# 4. 为什么员工的综合素质对企业开展顾客满意管理如此重要？如何提高他们的综合素质？
#
# 再补充一道本章模型的题目：
#
# 5. 一家快递公司的问卷显示可靠性的 P − E 最负。仅凭这一点，你能判断是五种差距中的哪一种造成的吗？还需要收集哪些数据？
#
# <details><summary>参考答案</summary>
#
# 1. 教材给出三点：一种管理模式实施的成败直接关系到企业未来的生存与发展；领导者，尤其是高层领导，具有“示范效应”；
#    领导的参与有助于解决许多实际问题。从差距模型看，理解差距和程序差距都出在管理层。
# 2. 例如课程提到的麦当劳、新加坡航空、香格里拉饭店。教材说建立顾客满意的组织文化要：高层领导起重要作用；
#    让员工尽量参与；选择有利的时机发起；提供资源与技能培训等“配套措施”。这种文化既追求外部顾客的满意，也追求内部顾客的满意。
# 3. 教材给出两条：组织结构扁平化、职位再设计——让一线掌握信息和决策权，缩短顾客信息到决策的距离。
# 4. 服务在员工与顾客接触的“真实瞬间”完成，员工的能力和态度直接决定行为差距。教材给出两条：提高员工的专业技能，
#    提升员工的服务理念；再加上按服务能力招聘、授权、支持系统和留住优秀员工。
# 5. 不能。问卷只测到顾客的 P − E。要找原因，需要管理层对顾客期望的估计（理解差距）、服务标准（程序差距）、
#    实际提供的服务，如神秘顾客或系统记录（行为差距和感受差距）、广告和承诺的内容（促销差距）。
# </details>
#
# ## 练习（讨论）
#
# 在五种差距的例题中，把 q5 的 `delivered`（实测服务）从 4.0 提高到 5.0，哪几种差距会改变？
#
# <details><summary>参考答案</summary>
#
# 用到“实际提供”的三种：促销差距（实际提供 − 承诺）和行为差距（实际提供 − 标准）在 q5 上各增加 1，
# 感受差距（感受到的 − 实际提供）减少 1——直到顾客重新感受、问卷更新之前，顾客感受到的服务还没有跟上。
# 理解差距、程序差距和顾客的 P − E 不变。
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
# | 促销差距 | promotion (communication) gap |
# | 理解差距 | understanding gap |
# | 程序差距 | procedure gap |
# | 行为差距 | behaviour (delivery) gap |
# | 感受差距 | perceived-vs-delivered gap |
# | 授权 | empowerment |
# | 神秘顾客 | mystery shopper |
