# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,jupyter,-all
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
# # 第 12 章　客户关系管理（CRM）：理念、机制与技术
#
# 前几章分别讲了满意的测量、顾客的分层和投诉的处理。把这些工作串起来、长期经营“企业与顾客之间的关系”，
# 就是**客户关系管理**（Customer Relationship Management，CRM）。本章按课程材料讲清 CRM 是什么、能做什么、
# 能带来什么、怎样导入企业，再用一份酒店客户登记表把“关系的三个层次”和“留住老顾客的经济账”算出来。
#
# ## 学习目标
#
# 1. 说出 CRM 的三重含义：一种管理理念、一种管理机制、一种管理软件和技术；
# 2. 列出 CRM 的四大功能和做好客户关系的五个步骤；
# 3. 说出顾客关系的三个层次，并能从客户登记表中数出每个层次的顾客；
# 4. 列出 CRM 的七项效益和导入 CRM 的流程；
# 5. 用“开发一位新顾客与留住一位老顾客的成本约为 3:1”算一笔保留顾客的经济账。
#
# 本章的练习有两种：**代码练习**先给出任务，参考答案放在折叠的代码格里（在 JupyterLab 中点击格子左侧的
# 省略号展开），紧接着的“自我检查”格用 `assert` 核对结果——如果你改写了答案格，运行检查格就知道对不对；
# **动手试一试**用滑块改变参数，立即看到结果变化。

# %% tags=["parameters"]
lang = "zh"
title = "客户关系管理（CRM）"
n_customers = 1200  # 酒店客户登记表的顾客数
seed = 7  # 随机种子：换一个数，就是换一批顾客

# %%
import pandas as pd
from IPython.display import Markdown, display
from ipywidgets import FloatSlider, IntSlider, fixed, interact

from csworkbench.datasets import make_relationship_log
from csworkbench.tiers import retention_economics

# %% [markdown]
# ## 12.1 CRM 是什么
#
# 课程材料从三个角度定义客户关系管理，三者缺一不可：
#
# | 角度 | 课程的说法 | 要点 |
# |---|---|---|
# | 管理理念 | 起源于西方的市场营销理论，产生和发展在美国；把客户（最终客户、分销商和合作伙伴）当作企业最重要的资源 | 通过完善的客户服务和深入的客户分析满足客户需求，保证实现客户的终生价值 |
# | 管理机制 | 一种旨在改善企业与客户之间关系的新型管理机制，实施于市场营销、销售、服务与技术支持等与客户相关的领域 | 企业要从“以产品为中心”转向“以客户为中心”，关注的焦点从内部运作转到客户关系上 |
# | 软件和技术 | 把最佳商业实践与数据挖掘、数据仓库、一对一营销、销售自动化等信息技术结合起来 | 为销售、客户服务和决策支持提供业务自动化的解决方案 |
#
# 第 8 章讲过的数据挖掘，正是 CRM 的核心技术：课程说“CRM 的成功在于成功的数据仓库、数据挖掘”。
#
# ## 12.2 CRM 的四大功能与做好客户关系的五个步骤
#
# **四大功能**：① 客户信息管理；② 市场营销管理；③ 销售管理；④ 服务管理与客户关怀。
#
# **怎样做好客户关系**，课程给出五个步骤：
#
# 1. 收集完善客户资料档案；
# 2. 分类分级与建立模式；
# 3. 规划与设计营销活动；
# 4. 标准营销行为的执行整合；
# 5. 实行绩效的分析与衡量。
#
# 第一步的客户资料从哪里来？教材第 4 章列出了获得顾客信息的渠道：顾客投诉、企业内部、CS 调查、
# 与顾客的直接沟通、各种互联网和新闻媒体的信息、各种协会和组织的产品报告。教材还强调，顾客信息管理
# 不仅要增强企业的“攻击力”，也要增强企业自身的“内功”。所谓**“进攻型”的顾客信息管理**，一是利用顾客信息，
# 经常、主动地向老顾客提供高品质服务，让他们经常光顾；二是根据顾客信息积极开展营销活动，拓展新客源。
#
# ## 12.3 顾客关系的三个层次
#
# 课程把企业与顾客的关系分成三个层次来经营：
#
# 1. **获取新顾客**——以各种方式创造顾客，也就是销售：低价促销、差异化、人员推销等；
# 2. **发展并维持顾客关系**——这是 CRM 的核心，未来的效益能否呈现，要看企业能否与顾客发展并维持良好的互动关系；
# 3. **由原顾客创造新顾客**——忠诚的老顾客把企业介绍给别人，带来新的顾客。
#
# 教材第 5 章把营销活动归纳为同样一条主线：**吸引顾客 → 保持顾客 → 固化顾客的购买偏好**。
#
# ### 例题：一家酒店的客户登记表
#
# 下面是一家酒店两年的客户登记表（模拟数据，真实的保留率、推荐比例等写在 `attrs["truth"]` 里，
# 方便核对）。每行一位顾客：`acquired_year` 是首次入住的年份（去年 / 今年），`referred_by` 是推荐人
# （老顾客的编号；空白表示不是推荐来的），`active_last_year` / `active_this_year` 表示去年、今年是否入住。

# %%
log = make_relationship_log(n_customers, random_state=seed)
log.head(8)

# %% [markdown]
# ### 代码练习 1：数出三个层次的顾客
#
# 用 pandas 数出今年的顾客中：
#
# * `acquired`：今年**由酒店自己获取**的新顾客（今年首次入住、没有推荐人）；
# * `kept`：去年的老顾客中**今年仍然入住**的（关系得到维持）；
# * `referred`：今年由老顾客**推荐来**的新顾客（由原顾客创造的新顾客）；
#
# 再算出老顾客的保留率 `retention_rate = kept / 去年的顾客数`。

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
new_this_year = log["acquired_year"].eq("今年")
acquired = int((new_this_year & log["referred_by"].isna()).sum())
referred = int((new_this_year & log["referred_by"].notna()).sum())
kept = int((log["active_last_year"] & log["active_this_year"]).sum())
retention_rate = kept / int(log["active_last_year"].sum())
levels = pd.DataFrame(
    {
        "层次": ["获取新顾客", "发展并维持顾客关系", "由原顾客创造新顾客"],
        "今年的顾客数": [acquired, kept, referred],
    }
)
levels["占今年顾客的比例"] = (levels["今年的顾客数"] / levels["今年的顾客数"].sum()).map("{:.1%}".format)
levels

# %%
# 自我检查：三个层次合起来正好是今年入住的全部顾客，保留率与模拟时设定的真值相差不超过 5 个百分点
assert acquired + kept + referred == int(log["active_this_year"].sum())
assert abs(retention_rate - log.attrs["truth"]["retention"]) < 0.05
display(
    Markdown(
        f"今年入住的 {acquired + kept + referred} 位顾客中，维持下来的老顾客有 {kept} 位，"
        f"老顾客的保留率是 {retention_rate:.1%}；老顾客推荐来的新顾客有 {referred} 位。"
    )
)

# %% [markdown]
# ## 12.4 CRM 的七项效益
#
# 课程列出导入 CRM 的七项效益：
#
# 1. 提高顾客满意度及忠诚度；
# 2. 增加收益；
# 3. 提高获利率；
# 4. 减少销售成本；
# 5. 增加顾客知识；
# 6. 达成关系营销；
# 7. 改善企业流程。
#
# 为什么“发展并维持顾客关系”能带来这些效益？课程引用的统计是：**开发一位新顾客与留住一位老顾客的成本
# 大约是 3:1**——留住一位老顾客并让他重复购买，成本远低于开发一位新顾客，效益却大得多。
#
# ### 例题：保留顾客的经济账
#
# `retention_economics` 把课程里的几个数字放在一起算：投诉的顾客只是不满顾客中的少数（95 % 的不满顾客不投诉），
# 不满的顾客会流失一部分，流失的顾客要用新顾客补上，而新顾客的成本是保留老顾客的 3 倍。
# 假设这个月收到 12 起投诉，保留一位顾客的成本是 200 元，一位顾客的价值是 3000 元：

# %%
economics = retention_economics(12, retention_cost=200.0, customer_value=3000.0, lang=lang)
economics[["item_label", "value", "formula"]].rename(columns={"item_label": "项目", "value": "数值", "formula": "算法"})

# %%
saving = float(economics.set_index("item")["value"]["saving_by_retention"])
lost = float(economics.set_index("item")["value"]["customers_lost"])
display(
    Markdown(
        f"12 起投诉背后约有 {lost:.0f} 位顾客可能流失；把他们留住而不是再去开发新顾客，可以节省 {saving:,.0f} 元。"
    )
)

# %% [markdown]
# ### 动手试一试
#
# 拖动滑块：投诉数、不投诉的不满顾客占比、开发新顾客的成本倍数（课程的数字是 3）变化时，节省的金额怎样变化？
# （在 JupyterLab 里运行本格，调好滑块后点“运行”按钮；网页版讲义中没有滑块。）

# %%
controls = interact.options(manual=True, manual_name="运行")(
    retention_economics,
    complaints=IntSlider(value=12, min=1, max=100, description="投诉数"),
    silent_share=FloatSlider(value=0.95, min=0.5, max=0.99, step=0.01, description="不投诉占比"),
    acquisition_multiple=FloatSlider(value=3.0, min=1.0, max=8.0, step=0.5, description="成本倍数"),
    retention_cost=fixed(200.0),
    customer_value=fixed(3000.0),
    first_ring=fixed(11),
    second_ring=fixed(5),
    silent_tell=fixed(10),
    churn_share=fixed(0.5),
    lang=fixed(lang),
)

# %% [markdown]
# ### 代码练习 2：按 3:1 的规律算一算
#
# 酒店今年流失了 `lost_customers = 去年的顾客数 − kept` 位老顾客。如果保留一位老顾客要花 200 元，按课程的 3:1，
# 开发一位新顾客要花多少？把流失的顾客全部用新顾客补上，要比当初把他们留住多花多少钱（`extra_cost`）？

# %% tags=["solution", "hide-input"] jupyter={"source_hidden": true}
keep_cost = 200.0
acquire_cost = 3 * keep_cost
lost_customers = int(log["active_last_year"].sum()) - kept
extra_cost = lost_customers * (acquire_cost - keep_cost)

# %%
# 自我检查：与 retention_economics 的算法一致（流失人数 × 保留成本 × (3 − 1)）
check = retention_economics(1, silent_share=0.0, churn_share=1.0, retention_cost=keep_cost).set_index("item")["value"]
assert extra_cost == lost_customers * float(check["saving_by_retention"])
display(Markdown(f"流失 {lost_customers} 位老顾客，用新顾客补上要多花 {extra_cost:,.0f} 元。"))

# %% [markdown]
# ## 12.5 关系管理的关键策略与 CRM 的导入
#
# 课程的培训材料把关系管理的关键策略归纳为三条：
#
# * **客户细分与个性化服务**：按需求、行为和偏好把客户分成不同群体，按客户独特的需求提供定制化的产品或服务；
# * **客户忠诚度计划**：用优惠、积分、会员权益等激励客户持续购买和重复购买，并做好计划细节、宣传推广和执行监控；
# * **客户互动渠道的管理**：把电话、邮件、社交媒体、在线客服等渠道整合起来，为客户提供一致的服务体验。
#
# **科技可以加强服务素质**，课程列出五个方面：提高服务效率；提供稳定一致的服务；增加服务选择；
# 提供个人化服务；延长服务时间。
#
# **导入 CRM 的流程**分为三段：
#
# 1. **检视及规划**——检视公司现有的技术和企业流程，评估导入 CRM 后会影响的部分、以及导入时需要而企业目前缺乏的产品和流程；
#    事先规划导入策略：人员训练、企业流程整合与设计、投资报酬评估、与顾客的互动方式、资料搜集整合方式等；
# 2. **调整组织流程**——把顾客管理流程与所选的科技系统结合，调整旧有的组织流程：人员的调动及训练、部门的增设或修改、
#    资讯及资源的流通等；
# 3. **交付及发展**——引导使用者使用新系统：员工训练课程、分享会议、厂商说明会，鼓励使用者采用新功能、学习新的作业流程、
#    调整与顾客互动的方式。
#
# ### 案例：希尔顿酒店与万豪酒店
#
# 课程举了两家国际酒店的做法。**希尔顿酒店**靠卓越的服务和客户体验建立长期的客户关系：注重员工培训，
# 确保员工有良好的服务态度和技能，同时用客户关系管理系统对客户进行细分、提供定制化服务。
# **万豪酒店**用数字化手段提升客户体验：通过移动应用程序提供自助入住和退房、客房订购服务，并定期收集客户反馈，
# 持续改进服务质量和客户满意度。
#
# ## 思考题
#
# 1. 一家连锁酒店买了一套 CRM 软件，但前台员工仍然按老办法登记客人。按 CRM 的三重含义，这家酒店缺了什么？
# 2. 把希尔顿和万豪的做法分别对到 CRM 的四大功能和关系管理的三条关键策略上。
# 3. 在上面的登记表里，如果酒店把营销预算全部用于获取新顾客，三个层次中哪一层会先受影响？为什么？
#
# <details><summary>参考答案</summary>
#
# 1. 只有“软件和技术”，没有“管理机制”和“管理理念”：流程没有从“以产品为中心”转到“以客户为中心”，
#    导入流程中的“调整组织流程”和“交付及发展”（员工训练、引导使用新系统）都没有做。
# 2. 希尔顿：客户细分与定制化服务（客户细分与个性化服务；客户信息管理、服务管理与客户关怀），员工培训；
#    万豪：移动应用自助入住、退房和客房订购（客户互动渠道的管理；科技延长服务时间、增加服务选择），定期收集反馈（绩效的分析与衡量）。
# 3. “发展并维持顾客关系”会先受影响：老顾客得不到关怀，保留率下降；随后“由原顾客创造新顾客”也会减少，
#    因为推荐人来自满意的老顾客。按 3:1 的规律，补上流失的顾客比留住他们贵得多。
# </details>
#
# ## 本章小结
#
# * CRM 既是管理理念，也是管理机制，还是软件和技术；
# * 四大功能：客户信息管理、市场营销管理、销售管理、服务管理与客户关怀；做好客户关系分五步，从收集客户资料到绩效衡量；
# * 顾客关系分三个层次：获取新顾客、发展并维持顾客关系（核心）、由原顾客创造新顾客；
# * 七项效益之所以成立，一个重要原因是开发新顾客的成本约为留住老顾客的 3 倍；
# * 导入 CRM 要经过检视及规划、调整组织流程、交付及发展三段。
#
# ## 参考文献
#
# * 尤建新、陈强、鲍悦华 编著：《顾客满意管理》（第 1、4、5 章）。
# * 课程讲义：《客户服务》课件（CRM 四大功能、做好客户关系的步骤）；《顾客关系管理》课件（关系的三个层次、七项效益、导入流程）；
#   酒店客户服务培训课件（希尔顿、万豪案例）；《客户关系与服务管理》课件（科技加强服务素质）。
# * 《客户关系管理——客户体验、客户关怀、客户接触点之间的关系》（CRM 的三重含义、数据挖掘与 CRM）。

# %% [markdown]
# ## 术语表（Glossary）
#
# | 中文 | English |
# |---|---|
# | 客户关系管理 | customer relationship management (CRM) |
# | 管理理念 / 管理机制 | management philosophy / management mechanism |
# | 客户信息管理 | customer information management |
# | 服务管理与客户关怀 | service management and customer care |
# | 获取新顾客 | acquiring new customers |
# | 发展并维持顾客关系 | developing and keeping customer relationships |
# | 由原顾客创造新顾客 | winning new customers through existing ones |
# | 保留率 | retention rate |
# | 客户忠诚度计划 | loyalty programme |
# | 渠道整合 | channel integration |
# | 关系营销 | relationship marketing |
# | 检视及规划 | review and planning |
