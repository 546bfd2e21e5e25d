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
# # 第 11 章　满意度驱动因素与 ECSI 模型
#
# 前面各章分别讲了期望、感知质量、价值、满意和忠诚。最后一章把它们放进同一个模型：
# 课程所说的**顾客满意度研究模型**，要回答“哪些因素驱动满意、满意又怎样影响忠诚”，
# 从而把钱花在最划算的驱动因素上。我们先用回归、相对权重和优势分析找出关键驱动因素，
# 再用欧洲顾客满意度指数（ECSI）模型和 PLS 路径分析，把整条因果链一起估计出来。
#
# **怎样做本章的练习**：标着“练习（写代码）”的题目下面，有一个折叠起来的参考答案单元格（标签 `solution` 和 `hide-input`，
# 在 JupyterLab 中输入区默认收起）和一个自检单元格（`assert`）。先在参考答案上方插入一个新单元格写出你的代码并运行，
# 再运行自检单元格。卡住时再展开参考答案。“试一试”的控件在 JupyterLab 中选好参数后点“运行”即可看到结果（无界面批量执行时不会自动运行）。
#
# ## 学习目标
#
# 1. 说出满意度研究的重要性、顾客满意度研究模型的目的，以及描述性分析、因果分析、预测分析、探索性分析四类分析；
# 2. 说出课程列举的影响客户满意度的因素（产品质量、服务质量、售后服务、客户反馈）、客户服务的流程和员工培训与激励；
# 3. 先用 numpy 手算、再用 `key_drivers` 得到标准化回归系数，会用 `relative_weights`、`dominance` 找出关键驱动因素；
# 4. 画出 ECSI 模型的结构，会用 `PLSPM` 估计路径系数、R² 和 GoF，并用自助法给出置信区间；
# 5. 会用重要性–表现分析（IPMA）决定优先改进哪个因素。

# %% tags=["parameters"]
lang = "zh"
title = "满意度驱动因素与 ECSI 模型"
n_boot = 200  # 动手试一试：自助法（bootstrap）的重抽样次数
seed = 0
drivers = ["IMAG", "EXPE", "QUAL", "VAL"]  # 动手试一试：参与比较的驱动因素

# %%
import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from csworkbench import plots
from csworkbench.datasets import load_ecsi
from csworkbench.drivers import composite_scores, dominance, importance_figure, key_drivers, relative_weights
from csworkbench.pls import PLSPM, construct_label, ecsi_model, ipma_figure, path_model_figure
from csworkbench.reporting.display import show_table

plots.apply_theme()

# %% [markdown]
# ## 11.1 顾客满意度研究模型
#
# 课程从三个角度说明满意度研究的重要性：**消费者**角度——帮助顾客避免因不明智的购买决定而导致的负面后果；
# **公司**角度——满意度的高低直接影响企业的声誉，忠诚顾客的比例是公司获得持续利润的关键；
# **行业**角度——顾客满意度是制定行业政策时必须考虑的衡量因素。
#
# 顾客满意度研究，就是通过对影响顾客满意度的因素进行分析，发现影响因素、顾客满意度及顾客消费行为三者的关系，
# 从而以最优化的成本有效地提升影响满意的关键因素，达到改变消费者行为、建立和提升顾客忠诚、减少顾客抱怨和流失、
# 增加重复购买、创造良好口碑、提升企业竞争能力与盈利能力的目的。研究中用到四类分析：
#
# * **描述性分析**：现状如何？（各项得分、满意率，第 1、3 章）
# * **因果分析**：什么导致了满意？（本章的驱动因素和路径模型）
# * **预测分析**：将来会怎样？（第 7 章的终身价值、第 8 章的决策树）
# * **探索性分析**：数据里有没有我们没想到的结构？（第 8 章的聚类）
#
# 员工服务意识培训课件列出的影响客户满意度的因素有**产品质量**、**服务质量**、**售后服务**和**客户反馈**；
# 提高客户满意度的策略是：建立良好的客户关系、提供优质的产品或服务、及时解决客户问题、持续改进和优化客户服务流程。
# 客户服务流程的各个环节是：接待客户（及时响应，热情服务）→ 了解问题（详细询问，全面掌握）→ 处理问题（快速解决，保证质量）→
# 跟进反馈（持续关注，及时回访）。员工培训的目标是提升员工服务意识、提高客户满意度，内容包括客户服务技巧、沟通技巧、团队协作，
# 方式有线上培训、线下培训、团队分享，周期为每周一次、每次 2 小时左右；激励的方法有奖励制度（奖金、晋升机会）、
# 认可和赞赏、培训和发展机会。客户体验管理则列出产品、服务、关系、便利性、品牌形象、价格六个驱动因素（第 2 章）。
#
# ## 11.2 例题：西班牙一家银行的 ECSI 调查
#
# 银行顾客就六个构念回答了一组题目（0–10 分）：企业形象（IMAG）、顾客期望（EXPE）、感知质量（QUAL）、
# 感知价值（VAL）、顾客满意（SAT）、顾客忠诚（LOY）。先把每个构念的题项取平均：

# %%
survey = load_ecsi()
model_spec = ecsi_model()
scores = composite_scores(survey, model_spec["blocks"])
n_items = sum(len(items) for items in model_spec["blocks"].values())
display(Markdown(f"{len(survey)} 位顾客，{len(model_spec['blocks'])} 个构念，共 {n_items} 道题。"))
scores.describe().round(2)

# %% [markdown]
# ### 关键驱动因素：三种方法
#
# **多元回归**：标准化系数表示“其他因素不变时”每个因素的作用。先用 numpy 手算：把满意和各驱动因素标准化（减均值、除以标准差），
# 再用最小二乘求系数：

# %%
z = (scores - scores.mean()) / scores.std()
X = np.column_stack([np.ones(len(z)), z[drivers].to_numpy()])
beta_by_hand = np.linalg.lstsq(X, z["SAT"].to_numpy(), rcond=None)[0][1:]
pd.Series(beta_by_hand, index=drivers, name="手算的标准化系数").round(3)

# %% [markdown]
# 再用 `key_drivers`，它还给出标准误、置信区间和 VIF。两种算法必须一致：

# %%
regression = key_drivers(scores, "SAT", drivers).coefficients
assert np.allclose(regression.set_index("predictor").loc[drivers, "estimate"].to_numpy(), beta_by_hand, atol=1e-8)
show_table(
    regression,
    lang=lang,
    labels={"estimate": "标准化系数", "ci_low": "95 % 下限", "ci_high": "95 % 上限", "vif": "VIF"},
)

# %% [markdown]
# 驱动因素彼此高度相关（看 VIF）时，回归系数会不稳定，甚至出现负号。

# %% [markdown]
# **相对权重**（Johnson 2000）把模型的 R² 分给各个因素，加起来等于 100 %，不受相关性的干扰；自助法给出置信区间：

# %%
weights = relative_weights(scores, "SAT", drivers, n_boot=n_boot, random_state=seed)
weights.weights.round(3)

# %%
importance_figure(weights, lang=lang, labels={d: construct_label(d, lang) for d in drivers}).show()

# %% [markdown]
# **优势分析**（Budescu 1993）比较每个因素在所有可能的子模型中对 R² 的平均贡献，结果与相对权重非常接近：

# %%
dominance(scores, "SAT", drivers, n_boot=0).general.round(3)

# %% [markdown]
#
# %%
ranked = weights.weights.sort_values("rescaled", ascending=False)
display(
    Markdown(
        "按相对权重排序："
        + "、".join(f"{construct_label(p, lang)}（{w:.1f} %）" for p, w in zip(ranked["predictor"], ranked["rescaled"]))
        + f"。最重要的驱动因素是**{construct_label(ranked['predictor'].iloc[0], lang)}**。"
    )
)

# %% [markdown]
# **试一试**：换一个目标（满意或忠诚）和一组驱动因素，看标准化回归系数怎样变化：

# %%
drivers_explorer = widgets.interact.options(manual=True, manual_name="运行")(
    key_drivers,
    data=widgets.fixed(scores),
    target=widgets.Dropdown(options={"满意 SAT": "SAT", "忠诚 LOY": "LOY"}, description="目标"),
    predictors=widgets.Dropdown(
        options={"形象、期望、质量、价值": ("IMAG", "EXPE", "QUAL", "VAL"), "形象、价值、满意": ("IMAG", "VAL", "SAT")},
        description="驱动因素",
    ),
    method=widgets.fixed("ols"),
    standardize=widgets.fixed(True),
    confidence=widgets.fixed(0.95),
    weights=widgets.fixed(None),
    weight_type=widgets.fixed("sampling"),
)

# %% [markdown]
#
# ## 11.3 ECSI 模型：把整条链一起估计
#
# 回归只看“谁影响满意”，ECSI 模型把因果链完整地写出来：企业形象影响期望、满意和忠诚；期望影响感知质量、感知价值和满意；
# 感知质量影响感知价值和满意；感知价值影响满意；满意影响忠诚。每个构念由几道题测量。
# 我们用 PLS 路径分析（偏最小二乘）来估计，设置与 R 的 plspm 相同（中心化、不标准化）：

# %%
ecsi = PLSPM(**model_spec, scaled=False).fit(survey)
ecsi.summary().round(3)

# %% [markdown]
# 拟合优度 GoF 和 IMAG → EXPE 的路径系数，与 R 软件 plspm 在同一份数据上发表的结果对照：

# %%
imag_expe = float(ecsi.paths_.query("source == 'IMAG' and target == 'EXPE'")["estimate"].iloc[0])
assert round(ecsi.gof_, 4) == 0.6097 and round(imag_expe, 4) == 0.5790, "与 plspm 发表的结果不一致"
display(Markdown(f"GoF = {ecsi.gof_:.4f}，IMAG → EXPE = {imag_expe:.4f}，与 plspm 发表的结果一致。"))

# %%
path_model_figure(ecsi, lang=lang).show()

# %% [markdown]
# 测量模型的质量：Cronbach α 和组合信度（`dg_rho`）都应大于 0.7，平均方差提取量（`ave`）应大于 0.5：

# %%
ecsi.quality_.round(3)

# %% [markdown]
# 路径系数的置信区间用自助法（重抽样 `n_boot` 次）得到；区间不含 0 的路径才算得上可靠：

# %%
ecsi.bootstrap(n_boot=n_boot, random_state=seed, progress=False).paths.round(3)

# %% [markdown]
#
# %%
paths = ecsi.paths_.set_index(["source", "target"])["estimate"]
display(
    Markdown(
        f"结论：满意主要由感知价值驱动（路径 {paths[('VAL', 'SAT')]:.2f}），企业形象也有直接作用（{paths[('IMAG', 'SAT')]:.2f}）；"
        f"期望对满意的直接路径只有 {paths[('EXPE', 'SAT')]:.3f}，它的影响要经过感知质量和感知价值“间接”传到满意。"
        f"满意对忠诚的路径是 {paths[('SAT', 'LOY')]:.2f}，形象对忠诚也有直接作用（{paths[('IMAG', 'LOY')]:.2f}）——"
        "这就是第 5 章服务利润链中“顾客满意 → 顾客忠诚”一环的定量证据。"
    )
)

# %% [markdown]
# ## 11.4 重要性–表现分析：先改进什么？
#
# 重要性是某个因素对满意的总效应，表现是它当前的得分（换算成 0–100）。重要性高、表现低的因素最值得先改进：

# %%
ipma = ecsi.ipma("SAT", scale_min=0, scale_max=10)
ipma.table.round(3)

# %%
ipma_figure(ipma, lang=lang).show()

# %% [markdown]
# 感知价值的重要性最高，表现却和感知质量一样偏低——这家银行最划算的改进方向，是让顾客觉得“物有所值”
# （价格与质量相称、服务和产品对顾客有益），而不是在形象上继续投入。

# %% [markdown]
# ## 11.5 动手试一试
#
# 1. 把 `n_boot` 改小或改大（如 `50`、`1000`），路径系数的置信区间有什么变化？点估计会变吗？
# 2. 把 `drivers` 改成 `["IMAG", "QUAL", "VAL"]`（去掉期望），感知价值的相对权重是多少？

# %%
relative_weights(scores, "SAT", drivers, n_boot=0).weights[["predictor", "rescaled"]].round(1)

# %% [markdown]
# ## 思考题
#
# 1. 回归系数显示期望对满意的作用接近 0，是否说明企业可以不管顾客的期望？请结合三角定律和 ECSI 的间接效应回答。
# 2. 为什么驱动因素之间高度相关时，不能只看回归系数来排序？相对权重解决了什么问题？
# 3. 按 IPMA 的结果，如果这家银行只有一笔预算，你建议投向哪里？还需要什么信息？
# 4. 本章的模型属于课程所说的哪一类分析？它能证明“因果”吗？
#
# <details><summary>参考答案</summary>
#
# 1. 不能。期望对满意的直接作用小，但它通过感知质量和感知价值间接影响满意（`ecsi.effects_` 中的间接效应）；
#    而且按三角定律，期望是差距的一端，期望被抬得过高，同样的表现也会让顾客不满意。
# 2. 相关的驱动因素会“分摊”作用，回归系数随变量的加入或去掉大幅变化，甚至变号；
#    相对权重和优势分析把 R² 公平地分给各因素，排序更稳定，也更容易向管理层解释（百分比之和为 100）。
# 3. 投向感知价值（重要性最高、表现偏低）：如审视收费、提高产品和服务对顾客的实际益处、加强价值沟通。
#    还需要每项改进的成本、可行性，以及不同客户层级（第 6 章）对价值的看法是否一致。
# 4. 它是因果分析（也可用于预测）：模型假定了因果方向，用横截面调查数据估计。调查数据只能说明数据与假定的结构相符，
#    不能单独证明因果；要更有把握，需要实验（第 8 章的实验组和对照组）或纵向数据。
# </details>
#
# ## 练习
#
# ### 练习 11.1（写代码）
#
# 从 `ecsi.effects_` 中取出期望（EXPE）对满意（SAT）的直接效应和总效应，分别存入 `expe_direct` 和 `expe_total`。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
expe_effect = ecsi.effects_.query("source == 'EXPE' and target == 'SAT'").iloc[0]
expe_direct, expe_total = float(expe_effect["direct"]), float(expe_effect["total"])
print(f"期望对满意的直接效应 {expe_direct:.3f}，总效应 {expe_total:.3f}")

# %%
assert abs(expe_direct - paths[("EXPE", "SAT")]) < 1e-12, "直接效应就是 EXPE → SAT 的路径系数"
assert abs(expe_total - expe_direct - float(expe_effect["indirect"])) < 1e-12, "总效应 = 直接效应 + 间接效应"
display(
    Markdown(
        f"自检通过：期望对满意的直接效应是 {expe_direct:.3f}，总效应是 {expe_total:.3f}——"
        f"{'几乎全部' if abs(expe_direct) < 0.1 * abs(expe_total) else '大部分'}来自经由感知质量和感知价值的间接效应。"
    )
)

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 顾客满意度研究模型 | the satisfaction research model |
# | 描述性分析 / 因果分析 | descriptive / causal analysis |
# | 预测分析 / 探索性分析 | predictive / exploratory analysis |
# | 驱动因素 / 关键驱动因素 | drivers / key drivers |
# | 相对权重 | relative weights |
# | 优势分析 | dominance analysis |
# | 欧洲顾客满意度指数（ECSI） | European Customer Satisfaction Index |
# | 企业形象 / 顾客期望 | image / customer expectations |
# | 感知质量 / 感知价值 | perceived quality / perceived value |
# | 偏最小二乘路径模型（PLS-PM） | partial least squares path modelling |
# | 路径系数 | path coefficient |
# | 拟合优度（GoF） | goodness of fit |
# | 组合信度 / 平均方差提取量 | composite reliability / average variance extracted |
# | 自助法 | bootstrap |
# | 直接效应 / 间接效应 / 总效应 | direct / indirect / total effect |
# | 重要性–表现分析（IPMA） | importance–performance map analysis |
