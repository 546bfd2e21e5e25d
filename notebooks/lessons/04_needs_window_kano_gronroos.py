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
# # 第 4 章　需要之窗、Kano 与 Grönroos 感知服务质量
#
# 同样是“差距为零”，有的需求做到了顾客根本不会注意，有的做到了顾客会喜出望外。
# 本章先用课程的**客户需要之窗**和 Kano 模型区分不同性质的需求，
# 再介绍 Grönroos 的**顾客感知服务质量**模型：顾客感受到的质量，既看“提供了什么”，也看“怎样提供”，还要透过企业形象这层滤镜。
#
# ## 学习目标
#
# 1. 画出客户需要之窗，说出四个格子的名称：本该如此、大势不好、喜出望外 / 多此一举、无伤大雅；
# 2. 说出期望的三个层次：基本期望、满意期望、惊喜期望，并把它们对应到 Kano 的必备、期望、魅力属性；
# 3. 会用 `kano_classify` 从正反两问的问卷中判定属性类别，会用 `needs_window` 放进需要之窗；
# 4. 说明 Grönroos 模型中的期望服务、体验服务、技术质量、功能质量和企业形象；
# 5. 会用 `perceived_quality` 在真实调查数据上估计技术质量与功能质量的作用，并检验形象的“过滤”作用。

# %% tags=["parameters"]
lang = "zh"
title = "需要之窗、Kano 与 Grönroos 感知服务质量"
n_respondents = 60  # Kano 问卷的受访人数
seed = 3
kano_noise = 0.2  # 动手试一试：随意作答的比例（0–1），改成 0.6 看看分类还稳不稳
wifi_provided = True  # 动手试一试：航空公司是否提供机上 Wi-Fi

# %%
import warnings

from csworkbench import plots
from csworkbench.datasets import load_mobi
from csworkbench.datasets.servqual import make_kano_survey
from csworkbench.gaps import kano_classify, kano_figure, needs_window, perceived_quality

warnings.simplefilter("ignore")
plots.apply_theme()

# %% [markdown]
# ## 4.1 客户需要之窗
#
# 课程用一个二乘二的“窗口”来看需求：行是企业**提供 / 不提供**，列是顾客**想要 / 没想到**。
#
# | 企业 \ 顾客 | 想要 | 没想到 |
# |---|---|---|
# | **提供** | 本该如此 | 喜出望外（或者多此一举） |
# | **不提供** | 大势不好 | 无伤大雅 |
#
# * 顾客想要、企业也提供：**本该如此**，顾客不会因此特别感激；
# * 顾客想要、企业却不提供：**大势不好**，这是不满意的直接来源；
# * 顾客没想到、企业提供了：如果正中下怀就**喜出望外**，如果顾客并不需要就是**多此一举**（白花成本）；
# * 顾客没想到、企业也没提供：**无伤大雅**。
#
# 顾客的期望有三个层次：**基本期望**（理所当然要有的）、**满意期望**（越多越好的）、**惊喜期望**（没想到的惊喜）。
# 这正是 Kano 模型的必备属性、期望属性和魅力属性，课程换了一种说法而已。
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
kano.summary().round(2)

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
# 安全是必备属性：做到了只是“本该如此”，没做到就是“大势不好”。准点是期望属性，越准点越满意。
# 机上 Wi-Fi 是魅力属性，提供了就“喜出望外”。标志颜色顾客无所谓——在它上面花大钱就是“多此一举”。
# 要注意期望的**动态性**（第 1 章）：今天的魅力属性，几年后可能变成必备属性。
#
# ## 4.3 Grönroos 的顾客感知服务质量
#
# Grönroos（1982）认为，顾客感知的服务质量是**期望的服务**与**体验的服务**比较的结果：
#
# * 期望的服务受市场沟通（广告、承诺）、口碑、顾客需要和过去经验影响；
# * 体验的服务由两部分组成：**技术质量**——顾客得到了**什么**（结果），**功能质量**——服务是**怎样**提供的（过程）；
# * 两者都要透过**企业形象**这个**过滤器**：形象好，小小的失误会被原谅；形象差，失误会被放大。
#
# ### 例题：移动通信公司的调查（ECSI 手机数据）
#
# 这是 Tenenhaus 等人（2005）分析过的 250 位手机用户的真实调查（1–10 分）。我们把“网络的技术质量”（PERQ2）
# 和“可靠性”（PERQ6）当作技术质量，把“客户服务与个人建议”（PERQ3）和“信息清晰”（PERQ7）当作功能质量，
# IMAG1–5 是企业形象，PERQ1 是总体感知质量。

# %%
mobi = load_mobi()
gronroos = perceived_quality(
    mobi, technical=["PERQ2", "PERQ6"], functional=["PERQ3", "PERQ7"],
    image=["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"], overall="PERQ1", lang=lang,
)
gronroos.coefficients.round(3)

# %%
print(gronroos.reading)

# %% [markdown]
# 在这份数据中，技术质量、功能质量和形象都显著地影响总体感知质量；形象与两种质量的交互项不显著，
# 也就是说，数据没有显示出形象“过滤”的作用——课程的论断在这里没有得到支持，这本身就是一个值得讨论的结果。
# 结论只适用于这家公司和这份样本。
#
# ## 4.4 动手试一试
#
# 1. 把参数 `kano_noise` 从 0.2 改成 0.6（更多受访者随意作答），再运行：哪些功能的类别开始变得不稳定？
# 2. 把 `wifi_provided` 改成 `False`，Wi-Fi 在需要之窗里落到哪个格子？

# %%
window[["feature", "category", "provided", "window"]]

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
# ## 练习
#
# 1. 根据 4.2 的结果，哪项服务的 `worse` 绝对值最大？这说明什么？
# 2. 在 4.3 的结果中，技术质量和功能质量哪个系数更大？如果你是这家公司的经理，先改进哪一方面？
#
# <details><summary>参考答案</summary>
#
# 1. 安全（必备属性）：不提供时满意度会大幅下降，它是最不能出错的基本期望。
# 2. 技术质量的系数（约 0.32）大于功能质量（约 0.18），两者的置信区间都在 0 以上。
#    单看系数应先保证网络质量和可靠性；但决策还要结合改进的成本和当前得分（第 11 章的重要性–表现分析）。
# </details>

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
