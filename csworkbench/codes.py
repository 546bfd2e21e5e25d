"""Fixed vocabularies of the package (固定词表): one leaf module that imports nothing of csworkbench.

Everything here is a constant that several layers need — the validators in :mod:`csworkbench.schema`,
the generators in :mod:`csworkbench.datasets`, the capability packages and the reports — so it lives
below all of them and keeps the import graph free of cycles (``tests/test_architecture.py``):

* the complaint record (投诉记录): its fields, the required ones, Chinese header aliases, the
  course's five service aspects (服务方面), content categories with their departments, channels
  with the escalation level they imply, and the handling steps with their service-level targets;
* the SERVQUAL instrument (服务质量五要素): 22 items on five dimensions (Parasuraman, Zeithaml &
  Berry 1988);
* the columns of every data-problem table (:mod:`csworkbench.problems`).

Examples
--------
>>> from csworkbench.codes import SERVQUAL_DIMENSIONS, COMPLAINT_REQUIRED
>>> list(SERVQUAL_DIMENSIONS)[:2], len(sum(SERVQUAL_DIMENSIONS.values(), []))
(['tangibles', 'reliability'], 22)
>>> COMPLAINT_REQUIRED
('complaint_id', 'date', 'story')
"""

from __future__ import annotations

__all__ = [
    "PROBLEM_COLUMNS",
    "COMPLAINT_FIELDS",
    "COMPLAINT_REQUIRED",
    "COMPLAINT_ALIASES",
    "SERVICE_ASPECTS",
    "ASPECT_ALIASES",
    "CATEGORIES",
    "DEPARTMENT_OF",
    "ASPECT_OF",
    "ESCALATION_LEVELS",
    "CHANNEL_LEVEL",
    "CHANNEL_ALIASES",
    "HANDLING_STEPS",
    "SERVQUAL_DIMENSIONS",
]

#: Columns of a data-problem table, in order (``code`` and ``params`` re-render the texts, see :mod:`csworkbench.problems`).
PROBLEM_COLUMNS = ["row", "column", "value", "problem", "action", "code", "params"]

# ---------------------------------------------------------------- the complaint record (投诉记录)
COMPLAINT_FIELDS: dict[str, str] = {
    "complaint_id": "complaint number",
    "complainant": "complainant's name (投诉人)",
    "contact": "complainant's contact (联系方式)",
    "date": "date received (日期)",
    "product": "product name (产品名称)",
    "batch": "batch number (批号)",
    "service_act": "service act concerned (服务行为)",
    "staff_name": "staff name (员工姓名)",
    "staff_id": "staff id (工号)",
    "usage_duration": "how long the product was used (使用时间)",
    "service_aspect": "service aspect: attitude, quality, price, environment, facilities (服务方面)",
    "story": "what happened (投诉内容)",
    "loss": "the customer's loss (损失)",
    "request": "the customer's request (要求)",
    "receiver": "who received the complaint (受理人)",
    "channel": "channel: phone, e-mail, web, store, consumer body, media …",
    "region": "region (地区)",
    "department": "responsible department (责任部门)",
    "status": "handling status (处理状态)",
    "resolved_at": "date resolved (解决日期)",
    "resolution": "what was done (处理结果)",
    "satisfaction_after": "satisfaction after handling, 1–5 (处理后满意度)",
}
COMPLAINT_REQUIRED = ("complaint_id", "date", "story")
SERVICE_ASPECTS = ("attitude", "quality", "price", "environment", "facilities")
ASPECT_ALIASES = {
    "态度": "attitude",
    "服务态度": "attitude",
    "质量": "quality",
    "服务质量": "quality",
    "价格": "price",
    "环境": "environment",
    "设施": "facilities",
    "设备": "facilities",
}
COMPLAINT_ALIASES: dict[str, str] = {
    "投诉编号": "complaint_id",
    "编号": "complaint_id",
    "投诉人": "complainant",
    "姓名": "complainant",
    "联系方式": "contact",
    "电话": "contact",
    "日期": "date",
    "投诉日期": "date",
    "产品名称": "product",
    "产品": "product",
    "批号": "batch",
    "服务行为": "service_act",
    "员工姓名": "staff_name",
    "工号": "staff_id",
    "使用时间": "usage_duration",
    "服务方面": "service_aspect",
    "投诉内容": "story",
    "内容": "story",
    "经过": "story",
    "损失": "loss",
    "要求": "request",
    "诉求": "request",
    "受理人": "receiver",
    "渠道": "channel",
    "地区": "region",
    "责任部门": "department",
    "部门": "department",
    "状态": "status",
    "处理状态": "status",
    "解决日期": "resolved_at",
    "处理结果": "resolution",
    "处理后满意度": "satisfaction_after",
}

# ---------------------------------------------------------------- complaint categories, channels, steps
#: Content categories (投诉内容) used by :func:`make_complaints` and the keyword lexicon.
CATEGORIES: tuple[str, ...] = (
    "product_quality",
    "delivery",
    "billing",
    "staff_attitude",
    "environment",
    "facilities",
    "after_sales",
)
#: Responsible department (责任部门) of each category.
DEPARTMENT_OF: dict[str, str] = {
    "product_quality": "quality",
    "delivery": "logistics",
    "billing": "finance",
    "staff_attitude": "customer_service",
    "environment": "store_operations",
    "facilities": "store_operations",
    "after_sales": "after_sales",
}
#: The course's service aspect (服务方面) of each category.
ASPECT_OF: dict[str, str] = {
    "product_quality": "quality",
    "delivery": "quality",
    "billing": "price",
    "staff_attitude": "attitude",
    "environment": "environment",
    "facilities": "facilities",
    "after_sales": "quality",
}
ESCALATION_LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
#: Level implied by the channel a record came through (None: the channel says nothing).
CHANNEL_LEVEL: dict[str, int | None] = {
    "survey": None,
    "interview": None,
    "observation": None,
    "social_media": 3,
    "word_of_mouth": 3,
    "hotline": 4,
    "phone": 4,
    "email": 4,
    "e-mail": 4,
    "web": 4,
    "app": 4,
    "store": 4,
    "letter": 4,
    "consumer_association": 4,
    "12315": 4,
    "media": 4,
    "regulator": 4,
    "arbitration": 5,
    "court": 5,
    "lawyer_letter": 5,
}
#: Channel names as users write them → the codes of :data:`CHANNEL_LEVEL`.
CHANNEL_ALIASES: dict[str, str] = {
    "电话": "phone",
    "热线": "hotline",
    "客服热线": "hotline",
    "400热线": "hotline",
    "邮件": "email",
    "电子邮件": "email",
    "网站": "web",
    "官网": "web",
    "在线": "web",
    "门店": "store",
    "店面": "store",
    "信函": "letter",
    "来信": "letter",
    "消协": "consumer_association",
    "消费者协会": "consumer_association",
    "媒体": "media",
    "社交媒体": "social_media",
    "微博": "social_media",
    "微信": "social_media",
    "口碑": "word_of_mouth",
    "监管部门": "regulator",
    "仲裁": "arbitration",
    "法院": "court",
    "律师函": "lawyer_letter",
    "问卷": "survey",
    "调查": "survey",
    "访谈": "interview",
    "观察": "observation",
    "social media": "social_media",
    "consumer association": "consumer_association",
    "telephone": "phone",
    "mail": "email",
}
#: Handling steps (处理步骤) with their default service-level targets in hours from receipt.
HANDLING_STEPS: dict[str, float] = {
    "acknowledged_at": 24.0,  # 受理确认
    "cause_found_at": 72.0,  # 分析原因
    "resolved_at": 168.0,  # 解决
    "followed_up_at": 336.0,  # 跟踪回访
}

# ---------------------------------------------------------------- SERVQUAL (服务质量五要素)
#: The standard instrument: 22 items (``"q1"`` … ``"q22"``) on five dimensions.
SERVQUAL_DIMENSIONS: dict[str, list[str]] = {
    "tangibles": [f"q{i}" for i in range(1, 5)],
    "reliability": [f"q{i}" for i in range(5, 10)],
    "responsiveness": [f"q{i}" for i in range(10, 14)],
    "assurance": [f"q{i}" for i in range(14, 18)],
    "empathy": [f"q{i}" for i in range(18, 23)],
}
