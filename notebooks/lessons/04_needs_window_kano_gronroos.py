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
# # 第 4 章　需要之窗、Kano 与 Grönroos 感知服务质量
#
# 同样是“差距为零”，有的需求做到了顾客根本不会注意，有的做到了顾客会喜出望外。
# 本章先用课程的**客户需要之窗**和 Kano 模型区分不同性质的需求，
# 再介绍 Grönroos 的**顾客感知服务质量**模型：顾客感受到的质量，既看“提供了什么”，也看“怎样提供”，还要透过企业形象这层滤镜。
#
# **怎样做本章的练习**：标着“练习（写代码）”的题目下面，有一个折叠起来的参考答案单元格（标签 `solution` 和 `hide-input`，
# 在 JupyterLab 中输入区默认收起）和一个自检单元格（`assert`）。先在参考答案上方插入一个新单元格写出你的代码并运行，
# 再运行自检单元格。卡住时再展开参考答案。“试一试”的控件在 JupyterLab 中选好参数后点“运行”即可看到结果（无界面批量执行时不会自动运行）。
#
# ## 学习目标
#
# 1. 画出客户需要之窗，说出四个格子的名称：本该如此、大势不好、喜出望外 / 多此一举、无伤大雅；
# 2. 说出客户期望的三个层次：基本期望值、令人满意的服务、意外的惊喜，并把它们对应到 Kano 的必备、期望、魅力属性；
# 3. 会用 `kano_classify` 从正反两问的问卷中判定属性类别，会用 `needs_window` 放进需要之窗；
# 4. 说明 Grönroos 模型中的预期服务及其影响因素（哪些可控、哪些不可控）、体验服务、技术质量、功能质量和企业形象的过滤作用；
# 5. 会用 `perceived_quality` 在真实调查数据上估计技术质量与功能质量的作用，并检验形象的“过滤”作用。

# %% tags=["parameters"]
lang = "zh"
title = "需要之窗、Kano 与 Grönroos 感知服务质量"
n_respondents = 60  # Kano 问卷的受访人数
seed = 3
kano_noise = 0.2  # 动手试一试：随意作答的比例（0–1），改成 0.6 看看分类还稳不稳
wifi_provided = True  # 动手试一试：航空公司是否提供机上 Wi-Fi

# %%
import ipywidgets as widgets
from IPython.display import Markdown, display
from csworkbench import plots
from csworkbench.datasets import load_mobi
from csworkbench.datasets.servqual import make_kano_survey
from csworkbench.gaps import kano_classify, kano_figure, needs_window, perceived_quality
from csworkbench.reporting.display import show_table

plots.apply_theme()

# %% [markdown]
# ## 4.1 客户需要之窗
#
# 课程说，客户对服务的评价（满意度）取决于服务前的期望与实际所受到的服务。它用一个二乘二的“窗口”来看需求：
# 行是企业**加以提供 / 没有提供**，列是**客户希望得到的 / 客户没有想到的**。
#
# | 企业 \ 客户 | 客户希望得到的 | 客户没有想到的 |
# |---|---|---|
# | **加以提供** | 本该如此 | 喜出望外？多此一举？ |
# | **没有提供** | 大势不好 | 无伤大雅 |
#
# * 客户希望得到、企业也提供：**本该如此**，客户不会因此特别感激；
# * 客户希望得到、企业却没有提供：**大势不好**，这是不满意的直接来源；
# * 客户没有想到、企业提供了：正中下怀就**喜出望外**，客户并不需要就是**多此一举**（白花成本）——课程在这一格打了两个问号；
# * 客户没有想到、企业也没提供：**无伤大雅**。
#
# 客户的期望有三个层次：第一层次是**基本期望值**——客户希望的最低水平；其上是**令人满意的服务**；再往上是**意外的惊喜**。
# 这对应 Kano 模型的必备属性、期望属性和魅力属性。
#
# ## 4.2 Kano 问卷
#
# Kano 问卷对每项功能问两个问题：“如果有这项功能，你觉得怎样？”（正向）和“如果没有，你觉得怎样？”（反向），
# 答案从“喜欢、理所当然、无所谓、能忍受、不喜欢”中选（代码 1–5）。两个答案一组合，就能查表判定类别。
#
# 下面是一家航空公司对五项服务的模拟调查：机上 Wi-Fi、准点、安全、标志颜色、机上大声放音乐。

# %%
kano_answers = make_kano_survey(n_respondents, random_state=seed, noise=kano_noise)
kano_answers.head()

# %%
kano = kano_classify(kano_answers, lang=lang)
show_table(
    kano.summary()[["feature", "n", "A", "O", "M", "I", "R", "Q", "category_name", "better", "worse"]],
    lang=lang,
    labels={"n": "人数", "category_name": "类别", "better": "满意系数 Better", "worse": "不满意系数 Worse"},
)

# %% [markdown]
# `A, O, M, I, R, Q` 是每种类别的回答占比；`category` 取最多的一类。`better`（满意系数）表示提供后满意度能升多少，
# `worse`（不满意系数）表示不提供时满意度会掉多少。在 Better–Worse 图上，右上是期望属性，左上是魅力属性，右下是必备属性：

# %%
kano_figure(kano.features, lang=lang).show()

# %% [markdown]
# 再告诉 `needs_window` 航空公司目前提供了哪些服务，就能得到每项服务在需要之窗中的位置：

# %%
window = needs_window(
    kano.features,
    {"wifi_on_board": wifi_provided, "on_time": True, "safety": True, "logo_colour": True, "loud_music": False},
    lang=lang,
)
window

# %% [markdown]
# 各项服务落在哪一格，由 Kano 的类别和是否提供共同决定（上表）。要注意期望的**动态性**（第 1 章）：
# 今天的魅力属性，几年后可能变成必备属性。
#
# **试一试**：航空公司如果不提供机上 Wi-Fi、或者开始在机上大声放音乐，它们落到哪一格？

# %%
offers = {"wifi_on_board": True, "on_time": True, "safety": True, "logo_colour": True, "loud_music": False}
window_explorer = widgets.interact.options(manual=True, manual_name="运行")(
    needs_window,
    summary=widgets.fixed(kano.features),
    lang=widgets.fixed(lang),
    provided=widgets.Dropdown(
        options={
            "现状": offers,
            "不提供 Wi-Fi": {**offers, "wifi_on_board": False},
            "机上大声放音乐": {**offers, "loud_music": True},
        },
        description="情形",
    ),
)

# %% [markdown]
# ### 练习 4.1（写代码）
#
# Better 和 Worse 系数可以从各类回答的占比手算：Better = (A + O) / (A + O + M + I)，Worse = −(O + M) / (A + O + M + I)。
# 用 `kano.summary()` 中的 `A`、`O`、`M`、`I` 列算出每项服务的两个系数，存成 DataFrame `my_coefficients`（列 `better`、`worse`）。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
shares = kano.summary().set_index("feature")
base = shares["A"] + shares["O"] + shares["M"] + shares["I"]
my_coefficients = shares.assign(better=(shares["A"] + shares["O"]) / base, worse=-(shares["O"] + shares["M"]) / base)[
    ["better", "worse"]
]
my_coefficients.round(3)

# %%
reference = kano.summary().set_index("feature")
assert (my_coefficients - reference[["better", "worse"]]).abs().max().max() < 1e-9, "检查分母：只用 A、O、M、I"
most_feared = reference["worse"].idxmin()
display(
    Markdown(
        f"自检通过。不提供时满意度掉得最多的是 **{most_feared}**（{reference.loc[most_feared, 'category_name']}，"
        f"Worse = {reference.loc[most_feared, 'worse']:.2f}）：它是最不能出错的基本期望值。"
    )
)

# ## 4.3 Grönroos 的顾客感知服务质量
#
# 克格鲁诺斯（Grönroos）1982 年最早提出顾客感知服务质量模型：服务质量是一个主观范畴，它取决于顾客对服务的**预期**同顾客
# **实际体验**到的服务水平之间的对比。体验符合或高于预期，顾客获得较高的满意度或质量惊喜；反之则认为服务质量较低。
#
# * **预期服务**受四个因素影响：顾客经验（不可控）、口碑（间接受企业控制，受外部条件影响）、顾客需求（不可控，
#   由顾客特定的身体、心理、社会特征产生）、企业的营销沟通（直接受企业控制，包括**明确的服务承诺**——广告、人员推销等陈述，
#   和**暗示的服务承诺**——价格、与服务有关的有形物等）；
# * 服务质量包括两个基本方面：**技术质量**（结果质量）——顾客在服务结束后得到了**什么**（WHAT），如服务本身的质量标准、
#   环境条件、网点设置、服务项目、服务时间、服务设备；**功能质量**（过程质量）——企业**如何**提供服务、顾客如何得到服务（HOW），
#   涉及服务人员的仪表仪态、服务态度、服务程序和服务行为，更具无形的特点，难以客观评价，由顾客的主观感受占主导；
# * **企业形象的过滤作用**：形象良好，形象就是企业的保护伞，一些小的瑕疵可能被忽略，但问题频出则会破坏形象；
#   形象不佳，**过滤器**就发挥负面作用，任何细微的失误都会给顾客造成很坏的印象。
#
# ### 例题：移动通信公司的调查（ECSI 手机数据）
#
# 这是 Tenenhaus 等人（2005）分析过的手机用户真实调查（1–10 分）。我们把“网络的技术质量”（PERQ2）
# 和“可靠性”（PERQ6）当作技术质量，把“客户服务与个人建议”（PERQ3）和“信息清晰”（PERQ7）当作功能质量，
# IMAG1–5 是企业形象，PERQ1 是总体感知质量。

# %%
mobi = load_mobi()
gronroos = perceived_quality(
    mobi,
    technical=["PERQ2", "PERQ6"],
    functional=["PERQ3", "PERQ7"],
    image=["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"],
    overall="PERQ1",
    lang=lang,
)
gronroos.coefficients.round(3)

# %%
print(gronroos.reading)

# %% [markdown]
#
# %%
coef = gronroos.coefficients
display(
    Markdown(
        f"样本 {len(mobi)} 位用户。系数表中置信区间不含 0 的项："
        + "、".join(
            str(term)
            for term, low, high in zip(coef.iloc[:, 0], coef["ci_low"], coef["ci_high"])
            if low > 0 or high < 0
        )
        + "。形象与两种质量的交互项若不显著，数据就没有显示出形象的“过滤”作用——课程的论断在这里没有得到支持，"
        "这本身就是一个值得讨论的结果；结论只适用于这家公司和这份样本。"
    )
)

# %% [markdown]
# ## 4.4 动手试一试
#
# 1. 把参数 `kano_noise` 改大（如 `0.6`，更多受访者随意作答），再运行：哪些功能的类别开始变得不稳定？
# 2. 把 `wifi_provided` 改成 `False`，Wi-Fi 在需要之窗里落到哪个格子？

# %%
show_table(
    window[["feature", "category", "provided", "window"]],
    lang=lang,
    labels={"category": "Kano 类别", "provided": "是否提供"},
)

# %% [markdown]
# ## 思考题
#
# 1. 一家酒店把“免费早餐”从魅力属性做成了行业标配。按需要之窗，它现在处在哪一格？酒店还应该怎么做？
# 2. 为什么说“多此一举”的格子也值得企业认真对待？请结合资源有限（第 2 章）来回答。
# 3. 银行柜员办错了一笔转账但态度很好、立刻纠正。这次服务的技术质量和功能质量各如何？企业形象会怎样影响顾客的评价？
# 4. 如果一份调查中形象与功能质量的交互项显著为负，它说明了什么？
#
# <details><summary>参考答案</summary>
#
# 1. 已成为顾客“想要”的基本或满意期望，提供了是“本该如此”，不提供就是“大势不好”。酒店不能取消早餐，
#    应在早餐品质上保持水准，同时寻找新的魅力属性来制造惊喜。
# 2. 多此一举的投入不会提升满意度，却占用了本该用在关键体验上的资源；定期用 Kano 问卷识别并削减这类投入，等于降低成本。
# 3. 技术质量差（结果出错），功能质量好（态度、及时纠正）。形象好的银行，顾客更可能原谅这次失误；
#    形象差的银行，顾客会把它看作“果然不靠谱”的证据。
# 4. 形象越好，功能质量（服务过程）对总体感知质量的影响越小：好形象“缓冲”了服务过程中的不足，
#    这正是课程所说“形象是过滤器、好形象原谅小失误”的定量证据。
# </details>
#
# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 客户需要之窗 | the customer-needs window |
# | 本该如此 | as it should be |
# | 大势不好 | bad (wanted but not provided) |
# | 喜出望外 | pleasant surprise |
# | 多此一举 | superfluous |
# | 无伤大雅 | harmless |
# | 基本期望 / 满意期望 / 惊喜期望 | basic / satisfying / delight expectations |
# | Kano 模型（卡诺模型） | the Kano model |
# | 必备属性 / 期望属性 / 魅力属性 | must-be / one-dimensional / attractive quality |
# | 无差异属性 / 反向属性 | indifferent / reverse quality |
# | 满意系数 / 不满意系数 | Better / Worse coefficients |
# | 顾客感知服务质量 | perceived service quality (Grönroos) |
# | 技术质量 | technical quality (what) |
# | 功能质量 | functional quality (how) |
# | 企业形象 | corporate image |
# | 过滤器 | filter |
# | 口碑 | word of mouth |
