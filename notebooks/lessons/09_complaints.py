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
# # 第 9 章　顾客抱怨：分类、记录、排列图与处理
#
# **顾客抱怨**不是麻烦，而是宝贵的信息。教材说，顾客抱怨管理是顾客满意管理中最为重要的工作之一：顾客的抱怨行为最真实、
# 直接地反映了顾客对产品或服务的态度，直接暴露出产品或服务的质量信息。本章讲抱怨按不满意的程度分为哪几类、
# 投诉型和非投诉型抱怨的区别、一份投诉记录应当包含什么、怎样分类统计和用**排列图**找出主要问题，以及处理抱怨的流程。
#
# **怎样做本章的练习**：标着“练习（写代码）”的题目下面，有一个折叠起来的参考答案单元格（标签 `solution` 和 `hide-input`，
# 在 JupyterLab 中输入区默认收起）和一个自检单元格（`assert`）。先在参考答案上方插入一个新单元格写出你的代码并运行，
# 再运行自检单元格。卡住时再展开参考答案。“试一试”的控件在 JupyterLab 中选好参数后点“运行”即可看到结果（无界面批量执行时不会自动运行）。
#
# ## 学习目标
#
# 1. 按不满意的程度说出顾客抱怨行为的五类，区分非投诉型抱怨和投诉型抱怨；
# 2. 说出一份投诉记录应包含的内容，并注意保护投诉人的个人信息；
# 3. 先用 pandas 手算、再用 `complaint_pareto` 画排列图，找出“关键的少数”；
# 4. 说出投诉型抱怨信息的处理流程和非投诉型抱怨信息的管理流程，会用 `resolution_sla` 检查处理时限；
# 5. 说出收集顾客信息的六个渠道、高质量信息的两个特点和几种调查方法。

# %% tags=["parameters"]
lang = "zh"
title = "顾客抱怨：分类、记录、排列图与处理"
n_complaints = 400  # 模拟的记录数
seed = 0
vital_share = 80.0  # 动手试一试：排列图中“关键的少数”的累计百分比界线
silent_share = 0.95  # 不满意顾客中从不投诉的比例

# %%
import ipywidgets as widgets
import pandas as pd
from IPython.display import Markdown, display

from csworkbench import plots
from csworkbench.complaints import (
    category_label,
    complaint_counts,
    complaint_pareto,
    escalation_level,
    evaluate,
    mask_complaints,
    pareto_figure,
    resolution_sla,
    silent_dissatisfied,
)
from csworkbench.datasets.complaints import make_complaints
from csworkbench.i18n import t
from csworkbench.reporting.display import show_table

plots.apply_theme()

# %% [markdown]
# ## 9.1 顾客抱怨的分类
#
# GB/T 19000-2000 标准的注释指出，“顾客抱怨是一种满意程度低的最常见表达方式”，但没有抱怨并不一定表明顾客很满意。
# 教材说，顾客的抱怨行为按照其不满意的程度可分为以下几类：
#
# | 程度 | 顾客的行为 |
# |---|---|
# | 1 | 虽然内心不满，但不采取任何行动 |
# | 2 | 不再重复购买，即不再购买该品牌的产品（或不再光顾该企业） |
# | 3 | 向亲友传递不满信息 |
# | 4 | 向企业、顾客权益保护机构、舆论媒体等表示不满或提出相应要求，如以相关的法律、企业内部标准、合同等为基准向企业提出索赔要求 |
# | 5 | 不满意的程度很强烈时，采取法律行动，向仲裁机构申请仲裁或向法院起诉 |
#
# 教材又把顾客抱怨分为两类：**非投诉型**抱怨和**投诉型**抱怨。前三类行为，顾客没有向企业或任何机构提出，企业听不到，
# 只能靠自己去发现（调查、回访、观察）；第四、五类是顾客主动提出的投诉。所以，**企业收到的投诉本身就已经是第四或第五类**——
# 投诉里写着“我已经告诉朋友”“以后不买了”，说明的是顾客还做了什么，而不是把这起投诉降成了第二、三类。
#
# ## 9.2 投诉记录
#
# 教材列出一份投诉记录应当包括：投诉者姓名、联系方式；投诉发生的年月日；商品名称、制造**批次编号**，或特定的服务行为、服务人员
# （姓名或服务工号）；商品使用状况、年限，或服务态度、服务质量、收费价格、环境、设施；所投诉事件的过程描述；顾客的损失及要求；
# 投诉**受理者**。
#
# 下面是一家企业一年的模拟记录（`make_complaints`）。记录来自不同的渠道：热线、门店、邮件、App、消费者协会、媒体是顾客
# 主动提出的投诉；律师函、仲裁、法院是法律行动；另有一部分是企业自己通过满意度调查、访谈和社交媒体发现的不满。
# 记录里有姓名、电话等个人信息，给别人看之前要先脱敏（`mask_complaints`）。下面每类投诉内容各取一条：

# %%
complaints = make_complaints(n_complaints, random_state=seed)
examples = mask_complaints(complaints.groupby("category").head(1))
examples[
    [
        "complaint_id",
        "complainant",
        "contact",
        "date",
        "product",
        "batch",
        "staff_id",
        "story",
        "loss",
        "request",
        "receiver",
    ]
]

# %% [markdown]
# ### 这些记录属于哪一类？
#
# 按课程的分类，用渠道来判断：调查、访谈和社交媒体上发现的不满是**非投诉型**（顾客没有向企业提出）；
# 其余是**投诉型**，其中律师函、仲裁、法院是第五类（法律行动），其他是第四类。用 pandas 分一下：

# %%
kind_of_channel = {
    "survey": "非投诉型（企业调查、访谈发现）",
    "interview": "非投诉型（企业调查、访谈发现）",
    "social_media": "非投诉型（顾客向亲友、网友传递不满）",
}
complaints["抱怨类型"] = complaints["channel"].map(kind_of_channel).fillna("投诉型：第四类（向企业或机构提出）")
complaints.loc[complaints["channel"].isin(["lawyer_letter", "arbitration", "court"]), "抱怨类型"] = (
    "投诉型：第五类（法律行动）"
)
kinds = complaints["抱怨类型"].value_counts()
# 包里的 escalation_level 按同一规则判断：经投诉渠道收到的记录至少是第四类
package_levels = escalation_level(complaints)["level"]
assert ((package_levels >= 4) == complaints["抱怨类型"].str.startswith("投诉型")).all(), (
    "手算与 escalation_level 不一致"
)
kinds

# %%
voiced = int(complaints["抱怨类型"].str.startswith("投诉型").sum())
estimate = silent_dissatisfied(voiced, silent_share=silent_share).set_index("quantity")["value"]
display(
    Markdown(
        f"{len(complaints)} 条记录中，投诉型 {voiced} 条（第五类 {kinds.get('投诉型：第五类（法律行动）', 0)} 条），"
        f"非投诉型 {len(complaints) - voiced} 条是企业自己发现的。按 {silent_share:.0%} 的不满顾客不投诉推算，"
        f"{voiced} 起投诉背后约有 {estimate['dissatisfied']:,.0f} 位不满意的顾客，其中约 {estimate['silent']:,.0f} 位停留在"
        "前三类——企业主动发现的只是其中很小一部分。"
    )
)

# %% [markdown]
# ## 9.3 分类统计与排列图
#
# 教材说，投诉可以按投诉内容、质量缺陷、产品、投诉发生区域、**责任部门**进行分类分析。对顾客投诉进行分析最常用的工具是
# **排列图**法：排列图由两个纵坐标、几个直方块和一条折线构成——直方块按类别从多到少排列，折线是累计百分比（右侧坐标轴）。
# 累计到 80 % 左右的几类就是“关键的少数”，应当优先解决。
#
# ### 先用 pandas 手算

# %%
counts = complaints["category"].value_counts()
by_hand = pd.DataFrame({"count": counts, "percent": counts / counts.sum() * 100})
by_hand["cumulative_percent"] = by_hand["percent"].cumsum()
by_hand.round(2)

# %% [markdown]
# ### 再用 `complaint_pareto`

# %%
pareto = complaint_pareto(complaints, "category", vital_share=vital_share)
check = pareto.set_index("category")[["count", "percent", "cumulative_percent"]]
assert (check["count"] == by_hand["count"].reindex(check.index)).all()
assert (check["cumulative_percent"] - by_hand["cumulative_percent"].reindex(check.index)).abs().max() < 1e-9
show_table(
    pareto.assign(类别=[t(f"complaints.category.{c}", lang) for c in pareto["category"]])[
        ["类别", "count", "percent", "cumulative_percent", "vital"]
    ],
    lang=lang,
    labels={"count": "件数", "percent": "占比（%）", "cumulative_percent": "累计（%）", "vital": "关键的少数"},
)

# %%
pareto_figure(pareto, "category", lang=lang, vital_share=vital_share).show()

# %%
vital = pareto[pareto["vital"]]
display(
    Markdown(
        f"手算与 `complaint_pareto` 一致。累计到 {vital_share:.0f} % 的“关键的少数”是："
        + "、".join(t(f"complaints.category.{c}", lang) for c in vital["category"])
        + f"，共 {len(vital)} 类，合计占 {vital['percent'].sum():.1f} % 的记录。"
    )
)

# %% [markdown]
# **动手试一试**：换一个分类角度（责任部门、区域、产品），或者移动“关键的少数”的界线：

# %%
pareto_explorer = widgets.interact.options(manual=True, manual_name="运行")(
    complaint_pareto,
    frame=widgets.fixed(complaints),
    by=widgets.Dropdown(
        options={"投诉内容": "category", "责任部门": "department", "区域": "region", "产品": "product"},
        description="分类",
    ),
    vital_share=widgets.FloatSlider(value=vital_share, min=50.0, max=95.0, step=5.0, description="界线（%）"),
    missing=widgets.fixed("unknown"),
)

# %% [markdown]
# ### 练习 9.1（写代码）
#
# 用 pandas 算出**投诉型**记录中各责任部门的件数，按件数从多到少排成 Series，存入 `by_department`。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
by_department = complaints.loc[complaints["抱怨类型"].str.startswith("投诉型"), "department"].value_counts()
by_department

# %%
expected = complaint_pareto(complaints[complaints["抱怨类型"].str.startswith("投诉型")], "department").set_index(
    "department"
)
assert (by_department.reindex(expected.index) == expected["count"]).all(), "只统计投诉型记录，按责任部门计数"
assert by_department.is_monotonic_decreasing, "按件数从多到少排列"
print(f"自检通过：{category_label(by_department.index[0], lang)}最多，{int(by_department.iloc[0])} 件")

# %% [markdown]
# 再按季度和责任部门统计，定期向管理层报告，明确责任部门和负责人：

# %%
complaint_counts(complaints, by="department", period="Q", wide=True)

# %% [markdown]
# ## 9.4 抱怨信息的处理流程
#
# **投诉型**抱怨信息：每月或每季度进行统计分析（按产品、缺陷、部门、区域等）→ 形成分析报告 → 定期向管理层汇报 →
# 确定负责部门和负责人 → 在限定期限内解决问题 → 衡量解决效果。
#
# **非投诉型**抱怨信息：通过调查收集 → 形成调查报告 → 向管理层汇报 → 发掘问题和顾客潜在需求、实施相应改进 →
# 评价改进实施效果，制定并落实新的改进方案。
#
# 酒店客户服务培训课件先讲了解顾客需求——倾听顾客意见、与顾客主动沟通、关注顾客的每一个细节（喜好、习惯、需求）；
# 它给出的投诉处理步骤是：**分析投诉原因**（找出问题产生的原因）→ 解决问题（采取有效措施，确保顾客满意）→
# **跟进反馈**（对处理结果进行跟进，及时向顾客反馈处理结果）；之后还要定期回访顾客（确定合适的回访时间，通过电话、邮件等方式回访），
# 处理时保持冷静、控制情绪（情绪管理）。每一步都要有时限，`resolution_sla` 检查各步骤在时限内完成的比例（`target_hours` 是目标小时数）：

# %%
sla = resolution_sla(complaints)
show_table(sla, lang=lang)

# %%
slowest = sla.loc[sla["within_sla"].idxmin()]
display(
    Markdown(
        f"在时限内完成比例最低的一步是 `{slowest['step']}`（{slowest['within_sla']:.1%}，目标 {slowest['target_hours']:.0f} 小时）。"
    )
)

# %% [markdown]
# 最后要衡量处理的效果。回访时请顾客给处理结果打分（1–5 分），按处理方式看平均分；还没结案的记录没有分数，保持为空，不计入平均：

# %%
complaints.groupby("resolution")["satisfaction_after"].agg(["count", "mean"]).round(2)

# %% [markdown]
# ### 自动分类
#
# 记录多了，人工分类跟不上。用一部分已分好类的记录训练一个文本分类器，在另一部分记录上检验它的准确程度，
# 并与两个简单的基准（总猜最多的一类；关键词匹配）比较：

# %%
check_models = evaluate(complaints["story"], complaints["category"], n_boot=200, random_state=seed)
check_models.table.round(3)

# %% [markdown]
# 模拟记录的用词很规整，所以关键词匹配也能做得不错；真实投诉的说法五花八门，要在真实记录上重新检验。测试集不大，
# 置信区间很宽，这也提醒我们别只看一个分数。
#
# ## 9.5 顾客信息从哪里来
#
# 教材说，高质量的顾客信息一般有两个特点：信息必须是有价值的；信息必须有尽可能低的成本。企业获得顾客信息的**渠道**主要有：
# 顾客投诉、企业内部、顾客满意度调查、与顾客的直接沟通、各种互联网和新闻媒体的信息、各种**协会**、组织的产品报告。
# 顾客信息管理的目的不仅在于增强企业的“攻击力”，还应包括增强企业自身的“内功”。
#
# 调查方法包括：**问卷调查**（设计问卷，通过邮件、电话、面对面等方式进行）、**访谈**调查（与顾客面对面交流，深入了解需求和意见）、
# **观察**调查（通过实地观察，了解顾客对产品或服务的实际使用情况）和数据分析（对已有的数据进行深入分析）。

# %% [markdown]
# ## 思考题
#
# 以下三题来自教材第四章（推进顾客满意的**顾客信息管理**）：
#
# 1. 简述企业获得各类顾客信息的方法以及这些方法的优缺点。
# 2. 简述企业进行有效的顾客信息管理对推进顾客满意的作用。
# 3. 简述对投诉型与非投诉型顾客抱怨信息管理的内容与方法。
#
# 再补充一题：
#
# 4. 排列图显示“产品质量”投诉最多。只凭这一点就把所有资源投到质量部，有什么问题？还应看哪些数据？
#
# <details><summary>参考答案</summary>
#
# 1. 顾客投诉（直接、及时，但只代表少数会开口的人）；企业内部记录（客观、便宜，但说明不了原因）；
#    满意度调查（系统、可比，但成本较高、回答可能敷衍）；与顾客的直接沟通（深入、真实，但样本小、难以统计）；
#    互联网和新闻媒体（量大、及时，但真假混杂）；各种协会、组织的产品报告（有行业对比，但不够具体）。
# 2. 教材说，顾客信息管理既要增强企业的“攻击力”——充分利用顾客信息，经常、主动地向老顾客提供高品质服务，积极开展营销拓展新客源，
#    又要增强自身的“内功”；最终目的是在顾客满意提高的同时让企业获得丰厚的回报。
# 3. 投诉型：记录、按内容 / 缺陷 / 产品 / 区域 / 责任部门分类统计，用排列图找关键问题，形成报告、确定责任人、限期解决、衡量效果；
#    非投诉型：主动调查，形成调查报告，向管理层汇报，发掘问题和潜在需求并改进，评价改进效果、制定新的改进方案。
# 4. 件数不等于损失大小：还应看每类投诉的严重程度（第四类还是第五类、损失金额）、趋势、处理成本，
#    以及没有投诉的顾客可能在抱怨什么（调查数据）。另外，排列图的分类方式本身也会影响结论。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 顾客抱怨 | customer complaints |
# | 非投诉型抱怨 / 投诉型抱怨 | non-complaint / complaint-type dissatisfaction |
# | 仲裁 / 起诉 | arbitration / lawsuit |
# | 投诉记录 | complaint record |
# | 批次编号 | batch number |
# | 投诉受理者 | receiver (who took the complaint) |
# | 责任部门 | responsible department |
# | 排列图（帕累托图） | Pareto chart |
# | 关键的少数 | the vital few |
# | 处理时限 | service-level target (SLA) |
# | 信息渠道 | information channels |
# | 顾客信息管理 | customer information management |
# | 问卷调查 / 访谈 / 观察 | questionnaire survey / interview / observation |
# | 个人信息脱敏 | masking personal data |
