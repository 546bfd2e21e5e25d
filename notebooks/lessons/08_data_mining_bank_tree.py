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
# # 第 8 章　数据挖掘流程与银行决策树
#
# 客户分层不一定要靠人定规则，也可以让数据自己“说话”。本章先介绍课程中（SPSS Clementine 风格的）**数据挖掘**流程，
# 再重现课程里的银行例子：把客户分成**实验组**和**对照组**，在实验组上长出一棵**决策树**，再用对照组验证。
#
# ## 学习目标
#
# 1. 说出数据挖掘的四个阶段：抽样并明确业务问题、探索（选择、预处理、转换）、建模、结果分析；
# 2. 说明为什么要设对照组，以及实验组与对照组“构成相同”指的是什么；
# 3. 会用 `uplift_tree` 检查两组的均衡性、长出决策树、用对照组和留出样本验证每个细分的效果与收益；
# 4. 会用 `rfm` 和 `RFMClusters` 在交易数据上做探索性的客户细分；
# 5. 说出大数据给数据挖掘带来的几个问题：可扩展性、高维、异构数据、分布式数据等。

# %% tags=["parameters"]
lang = "zh"
title = "数据挖掘流程与银行决策树"
n_customers = 8000  # 银行客户数（课程例子是 1,000,000，这里取小样本以便几秒内算完）
max_depth = 3  # 动手试一试：决策树的深度
value_per_response = 200.0  # 每多一位客户响应，银行多赚的钱（元）
cost_per_contact = 10.0  # 向一位客户推销的成本（元）
seed = 0

# %%
import warnings

from csworkbench import plots
from csworkbench.datasets import load_cdnow
from csworkbench.datasets.transactions import make_bank_customers
from csworkbench.tiers import RFMClusters, rfm, uplift_figure, uplift_tree

warnings.simplefilter("ignore")
plots.apply_theme()

# %% [markdown]
# ## 8.1 数据挖掘的流程
#
# 课程以 SPSS Clementine 为例，把数据挖掘分为四个阶段：
#
# 1. **抽样**，并明确业务问题：要回答什么问题？用哪些客户、哪段时间的数据？
# 2. **探索**：选择变量、预处理（缺失、异常、重复）、转换（汇总、分箱、标准化）；
# 3. **建模**：决策树、聚类、回归……；
# 4. **结果分析**：模型的结论是否可靠？能带来多少收益？能否落实到行动？
#
# 这和通用的 CRISP-DM 流程（业务理解 → 数据理解 → 数据准备 → 建模 → 评估 → 部署）是一回事。
#
# ## 8.2 例题：银行的决策树
#
# 课程中的银行有 1,000,000 名账户持有人。它把客户随机分成**实验组**和**对照组**，两组在性别、家庭、年龄、收入上构成相同；
# 向实验组推销一项产品，然后在实验组上长出一棵二叉决策树，用“年龄 < 40、有车、工资 > 30,000、没有孩子、其他流动资产、
# 按时还款”等变量把好客户和差客户分开；最后拿对照组来验证：这些细分真的因为推销而多买了吗（拟合度与收益）？
#
# 我们用模拟数据重现这个过程。数据中已经“埋”好了真相：某些细分对推销的反应更强。

# %%
bank = make_bank_customers(n_customers, random_state=seed)
bank.head()

# %% [markdown]
# 第一步是检查两组是否构成相同（标准化均值差 `smd` 接近 0，检验不显著）。只有构成相同，两组的差别才能归功于推销本身：

# %%
tree = uplift_tree(
    bank, "treatment", "response",
    ["age", "owns_car", "salary", "children", "liquid_assets", "pays_on_time"],
    max_depth=max_depth, value_per_response=value_per_response, cost_per_contact=cost_per_contact,
    feature_labels={"age": "年龄", "owns_car": "有车", "salary": "工资", "children": "有孩子",
                    "liquid_assets": "其他流动资产", "pays_on_time": "按时还款"},
    random_state=seed, lang=lang,
)
tree.balance.round(3)

# %% [markdown]
# 决策树的每片叶子就是一个客户细分。对每个细分，比较实验组（推销了）和对照组（没推销）的响应率，
# 差值就是推销带来的**提升**（uplift），附 95 % 置信区间。`rate_treated_train` 是建树所用实验组客户的响应率；
# `rate_treated` 和提升都是在实验组中留出、没参与建树的客户上算的——这样挑选叶子时不会“自己夸自己”，
# 也能看出树是否只是“记住”了训练数据。`benefit` 是提升 × 每次响应的价值 − 推销成本，再乘以该细分的客户数。

# %%
tree.leaves[["rule", "customers", "rate_treated_train", "rate_treated", "rate_control", "uplift", "ci_low", "ci_high", "benefit"]].round(3)

# %%
uplift_figure(tree, lang=lang).show()

# %% [markdown]
# **结果分析**：排在前面的细分（年轻、工资高的客户）推销后响应率明显高于对照组，置信区间在 0 以上，值得重点推销；
# 排在后面的细分提升接近 0 甚至为负，向他们推销只是花钱。只看实验组的响应率会误导人——
# 有些客户不推销也会买，只有对照组能告诉我们推销“多带来”了多少。

# %% [markdown]
# ## 8.3 探索性细分：RFM 与聚类
#
# 数据挖掘的另一种用法是探索：事先没有假设，让算法把相似的顾客聚在一起。
# 在 CDNOW 的交易上，先算每位顾客的最近一次购买（R）、购买频率（F）和金额（M），再按规则分段：

# %%
scores = rfm(load_cdnow(), lang=lang)
scores.table["segment_label"].value_counts()

# %% [markdown]
# 再用 K 均值聚类，让轮廓系数（silhouette）自动选择簇的个数：

# %%
clusters = RFMClusters(k_range=range(2, 5), random_state=seed, silhouette_sample=1000).fit(scores)
clusters.summary().round(2)

# %% [markdown]
# 聚类把顾客分成了“少数高频、高额、近期还在买的顾客”和“多数只买过一两次、早已沉寂的顾客”——
# 与第 6 章的客户金字塔得出了相似的结论，但这次是数据自己找出来的。
#
# ## 8.4 大数据带来的问题
#
# 课程提醒，数据量变大后，数据挖掘会遇到新的问题：
#
# * **可扩展性**：数据放不进内存，需要抽样、并行和分布式算法；
# * **高维**：变量成百上千，模型难以估计、难以解释；
# * **异构**数据：文本、图像、交易、日志混在一起；
# * 数据的所有权与分布：数据分散在不同地点、归不同部门或企业所有；
# * 非传统的分析：需要新的方法，而不是把传统统计方法原样搬过来。

# %% [markdown]
# ## 8.5 动手试一试
#
# 1. 把 `max_depth` 从 3 改成 1 或 5，叶子数和每片叶子的置信区间怎样变化？树越深越好吗？
# 2. 把 `cost_per_contact` 从 10 改成 40：哪些细分的收益变成了负数，不值得推销了？

# %%
tree.leaves[["rule", "uplift", "benefit_per_customer", "benefit"]].round(2)

# %% [markdown]
# 整棵树也可以打印成文字规则：

# %%
print(tree.rules)

# %% [markdown]
# ## 思考题
#
# 1. 银行为什么不直接在全部客户上建树，而要先分实验组和对照组？如果两组构成不同，会出现什么问题？
# 2. 一个细分在实验组中的响应率高达 30 %，是否说明应该向这个细分推销？还需要什么信息？
# 3. 数据挖掘四个阶段中，你认为哪个阶段最花时间？为什么？
# 4. 决策树和 RFM 聚类分别属于课程所说的哪种分析（描述性、因果、预测性、探索性）？
#
# <details><summary>参考答案</summary>
#
# 1. 没有对照组，就无法区分“因为推销才买”和“本来就会买”。两组构成不同（如实验组更年轻）时，
#    响应率的差别可能来自年龄而不是推销，结论就被混淆了，所以先要检查均衡性。
# 2. 不一定。还要看对照组中同一细分的响应率（提升才是推销的效果）、置信区间是否排除了 0，以及每次推销的成本和每次响应的价值。
# 3. 通常是“探索”（数据选择、清洗、转换），实际项目中往往占一半以上的时间：数据分散、缺失、口径不一，
#    而这一步做不好，后面的模型再好也没用。
# 4. 带对照组的决策树是因果分析兼预测性分析（估计推销的因果效果，并预测新客户属于哪个细分）；
#    RFM 聚类是探索性分析（事先没有假设，发现结构），RFM 分段本身则是描述性分析。
# </details>
#
# ## 练习
#
# 1. 默认参数下，提升最大的细分是什么规则？它的置信区间是多少？
# 2. 把 `n_customers` 改成 2000 再运行，提升最大的细分还一样吗？置信区间怎样变化？
#
# <details><summary>参考答案</summary>
#
# 1. 看 `tree.leaves` 的第一行（已按提升从大到小排序）：默认参数下是“工资 > 31750 且年龄 ≤ 39.5 且有车”的客户，
#    实验组响应率约 41 %，对照组约 5 %，提升约 0.36，置信区间约 0.27–0.46，完全在 0 以上——
#    正是课程列出的“年龄 < 40、有车、工资 > 30,000”这几个变量。具体数字随 `seed` 而变。
# 2. 样本变小，树可能找出不同的切分点，叶子里的客户更少，置信区间明显变宽，有些细分的区间会跨过 0——
#    这就是课程强调“用对照组验证拟合度与收益”的原因。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 数据挖掘 | data mining |
# | 抽样 / 探索 / 建模 / 结果分析 | sample / explore / model / assess results |
# | 业务问题 | business question |
# | 预处理 / 转换 | pre-processing / transformation |
# | 决策树 | decision tree |
# | 实验组 / 对照组 | experiment (treatment) group / control group |
# | 均衡性检验 | balance check |
# | 提升 | uplift |
# | 留出样本 | holdout sample |
# | RFM（最近一次购买、频率、金额） | recency, frequency, monetary value |
# | 聚类 / 轮廓系数 | clustering / silhouette |
# | 可扩展性 | scalability |
# | 高维 | high dimensionality |
# | 异构数据 | heterogeneous data |
# | 分布式算法 | distributed algorithms |
