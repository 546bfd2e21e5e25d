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
# # 第 5 章　服务利润链与顾客忠诚的经济学
#
# 满意度为什么值得花钱去管？本章回答这个问题：先看满意带来的结果和**服务利润链**，
# 再把课程里几组常被引用的数字——**3 倍**的获客成本、**1 + 11 + 55 = 67** 人的负面口碑、
# **95 %** 不开口的不满顾客——变成可以改参数、现场计算的模型。
#
# ## 学习目标
#
# 1. 说出顾客满意带来的结果，以及衡量顾客忠诚的三个方面：满意、信任、口碑；
# 2. 按顺序讲出服务利润链的各个环节，解释“镜像效应”；
# 3. 画出营销铁三角，区分外部营销、内部营销和互动营销，理解真实瞬间与可见性线；
# 4. 用就诊前、就诊中、就诊后三个阶段分析患者旅程；
# 5. 用 `retention_economics` 计算不满意顾客造成的口碑扩散、流失价值和保留的节约；
# 6. 用真实调查数据检验“满意 → 忠诚”这一环。

# %% tags=["parameters"]
lang = "zh"
title = "服务利润链与顾客忠诚的经济学"
complaints = 10  # 动手试一试：这个月收到的投诉数
silent_share = 0.95  # 从不投诉的不满顾客比例
churn_share = 0.5  # 不满顾客中最终流失的比例
customer_value = 1000.0  # 一位顾客的价值（元）
retention_cost = 100.0  # 留住一位顾客的成本（元）

# %%
import warnings

from csworkbench.datasets import load_ecsi
from csworkbench.drivers import composite_scores, key_drivers
from csworkbench.pls import ecsi_model
from csworkbench.tiers import retention_economics

warnings.simplefilter("ignore")

# %% [markdown]
# ## 5.1 满意带来什么
#
# 课程这样描述满意的结果：满意的顾客购买更频繁，会替企业传播好口碑，逐渐成为忠诚顾客，还会带来新顾客；
# 于是销售额、认可度和利润上升，品牌也随之出名。**顾客忠诚**通常从三方面衡量：**满意**、**信任**和**口碑**（是否愿意推荐）。
#
# ## 5.2 服务利润链
#
# 服务利润链把企业内部和外部连成一条链：
#
# > 内部服务质量 → 员工满意 → 员工保留与生产率 → 外部服务价值 → 顾客满意 → 顾客忠诚 → 收入增长与盈利
#
# 链条的起点在企业内部：员工得到好的工具、培训和支持（**内部服务质量**），才会满意、留得住、干得好，
# 才能为顾客创造价值。顾客满意和员工满意往往同升同降，课程称之为**镜像效应**：满意的员工服务出满意的顾客，
# 满意的顾客又让员工更有成就感。
#
# ## 5.3 营销铁三角
#
# 服务营销有三个角：企业、员工、顾客。三条边各是一种营销：
#
# * **外部营销**（企业 → 顾客）：做出承诺，广告、定价、渠道；
# * **内部营销**（企业 → 员工）：让员工有能力兑现承诺，把员工当作顾客来对待；
# * **互动营销**（员工 → 顾客）：在接触中兑现承诺。
#
# 员工与顾客接触的每一刻都是一次**真实瞬间**（moment of truth），顾客就在这些瞬间形成对服务的判断。
# 服务流程中顾客看得见的部分和看不见的后台之间有一条**可见性线**：线上的每个环节都是真实瞬间，
# 线下的后台环节虽然顾客看不见，却决定着线上能否兑现承诺。
#
# ## 5.4 患者旅程
#
# 医院的例子把顾客接触分成三个阶段，每个阶段有自己的满意驱动因素：
#
# | 阶段 | 顾客关心的 | 医院可以做的 |
# |---|---|---|
# | 就诊前 | 信息、风险、选择哪家医院 | 清楚的科室和医生信息、方便的预约 |
# | 就诊中 | 设施、医术、流程 | 整洁的环境、专业的诊疗、少排队 |
# | 就诊后 | 后续照护 | 回访电话、联系卡、鼓励满意的患者推荐（口碑） |

# %% [markdown]
# ## 5.5 顾客保留的经济账
#
# 课程引用了几组数字：
#
# * 争取一位新顾客的成本，大约是保留一位老顾客的 **3 倍**；
# * 一位不满意的顾客会告诉 11 个人，这 11 个人每人再告诉 5 个人：**1 + 11 + 55 = 67** 人听到坏消息；
# * **95 %** 的不满意顾客从不投诉，但会告诉大约 10 个人；
# * 投诉的顾客，只要问题得到妥善解决，大多数会留下来。
#
# 这些数字放在一起才有意义。`retention_economics` 把它们连成一本账，每个数都是参数，可以换成你自己企业的数字。
# 先用参数单元格中的值（本月 10 起投诉）算一遍：

# %%
economics = retention_economics(
    complaints, silent_share=silent_share, churn_share=churn_share,
    customer_value=customer_value, retention_cost=retention_cost, lang=lang,
)
economics

# %% [markdown]
# **读这本账**（默认参数）：10 起投诉背后，是 10 / (1 − 0.95) = 200 位不满意的顾客，其中 190 位一声不吭；
# 听到负面口碑的人有 10 × 67 + 190 × 10 = 2570 人。如果一半不满意顾客流失，流失的顾客价值是 10 万元；
# 用新顾客去替补要花 3 倍的成本，而留住他们只需要三分之一。投诉不是麻烦，而是找回那 95 % 沉默者的线索。
#
# ## 5.6 “满意 → 忠诚”这一环站得住吗？
#
# 服务利润链的每一环都可以用数据检验。下面用一家西班牙银行 250 位顾客的 ECSI 调查（0–10 分），
# 先把每个构念的题项取平均，再看满意（SAT）和形象（IMAG）对忠诚（LOY）的标准化回归系数：

# %%
scores = composite_scores(load_ecsi(), ecsi_model()["blocks"])
key_drivers(scores, "LOY", ["SAT", "IMAG"]).coefficients.round(3)

# %% [markdown]
# 满意对忠诚的标准化系数最大，置信区间远离 0：在控制了企业形象之后，满意的顾客仍然明显更忠诚。
# 这只是链条上的一环；第 11 章会用 ECSI 模型把整条链一起估计出来。

# %% [markdown]
# ## 5.7 动手试一试
#
# 在参数单元格里试试：
#
# 1. 把 `silent_share` 从 0.95 改成 0.8（更多不满顾客愿意投诉）。投诉数不变时，不满意顾客的总数怎样变化？为什么“投诉多了”不一定是坏事？
# 2. 把 `complaints` 改成你熟悉的一家店一个月的投诉数，`customer_value` 改成一位顾客一年的消费，看看面临风险的价值有多大。

# %%
economics.set_index("item").loc[["unhappy_customers", "people_hearing", "value_at_risk", "saving_by_retention"], ["item_label", "value"]]

# %% [markdown]
# ## 思考题
#
# 1. 服务利润链的起点为什么是“内部服务质量”而不是“顾客满意”？
# 2. 举一个你亲身经历的“真实瞬间”，它发生在可见性线的哪一侧？后台的哪个环节决定了它的成败？
# 3. 用 `retention_economics` 的逻辑解释：为什么企业应该让投诉变得更容易，而不是想办法减少投诉的数量？
# 4. 把患者旅程的三个阶段套用到一次网购上，每个阶段各列出两个满意驱动因素。
#
# <details><summary>参考答案</summary>
#
# 1. 顾客满意是员工在真实瞬间创造出来的；员工不满意、频繁流失、缺少工具和培训，就不可能稳定地为顾客创造价值。
#    所以链条从企业能直接控制的内部服务质量开始，这也是内部营销的道理。
# 2. 例如餐厅点的菜迟迟不来：服务员的道歉发生在可见性线以上，而后厨的排单和备料（线下）才是根源。
# 3. 投诉数 = 不满意顾客 × (1 − 沉默比例)。压低投诉数如果靠的是让顾客投诉无门，不满意顾客并没有减少，
#    只是更多人沉默地流失并传播负面口碑；让投诉更容易，等于降低沉默比例，企业能发现并挽回更多顾客。
# 4. 购买前：商品信息是否清楚、评价是否可信；购买中：下单和支付是否顺畅、配送是否准时；
#    购买后：退换货是否方便、客服是否及时回访。
# </details>
#
# ## 练习
#
# 1. 默认参数下，保留而非替补流失顾客能节省多少钱？写出计算过程。
# 2. 在 5.6 中，把 `["SAT", "IMAG"]` 换成 `["SAT", "IMAG", "VAL"]`（加上感知价值）再运行，满意的系数怎样变化？
#
# <details><summary>参考答案</summary>
#
# 1. 流失 200 × 0.5 = 100 位顾客；替补成本 100 × 100 × 3 = 30000 元，保留成本 100 × 100 = 10000 元，节省 20000 元
#    （表中 `saving_by_retention`）。
# 2. 满意的系数从约 0.45 降到约 0.24，感知价值的系数（约 0.33）反而最大。三个构念彼此高度相关（VIF 约 3），
#    原本归于满意的一部分作用被感知价值“分走”了。回归系数回答的是“其他因素不变时”的问题；
#    驱动因素相互关联时，要用第 11 章的相对权重和 ECSI 路径模型来区分直接作用和经由满意传递的间接作用。
# </details>

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 顾客忠诚 | customer loyalty |
# | 信任 | trust |
# | 口碑 | word of mouth |
# | 服务利润链 | the service-profit chain |
# | 内部服务质量 | internal service quality |
# | 员工满意 | employee satisfaction |
# | 镜像效应 | the mirror effect |
# | 营销铁三角 | the service (marketing) triangle |
# | 外部营销 / 内部营销 / 互动营销 | external / internal / interactive marketing |
# | 真实瞬间 | moment of truth |
# | 可见性线 | line of visibility |
# | 患者旅程：就诊前、就诊中、就诊后 | patient journey: pre-visit, visit, post-visit |
# | 顾客保留 | customer retention |
# | 获客成本 | acquisition cost |
# | 沉默的不满顾客 | silent unhappy customers |
