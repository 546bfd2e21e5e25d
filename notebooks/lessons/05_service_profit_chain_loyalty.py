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
# # 第 5 章　服务利润链与顾客忠诚的经济学
#
# 满意度为什么值得花钱去管？本章先看满意带来的结果、顾客忠诚和**服务利润链**，再看服务人员与顾客相遇的
# **真实瞬间**，最后把课程里几组常被引用的数字——开发新顾客与留住老顾客的成本约为 **3:1**、**1 + 11 + 55 = 67** 个人在说企业的坏话、
# **95 %** 的不满顾客不会投诉——变成可以改参数、现场计算的模型。
#
# **怎样做本章的练习**：标着“练习（写代码）”的题目下面，有一个折叠起来的参考答案单元格（标签 `solution` 和 `hide-input`，
# 在 JupyterLab 中输入区默认收起）和一个自检单元格（`assert`）。先在参考答案上方插入一个新单元格写出你的代码并运行，
# 再运行自检单元格。卡住时再展开参考答案。“试一试”的控件在 JupyterLab 中选好参数后点“运行”即可看到结果（无界面批量执行时不会自动运行）。
#
# ## 学习目标
#
# 1. 说出顾客满意带来的结果，顾客忠诚的定义、价值和重要性，以及衡量忠诚的三个方面：满意、信任、口碑；
# 2. 按顺序讲出服务利润链的各个环节，解释满意感的“镜子”效应；
# 3. 画出营销铁三角，区分外部营销、内部营销和互动营销；理解服务生产系统、可见性线和两种系统策略；
# 4. 说出真实瞬间的定义、影响因素和重要性；
# 5. 用就诊前、就诊中、就诊后三个阶段分析患者的就诊过程；
# 6. 先手算、再用 `retention_economics` 计算不满意顾客造成的负面口碑、流失价值和保留的节约；
# 7. 用真实调查数据检验“满意 → 忠诚”这一环。

# %% tags=["parameters"]
lang = "zh"
title = "服务利润链与顾客忠诚的经济学"
complaints = 10  # 动手试一试：这个月收到的投诉数
silent_share = 0.95  # 从不投诉的不满顾客比例
churn_share = 0.5  # 不满顾客中最终流失的比例
customer_value = 1000.0  # 一位顾客的价值（元）
retention_cost = 100.0  # 留住一位顾客的成本（元）

# %%
import ipywidgets as widgets
from IPython.display import Markdown, display

from csworkbench.datasets import load_ecsi
from csworkbench.drivers import composite_scores, key_drivers
from csworkbench.pls import ecsi_model
from csworkbench.reporting.display import show_table
from csworkbench.tiers import retention_economics

# %% [markdown]
# ## 5.1 满意带来什么：顾客忠诚
#
# 课程这样描述满意的结果：顾客满意 → 经常购买、传播产品优点 → 成为忠实顾客、产生新客源 → 销售提升、认可度提高 →
# 效益增加、成为名牌。
#
# **顾客忠诚**是指顾客对某一品牌或公司的产品或服务的持久性和重复购买意愿，通常通过顾客满意度、顾客**信任**、
# 顾客**口碑**等方面来衡量。它是长期关系的体现：顾客对品牌或公司的信任和满意程度越高，忠诚度就越高。
# 忠诚对企业至关重要：忠诚的顾客会持续购买并向他人推荐，为企业带来更多利润和市场份额；忠诚的顾客更倾向于选择该品牌，
# 有助于提高市场份额和品牌知名度；他们积极推荐，增加潜在客户，提高品牌知名度和美誉度。
#
# ## 5.2 服务利润链与“镜子”效应
#
# 服务利润链把企业内部和外部连成一条链：
#
# > 内部服务质量（工作地点设计、工作设计、员工筛选和开发、员工奖赏和赞赏、为顾客提供服务的工具）→ 员工满意 →
# > 员工保留、员工生产力 → 外部服务价值 → 顾客满意 → 顾客忠诚 → 收入增长、盈利率
#
# 收益增长和盈利又能强化公司不断改进**内部服务质量**，从而使**员工满意**进一步强化。课程还把其中的几环说成：
# 员工的满意度与企业内部质量有关，员工的忠诚度与员工的满意度有关，员工的生产效率与员工的忠诚度有关，服务的价值与员工的生产效率有关。
#
# 满意感的**“镜子”效应**：研究显示，顾客的满意感和员工的满意感有直接的正比关系——就像照镜子，满意的员工对面是满意的顾客。
#
# ## 5.3 营销铁三角、服务生产系统与可见性线
#
# 服务营销有三个角：公司、员工、顾客。三条边各是一种营销，相互关联、缺一不可：
#
# * **外部营销**（公司 → 顾客）：公司为顾客准备的服务、定价、分销和促销等常规工作；
# * **内部营销**（公司 → 员工）：对直接接待顾客的人员以及所有辅助人员进行培养和激励，使其通力合作，让顾客满意；
# * **互动营销**（员工 → 顾客）：雇员在与顾客打交道时的技能。
#
# 服务生产系统中有一条**可见性线**：线前是顾客直接接触的部分——服务生产系统中可见或互动的部分，包括顾客及与顾客接触的组织资源；
# 线后是系统与管理支持，以及为一线员工提供服务的二线、三线员工。课程给出两种系统策略：
#
# 1. 把整个系统中的可见部分简化到只有一两个人，顾客只与他们打交道，服务生产的绝大部分在内部进行；
# 2. 让顾客接触到许多子系统。
#
# 选择的依据是以质量最大化为原则，并以目标顾客的需求和愿望来指导可见性界限的划分。
#
# ## 5.4 真实瞬间
#
# **真实瞬间**：在特定的时间和特定的地点，服务供应方抓住机会向顾客展示其服务质量。
#
# * **影响因素**——员工：生活经历、个人愿望、形象、多重角色；顾客：个人需求、口碑、形象、以往经历；
# * **重要性**——积极的真实瞬间强化顾客关系；消极的真实瞬间破坏顾客关系，并导致经营业绩滑坡；
# * **整体活动保证**——服务人员与顾客的交互作用决定真实瞬间的好坏，但真实瞬间同样依赖于其他资源和职能提供的支持。
#
# ## 5.5 患者的就诊过程
#
# 课程用医院的例子说明：患者的整个就诊过程包括**就诊前**、**就诊中**和**就诊后**，每个阶段都有影响最终满意的关键要素。
#
# | 阶段 | 课程的描述 | 关键要素与做法 |
# |---|---|---|
# | 就诊前 | 从患者对医院的一系列判断与评估开始：信息收集 → 风险判断 → 选择就诊医院 → 前往就诊 | 信息的充分性（从人际来源和非人际来源获取的服务信息）、决策的风险性 |
# | 就诊中 | 患者在医院接受诊疗的过程中，医院提供的各项硬件设备、专业技能和服务全过程质量的总和 | 设施、医术、流程 |
# | 就诊后 | 后续联系与照护 | 发放联系卡、定期电话回访、入户回访；对主动向亲友介绍医院的忠诚患者给予精神或物质奖励，强化口头宣传 |

# %% [markdown]
# ## 5.6 顾客保留的经济账
#
# 课程引用了几组数字：
#
# * 开发一位新顾客与留住一位老顾客的成本大约是 **3:1**；
# * 一个不满意的顾客会把不满传达给其他 11 个人，他们每个人又会传达给另外 5 个人，于是就有 **67**（1 + 11 + 55）个人
#   在说你企业的坏话——这 67 人里包括这位顾客自己；
# * **95 %** 的不满的客户不会向你投诉，但他会跟 10 个其他人诉说你的不是；
# * 向你投诉的客户希望你能更正错误，而且越做越好；大部分客户在你采取纠正措施后会继续向你购买服务。
#
# 这些数字放在一起才有意义。先用 pandas 手算一遍（参数单元格中的值），再用 `retention_economics` 算：

# %%
unhappy = complaints / (1 - silent_share)
silent = unhappy - complaints
speaking_ill = complaints * (1 + 11 + 11 * 5) + silent * 10
lost = unhappy * churn_share
by_hand = {
    "不满意的顾客": unhappy,
    "沉默的不满顾客": silent,
    "说企业坏话的人": speaking_ill,
    "流失的顾客价值（元）": lost * customer_value,
    "保留而非替补节省（元）": lost * retention_cost * 3 - lost * retention_cost,
}
{name: round(value, 2) for name, value in by_hand.items()}  # 10 / (1 − 0.95) 在浮点数里是 199.99999999999983

# %%
economics = retention_economics(
    complaints,
    silent_share=silent_share,
    churn_share=churn_share,
    customer_value=customer_value,
    retention_cost=retention_cost,
    lang=lang,
).set_index("item")
book = economics.loc[
    ["unhappy_customers", "silent_unhappy", "people_speaking_ill", "value_at_risk", "saving_by_retention"]
]
assert all(abs(a - b) < 1e-9 for a, b in zip(book["value"], by_hand.values())), "手算与 retention_economics 不一致"
show_table(
    book.assign(item_label=list(by_hand))[["item_label", "value", "formula"]],
    lang=lang,
    labels={"item_label": "项目", "value": "数值", "formula": "算法"},
)

# %%
display(
    Markdown(
        f"**读这本账**：{complaints} 起投诉背后，是 {complaints} / (1 − {silent_share}) = {unhappy:.0f} 位不满意的顾客，"
        f"其中 {silent:.0f} 位一声不吭；说企业坏话的有 {complaints} × 67 + {silent:.0f} × 10 = {speaking_ill:.0f} 人。"
        f"如果 {churn_share:.0%} 的不满意顾客流失，流失的顾客价值是 {lost * customer_value:,.0f} 元；"
        f"用新顾客替补要花 3 倍的成本，保留而非替补能省下 {lost * retention_cost * 2:,.0f} 元。"
        "投诉不是麻烦，而是找回沉默者的线索。"
    )
)

# %% [markdown]
# **动手试一试**：拖动滑块改变投诉数、沉默比例和流失比例，看这本账怎样变化（课程的 11、5、10 和 3 倍固定不变）：

# %%
economics_explorer = widgets.interact.options(manual=True, manual_name="运行")(
    retention_economics,
    complaints=widgets.IntSlider(value=complaints, min=1, max=100, description="投诉数"),
    silent_share=widgets.FloatSlider(value=silent_share, min=0.5, max=0.99, step=0.01, description="沉默比例"),
    churn_share=widgets.FloatSlider(value=churn_share, min=0.0, max=1.0, step=0.05, description="流失比例"),
    customer_value=widgets.fixed(customer_value),
    retention_cost=widgets.fixed(retention_cost),
    first_ring=widgets.fixed(11),
    second_ring=widgets.fixed(5),
    silent_tell=widgets.fixed(10),
    acquisition_multiple=widgets.fixed(3.0),
    lang=widgets.fixed(lang),
)

# %% [markdown]
# ### 练习 5.1（写代码）
#
# 另一家店这个月的投诉数和沉默比例在下面的单元格里（其余按课程的数字）。用普通算术手算说企业坏话的人数，
# 存入 `my_speaking_ill`；自检会用 `retention_economics` 核对。

# %%
shop_complaints = 4
shop_silent_share = 0.9

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
my_unhappy = shop_complaints / (1 - shop_silent_share)
my_speaking_ill = shop_complaints * 67 + (my_unhappy - shop_complaints) * 10
my_speaking_ill

# %%
check = retention_economics(shop_complaints, silent_share=shop_silent_share).set_index("item")
assert abs(my_speaking_ill - check.loc["people_speaking_ill", "value"]) < 1e-9, (
    "投诉的人按 67 人算，沉默的人每人告诉 10 个人"
)
print("自检通过：", round(my_speaking_ill))

# %% [markdown]
# ## 5.7 “满意 → 忠诚”这一环站得住吗？
#
# 服务利润链的每一环都可以用数据检验。下面用一家银行顾客的 ECSI 调查（0–10 分），
# 先把每个构念的题项取平均，再看满意（SAT）和形象（IMAG）对忠诚（LOY）的标准化回归系数：

# %%
scores = composite_scores(load_ecsi(), ecsi_model()["blocks"])
loyalty = key_drivers(scores, "LOY", ["SAT", "IMAG"]).coefficients
loyalty.round(3)

# %%
sat = loyalty.set_index("predictor").loc["SAT"]
display(
    Markdown(
        f"在 {len(scores)} 位顾客中，满意对忠诚的标准化系数是 {sat['estimate']:.2f}（95 % 区间 {sat['ci_low']:.2f} 至 {sat['ci_high']:.2f}）："
        "在控制了企业形象之后，满意的顾客仍然明显更忠诚。这只是链条上的一环；第 11 章会用 ECSI 模型把整条链一起估计出来。"
    )
)

# %% [markdown]
# ## 思考题
#
# 1. 服务利润链的起点为什么是“内部服务质量”而不是“顾客满意”？
# 2. 举一个你亲身经历的“真实瞬间”，它发生在可见性线的哪一侧？后台的哪个环节决定了它的成败？
# 3. 用 `retention_economics` 的逻辑解释：为什么企业应该让投诉变得更容易，而不是想办法减少投诉的数量？
# 4. 把患者就诊的三个阶段套用到一次网购上，每个阶段各列出两个满意的关键要素。
#
# <details><summary>参考答案</summary>
#
# 1. 顾客满意是员工在真实瞬间创造出来的；员工不满意、频繁流失、缺少工具和培训，就不可能稳定地为顾客创造价值（“镜子”效应）。
#    所以链条从企业能直接控制的内部服务质量开始，这也是内部营销的道理。
# 2. 例如餐厅点的菜迟迟不来：服务员的道歉发生在可见性线之前，而后厨的排单和备料（线后）才是根源。
# 3. 投诉数 = 不满意顾客 × (1 − 沉默比例)。压低投诉数如果靠的是让顾客投诉无门，不满意顾客并没有减少，
#    只是更多人沉默地流失并说企业的坏话；让投诉更容易，等于降低沉默比例，企业能发现并挽回更多顾客——
#    课程说，大部分客户在企业采取纠正措施后会继续购买。
# 4. 购买前：商品信息是否充分、评价是否可信（信息的充分性、决策的风险性）；购买中：下单和支付是否顺畅、配送是否准时；
#    购买后：退换货是否方便、客服是否及时回访。
# </details>
#
# ## 练习（讨论）
#
# 在 5.7 节中，把 `["SAT", "IMAG"]` 换成 `["SAT", "IMAG", "VAL"]`（加上感知价值）再运行，满意的系数怎样变化？为什么？
#
# <details><summary>参考答案</summary>
#
# 满意的系数明显变小，感知价值分走了一部分作用：三个构念彼此高度相关。回归系数回答的是“其他因素不变时”的问题；
# 驱动因素相互关联时，要用第 11 章的相对权重和 ECSI 路径模型来区分直接作用和经由满意传递的间接作用。
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
# | “镜子”效应 | the mirror effect |
# | 营销铁三角 | the service (marketing) triangle |
# | 外部营销 / 内部营销 / 互动营销 | external / internal / interactive marketing |
# | 服务生产系统 | service production system |
# | 真实瞬间 | moment of truth |
# | 可见性线 | line of visibility |
# | 就诊前、就诊中、就诊后 | before, during and after the visit |
# | 顾客保留 | customer retention |
# | 沉默的不满顾客 | silent unhappy customers |
