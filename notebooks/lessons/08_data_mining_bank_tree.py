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
# # 第 8 章　数据挖掘流程与银行的信用决策树
#
# 客户分层不一定要靠人定规则，也可以让数据自己“说话”。本章先介绍数据挖掘与客户关系管理的关系和课程中用 Clementine 软件
# 挖掘的基本流程，再重现课程里的银行例子：把存户分成**实验组**和**对照组**，在实验组上长出一棵区分信用好坏的**决策树**，
# 再拿对照组来验证。
#
# **怎样做本章的练习**：标着“练习（写代码）”的题目下面，有一个折叠起来的参考答案单元格（标签 `solution` 和 `hide-input`，
# 在 JupyterLab 中输入区默认收起）和一个自检单元格（`assert`）。先在参考答案上方插入一个新单元格写出你的代码并运行，
# 再运行自检单元格。卡住时再展开参考答案。“试一试”的控件在 JupyterLab 中选好参数后点“运行”即可看到结果（无界面批量执行时不会自动运行）。
#
# ## 学习目标
#
# 1. 说出数据挖掘（数据库中的知识发现，KDD）的含义、它与客户关系管理的关系，以及为什么要对客户关系进行数据挖掘；
# 2. 说出用 Clementine 挖掘的四个步骤：数据取样、数据探索（选择、预处理、转换）、数据实施、结果分析；
# 3. 说明银行例子中为什么要分实验组和对照组、两组“人口比例、结构相同”指什么，会在实验组上建立信用决策树并用对照组验证；
# 4. 会用 `rfm` 和 `RFMClusters` 在交易数据上做探索性的客户细分；
# 5. 说出对海量客户数据进行数据挖掘时要注意的五个问题：可伸缩、高维性、异种数据和复杂数据、数据的所有权与分布、非传统的分析。

# %% tags=["parameters"]
lang = "zh"
title = "数据挖掘流程与银行的信用决策树"
n_customers = 8000  # 存户数（课程例子是 100 万笔，这里取小样本以便几秒内算完）
max_depth = 3  # 动手试一试：决策树的深度
min_leaf = 100  # 每片叶子至少的存户数
seed = 0

# %%
import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.tree import DecisionTreeClassifier, export_text

from csworkbench import plots
from csworkbench.datasets import load_cdnow
from csworkbench.datasets.transactions import make_bank_customers
from csworkbench.reporting.display import show_table
from csworkbench.tiers import RFMClusters, rfm, uplift_tree

plots.apply_theme()

# %% [markdown]
# ## 8.1 数据挖掘与客户关系管理
#
# **数据挖掘**（Data Mining）又称数据库中的知识发现（KDD），是指从大型数据库或数据仓库中提取隐含的、未知的、非平凡的及有潜在
# 应用价值的信息或模式，融合了数据库、人工智能、机器学习、统计学等领域的理论和技术。
#
# 客户关系管理不仅是一种管理理念，又是一种改善企业与客户之间关系的新型管理机制，也是一种管理软件和技术。
# 课程说，数据挖掘是深层次客户关系管理的核心技术，CRM 的成功在于成功的数据仓库、数据挖掘及知识发现：
# 数据挖掘工具能对将来的趨势和行为进行预测，回答诸如“哪个客户对我们的邮件推销活动最有可能作出反应、为什么”这样的问题。
# 为什么要对客户关系进行数据挖掘？客户信息的容量急剧增大，企业与客户的相互作用日益复杂；数据是死的，
# 但用数学或统计模式发现数据中的关系和规则、预测未来的趋势，就能成为管理者的决策参考，在吸引客户、留住客户、升级客户的过程中
# 提升企业的核心竞争力。
#
# ## 8.2 用 Clementine 挖掘的基本流程
#
# 1. **数据取样**：清晰地定义出业务问题，认清数据挖掘的目的。挖掘的最后结果不可预测，但要探索的问题应是有预见的；
# 2. **数据探索**：数据的选择（搜索所有与业务对象有关的内部和外部数据）、数据的预处理（研究数据的质量）、
#    数据的转换（转换成针对挖掘算法建立的分析模型）；
# 3. **数据实施**：对转换后的数据进行挖掘，得出一系列分析结果、模式或模型；
# 4. **结果分析**：数据挖掘工作的核心环节——把得到的知识集成到业务信息系统中去，让有价值的规律被人们理解、应用。
#
# ## 8.3 例题：甲银行的信用决策树
#
# 课程的例子：假设甲银行有 100 万笔存户资料，先把它们分为实验组与对照组，两组的人口比例、结构（如男女分配、家庭结构、年龄、所得等）
# 需相同；然后对实验组建立二元决策树，用年龄小于 40 岁、有自用车、薪水大于 3 万元、无小孩、有其他流动资产、
# 按时缴纳电话费或信用卡费等变量判别客户信用的好坏，归纳出信用良好与不好的顾客群。银行便可针对不同群的顾客进行放款借贷、
# 新金融商品营销等作业，并设法留住有价值的顾客。建立完实验组的模型后还要验证：把实验组与对照组做比较，看模型的适配度和效益。
#
# 我们用模拟数据重现这个过程。存户的信用好坏是按已知规则“埋”进数据的（按时缴费、薪水高、有车、有流动资产的存户信用好的概率更高，
# 有小孩的略低），所以可以检验决策树是否找回了这些规则。

# %%
bank = make_bank_customers(n_customers, random_state=seed)
rng = np.random.default_rng(seed + 1)
features = pd.DataFrame(
    {
        "年龄小于40岁": (bank["age"] < 40).astype(int),
        "有自用车": bank["owns_car"],
        "薪水大于3万元": (bank["salary"] > 30000).astype(int),
        "无小孩": 1 - bank["children"],
        "有其他流动资产": (bank["liquid_assets"] > bank["liquid_assets"].median()).astype(int),
        "按时缴费": bank["pays_on_time"],
    }
)
score = (
    -1.2
    + 1.6 * features["按时缴费"]
    + 0.7 * features["薪水大于3万元"]
    + 0.4 * features["有自用车"]
    + 0.5 * features["有其他流动资产"]
    + 0.3 * features["无小孩"]
)
bank["信用良好"] = (rng.random(n_customers) < 1 / (1 + np.exp(-score))).astype(int)
bank["组别"] = np.where(bank["treatment"] == 1, "实验组", "对照组")
bank = pd.concat([bank, features], axis=1)
bank[["customer_id", "组别", *features.columns, "信用良好"]].head()

# %% [markdown]
# ### 第一步：两组的人口比例、结构是否相同？
#
# 用 pandas 按组别算男女比例、有小孩的比例、平均年龄和平均收入：

# %%
composition = (
    bank.assign(女性=(bank["gender"] == "F").astype(int))
    .groupby("组别")
    .agg(
        存户数=("customer_id", "size"),
        女性比例=("女性", "mean"),
        有小孩比例=("children", "mean"),
        平均年龄=("age", "mean"),
        平均收入=("salary", "mean"),
    )
)
show_table(composition.reset_index(), lang=lang)

# %%
gap_age = abs(composition.loc["实验组", "平均年龄"] - composition.loc["对照组", "平均年龄"])
display(
    Markdown(
        f"实验组 {composition.loc['实验组', '存户数']:,} 户、对照组 {composition.loc['对照组', '存户数']:,} 户，"
        f"两组平均年龄只差 {gap_age:.1f} 岁，女性比例分别为 {composition.loc['实验组', '女性比例']:.1%} 和 "
        f"{composition.loc['对照组', '女性比例']:.1%}：随机分组让两组的结构几乎相同。"
    )
)

# %% [markdown]
# ### 第二步：在实验组上建立二元决策树

# %%
train = bank[bank["组别"] == "实验组"]
holdout = bank[bank["组别"] == "对照组"]
tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_leaf, random_state=seed)
tree.fit(train[features.columns], train["信用良好"])
print(export_text(tree, feature_names=list(features.columns), show_weights=False))

# %% [markdown]
# 每片叶子就是一群顾客。看每群在实验组里信用良好的比例，按比例从高到低排：

# %%
bank["叶子"] = tree.apply(bank[features.columns])
leaves = bank.pivot_table(index="叶子", columns="组别", values="信用良好", aggfunc=["size", "mean"])
leaves.columns = [f"{group}{'存户数' if stat == 'size' else '信用良好比例'}" for stat, group in leaves.columns]
leaves = leaves.sort_values("实验组信用良好比例", ascending=False)
show_table(leaves.reset_index(), lang=lang)

# %% [markdown]
# ### 第三步：用对照组验证
#
# 对照组没有参与建树。把树用到对照组上：如果每群顾客在对照组里的信用良好比例与实验组相近，预测准确率也差不多，
# 说明树找到的是真实的规律，而不是“记住”了实验组的数据。先用 pandas 手算准确率（预测对的存户占比），再与 scikit-learn 对照：

# %%
predicted = pd.Series(tree.predict(holdout[features.columns]), index=holdout.index)
accuracy_by_hand = (predicted == holdout["信用良好"]).mean()
accuracy_train = accuracy_score(train["信用良好"], tree.predict(train[features.columns]))
accuracy_holdout = accuracy_score(holdout["信用良好"], predicted)
assert abs(accuracy_by_hand - accuracy_holdout) < 1e-12
auc_train = roc_auc_score(train["信用良好"], tree.predict_proba(train[features.columns])[:, 1])
auc_holdout = roc_auc_score(holdout["信用良好"], tree.predict_proba(holdout[features.columns])[:, 1])
largest_gap = (leaves["实验组信用良好比例"] - leaves["对照组信用良好比例"]).abs().max()
display(
    Markdown(
        f"准确率：实验组 {accuracy_train:.1%}，对照组 {accuracy_holdout:.1%}（手算 {accuracy_by_hand:.1%}，与 scikit-learn 一致）；"
        f"AUC：实验组 {auc_train:.3f}，对照组 {auc_holdout:.3f}。各叶子在两组中的信用良好比例最多相差 {largest_gap:.1%}。"
        f"{'两组表现接近，模型适配度良好。' if abs(auc_train - auc_holdout) < 0.05 else '对照组明显变差，树可能过度拟合了实验组。'}"
    )
)

# %% [markdown]
# **动手试一试**（数据探索）：在下拉框里选一个变量，看它取 0 和 1 时两组中信用良好的比例各是多少——哪个变量最能区分信用好坏？
# 决策树的第一次分裂应当用的正是它。

# %%
variable_explorer = widgets.interact.options(manual=True, manual_name="运行")(
    bank.pivot_table,
    index=widgets.Dropdown(options=list(features.columns), description="变量"),
    values=widgets.fixed("信用良好"),
    columns=widgets.fixed("组别"),
    aggfunc=widgets.fixed("mean"),
    fill_value=widgets.fixed(None),
    margins=widgets.fixed(False),
    dropna=widgets.fixed(True),
    margins_name=widgets.fixed("All"),
    observed=widgets.fixed(True),
    sort=widgets.fixed(True),
)

# %% [markdown]
# 树越深越好吗？把参数 `max_depth` 改大或改小再运行本章，对比实验组和对照组的准确率与 AUC。
#
# ### 练习 8.1（写代码）
#
# 用 pandas 算出对照组中被树判为“信用良好”的存户里，真正信用良好的比例（精确率），存入 `precision_holdout`。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
precision_holdout = holdout.loc[predicted == 1, "信用良好"].mean()
round(float(precision_holdout), 3)

# %%
from sklearn.metrics import precision_score  # noqa: E402  (自检用 scikit-learn 核对)

assert abs(precision_holdout - precision_score(holdout["信用良好"], predicted)) < 1e-12, "分母是被判为信用良好的存户"
print(f"自检通过：对照组的精确率是 {precision_holdout:.1%}。")

# %% [markdown]
# ### 延伸（不是课程的例子）：营销提升
#
# 课程的树区分的是信用好坏。同样的实验组 / 对照组设计还能回答另一个问题：如果只向实验组推销一项新金融商品，
# 哪些顾客是**因为推销**才购买的？差值“实验组购买率 − 对照组购买率”叫做**提升**（uplift）。`uplift_tree` 在实验组上长树、
# 用对照组算每群的提升：

# %%
uplift = uplift_tree(
    bank,
    "treatment",
    "response",
    ["age", "owns_car", "salary", "children", "liquid_assets", "pays_on_time"],
    max_depth=max_depth,
    feature_labels={
        "age": "年龄",
        "owns_car": "有车",
        "salary": "工资",
        "children": "有孩子",
        "liquid_assets": "其他流动资产",
        "pays_on_time": "按时还款",
    },
    random_state=seed,
    lang=lang,
)
show_table(
    uplift.leaves[["rule", "customers", "rate_treated", "rate_control", "uplift", "ci_low", "ci_high"]],
    lang=lang,
    labels={
        "rule": "细分",
        "customers": "存户数",
        "rate_treated": "实验组购买率",
        "rate_control": "对照组购买率",
        "uplift": "提升",
        "ci_low": "下限",
        "ci_high": "上限",
    },
)

# %% [markdown]
# ## 8.4 探索性细分：RFM 与聚类
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
# ## 8.5 海量数据挖掘要注意的问题
#
# 课程列出五个问题：
#
# 1. **可伸缩**：数据集大到数吉字节、数太字节甚至更大，算法必须是可伸缩的；数据放不进内存时需要非内存算法，
#    也可以用抽样或并行、分布式算法；
# 2. **高维性**：属性成百上千，为低维数据开发的传统方法往往处理不好，计算复杂性随维度迅速增加；
# 3. **异种数据和复杂数据**：传统方法只处理同一类型的属性，现在要处理半结构化文本、网页等复杂数据对象；
# 4. **数据的所有权与分布**：数据分布在多个机构，需要分布式数据挖掘——降低通信量、统一多个来源的结果、保证数据安全；
# 5. **非传统的分析**：传统统计是“假设—检验”模式，而现在常常需要自动产生和评估成千上万的假设。

# %% [markdown]
# ## 思考题
#
# 1. 银行为什么要先把存户分成实验组和对照组，而不是用全部存户建树？
# 2. 一片叶子在实验组中信用良好的比例很高，在对照组中却低得多，说明什么？
# 3. 银行按决策树对“信用不好”的顾客群拒绝放款，可能带来什么问题？还应当看哪些数据？
#
# <details><summary>参考答案</summary>
#
# 1. 对照组不参与建树，是检验模型的“考官”：如果模型在没见过的对照组上同样准确，才说明它学到的是真实规律，
#    可以用到全体存户身上。两组的结构必须相同，否则两组的差别可能来自构成不同而不是模型的好坏。
# 2. 这片叶子很可能是“过度拟合”：树记住了实验组里的偶然波动。应当减小树的深度、提高每片叶子的最少存户数，
#    或者不采用这条规则。
# 3. 模型会犯错（看对照组的精确率和准确率），被误判的好客户会流失；有的变量（如年龄、有无小孩）还涉及公平性。
#    还应看误判的代价、放款的收益和风险，并定期用新的数据重新验证模型。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 数据挖掘（数据库中的知识发现） | data mining (knowledge discovery in databases, KDD) |
# | 数据取样 / 数据探索 | sampling / exploration |
# | 数据实施 / 结果分析 | modelling / analysis of results |
# | 决策树 | decision tree |
# | 实验组 / 对照组 | experiment group / control group |
# | 信用良好 | good credit |
# | 适配度 | goodness of fit |
# | 准确率 / 精确率 | accuracy / precision |
# | 过度拟合 | overfitting |
# | 提升 | uplift |
# | 聚类 / 轮廓系数 | clustering / silhouette |
# | 可伸缩 / 高维性 | scalability / high dimensionality |
# | 异种数据和复杂数据 | heterogeneous and complex data |
