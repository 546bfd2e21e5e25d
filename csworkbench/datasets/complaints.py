"""Synthetic complaint logs with a known truth (模拟投诉记录).

Course concept: the complaint record and the textbook's five levels of dissatisfaction
behaviour (seed 000; 1–3 非投诉型抱怨 found through surveys, interviews and social media, 4–5
投诉型抱怨 received through the firm's channels, consumer bodies, the media or the law).
:func:`make_complaints` writes records with every field of
:data:`csworkbench.schema.COMPLAINT_FIELDS`; a story about a product (or place, service) drawn
from its category's own list, told with phrases that fit both, so that a classifier can (and
should) recover the category; escalation cues in the text and the channel; handling-step
timestamps drawn from known exponential delays; repeat complainers and, in a share of
stories, personal data to be masked.

The truth is documented here and returned in ``frame.attrs["truth"]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike

import numpy as np
import pandas as pd

from ..codes import ASPECT_OF, CATEGORIES, DEPARTMENT_OF, HANDLING_STEPS
from ..errors import DataError
from ..i18n import check_language
from ..io import read_table
from ..schema import Validated, validate_complaints

__all__ = ["make_complaints", "load_complaints", "DEFAULT_CATEGORY_WEIGHTS", "DEFAULT_LEVEL_WEIGHTS", "STEP_MEAN_HOURS"]

DEFAULT_CATEGORY_WEIGHTS: dict[str, float] = {
    "product_quality": 0.32,
    "delivery": 0.22,
    "billing": 0.14,
    "staff_attitude": 0.12,
    "after_sales": 0.10,
    "environment": 0.06,
    "facilities": 0.04,
}
#: Share of escalation levels 1…5 among records.
DEFAULT_LEVEL_WEIGHTS: tuple[float, ...] = (0.10, 0.15, 0.15, 0.50, 0.10)
#: Mean delay in hours of each handling step after the previous one (exponential).
STEP_MEAN_HOURS: dict[str, float] = {
    "acknowledged_at": 12.0,
    "cause_found_at": 36.0,
    "resolved_at": 60.0,
    "followed_up_at": 96.0,
}

# What a complaint is about and what went wrong, per category: groups of (kind, products, phrases)
# whose phrases fit every product of the group, so no story pairs a mattress with missing seats.
# "|" separates items; kind picks the opener and the level-2/3 cue (goods are bought, places visited,
# services subscribed to or contacted).  Each phrase holds words of its own category only.
_STORIES: dict[str, dict[str, list[tuple[str, str, str]]]] = {
    "zh": {
        "product_quality": [
            (
                "goods",
                "电饭煲|微波炉|吸尘器",
                "用了没几天就坏了|质量太差，外壳有裂缝|出现故障，根本不能用|收到的是次品，有明显瑕疵"
                "|开机就故障，质量堪忧|做工粗糙，按键松动",
            ),
            (
                "goods",
                "洗衣机|空调|热水器",
                "用了没几天就坏了|出现故障，根本不能用|里面漏水，还有一股异味|质量太差，面板有裂缝"
                "|开机就故障，质量堪忧",
            ),
            (
                "goods",
                "手机|笔记本电脑",
                "用了没几天就坏了|屏幕有裂缝，质量太差|收到的是次品，有明显瑕疵|做工粗糙，边缘有划痕"
                "|出现故障，根本不能用",
            ),
            (
                "goods",
                "床垫|沙发",
                "用了没几天就塌陷了，质量太差|有一股刺鼻的异味|受潮发霉了|面料有破损|做工粗糙，线头很多"
                "|收到的是次品，有明显瑕疵",
            ),
            (
                "goods",
                "外套|床单",
                "洗了一次就掉色严重|做工粗糙，线头很多|有一股刺鼻的异味|收到的是次品，有明显瑕疵|用了没几天就破损了",
            ),
        ],
        "delivery": [
            (
                "goods",
                "电饭煲|手机|笔记本电脑|外套|床单|吸尘器",
                "快递一个星期都没到|物流信息一直不更新|送货延迟了五天"
                "|包裹破了，外箱被压扁|显示已签收但我没收到|发货太慢，催了好几次|配送员把东西放在门口就走了|快递丢件了",
            ),
            (
                "goods",
                "床垫|洗衣机|沙发",
                "送货延迟了五天|物流信息一直不更新|发货太慢，催了好几次|配送员把东西放在楼下就走了"
                "|约好的送货时间没人来|显示已签收但我没收到",
            ),
        ],
        "billing": [
            (
                "goods",
                "手机|空调|电饭煲|笔记本电脑",
                "被多收了一笔钱|结账时的价格和标价不一样|买完第二天就降价，差价不给退"
                "|发票开错了金额|退款迟迟不到账|优惠券没有抵扣，多扣费了",
            ),
            (
                "service",
                "会员卡|视频会员|宽带套餐",
                "自动续费扣费没有通知|被多收了一笔钱|退款迟迟不到账|账单上的金额和套餐价格不一样|乱收服务费",
            ),
            (
                "hotel",
                "酒店",
                "退房时被多收了一晚的钱|发票开错了金额|乱收服务费|押金退款迟迟不到账|账单上的价格和预订时的不一样",
            ),
        ],
        "staff_attitude": [
            ("place", "门店|专卖店", "店员爱理不理|销售员态度恶劣|被店员当众训斥|工作人员说话不礼貌|店员很不耐烦"),
            ("place", "营业厅", "工作人员说话不礼貌|营业员爱理不理|营业员态度恶劣，很不耐烦|被工作人员当众训斥"),
            ("hotel", "酒店", "前台服务员对我很冷漠|服务员态度恶劣|前台工作人员说话不礼貌|叫了三次客房服务都爱理不理"),
            ("contact", "客服热线", "客服态度很差，很不耐烦|客服一直推诿敷衍|客服直接挂断电话|客服说话不礼貌"),
            ("contact", "在线客服", "客服态度很差，很不耐烦|客服一直推诿敷衍|客服回复敷衍，答非所问|客服说话不礼貌"),
        ],
        "environment": [
            (
                "place",
                "餐厅|门店",
                "店里环境很脏|桌面都是灰尘|卫生状况很差|洗手区环境脏乱|门口堆满垃圾|空调太冷，气味难闻",
            ),
            (
                "place",
                "营业厅|酒店大堂",
                "大厅太吵，噪音很大|排队的人太拥挤|卫生状况很差|空调太冷，气味难闻|门口堆满垃圾",
            ),
        ],
        "facilities": [
            ("place", "商场", "电梯坏了没人修|停车位太少，停车难|厕所设施损坏|充电桩不能用|座位不够，休息区设备老旧"),
            ("hotel", "酒店", "电梯坏了没人修|停车位太少，停车难|无线网一直连不上|房间设施损坏"),
            (
                "place",
                "营业厅|银行网点",
                "座位不够，设备老旧|自助机系统总是死机|网络系统瘫痪，办不了业务|无线网一直连不上",
            ),
        ],
        "after_sales": [
            (
                "goods",
                "空调|洗衣机|热水器",
                "申请售后一直没人处理|保修期内维修还要收钱|换货申请被拒绝|上门安装的师傅没来"
                "|返修三次还没修好|退货流程太复杂|三包政策不执行|维修网点互相推给厂家",
            ),
            (
                "goods",
                "手机|笔记本电脑|电饭煲",
                "申请售后一直没人处理|保修期内维修还要收钱|换货申请被拒绝|返修三次还没修好"
                "|退货流程太复杂|三包政策不执行|维修网点互相推给厂家|寄去维修一个月没消息",
            ),
        ],
    },
    "en": {
        "product_quality": [
            (
                "goods",
                "rice cooker|microwave|vacuum cleaner",
                "it broke after a few days|poor quality, the case has a crack"
                "|it is faulty and unusable|arrived with an obvious defect|damaged out of the box"
                "|poor workmanship, the buttons are loose",
            ),
            (
                "goods",
                "washing machine|air conditioner|water heater",
                "it broke after a few days|it is faulty and unusable"
                "|it leaks and has a strange smell|poor quality, the panel has a crack|damaged out of the box",
            ),
            (
                "goods",
                "phone|laptop",
                "it broke after a few days|the screen has a crack|arrived with an obvious defect"
                "|poor workmanship with scratches on the edge|it is faulty and unusable",
            ),
            (
                "goods",
                "mattress|sofa",
                "poor quality, it sagged within days|it has a strange smell|there is mould on it"
                "|the fabric arrived damaged|poor workmanship with loose threads|arrived with an obvious defect",
            ),
            (
                "goods",
                "coat|bed sheet",
                "poor quality, the colour faded after one wash|poor workmanship with loose threads"
                "|it has a strange smell|arrived with an obvious defect|it was damaged within days",
            ),
        ],
        "delivery": [
            (
                "goods",
                "rice cooker|phone|laptop|coat|bed sheet|vacuum cleaner",
                "the courier took a week"
                "|the tracking never updated|delivery was five days late|the parcel arrived crushed"
                "|marked delivered but never arrived|shipping was very slow|the package was left outside"
                "|the courier lost my package",
            ),
            (
                "goods",
                "mattress|washing machine|sofa",
                "delivery was five days late|the tracking never updated"
                "|shipping was very slow|the courier left it downstairs|nobody came in the promised delivery slot"
                "|marked delivered but never arrived",
            ),
        ],
        "billing": [
            (
                "goods",
                "phone|air conditioner|rice cooker|laptop",
                "I was overcharged"
                "|the price at the till does not match the shelf price|the price dropped the next day and no refund"
                "|the invoice shows the wrong amount|my refund has not arrived|the coupon was not applied|I was double charged",
            ),
            (
                "service",
                "membership|video subscription|broadband plan",
                "an auto-renewal charged me without notice"
                "|I was double charged|my refund has not arrived|the bill does not match the plan price|hidden service fees",
            ),
            (
                "hotel",
                "hotel",
                "I was charged for an extra night at check-out|the invoice shows the wrong amount"
                "|hidden service fees|my deposit refund has not arrived|the bill does not match the booking price",
            ),
        ],
        "staff_attitude": [
            (
                "place",
                "shop|flagship store",
                "the staff ignored me|the clerk was dismissive|the salesman had a terrible attitude"
                "|a manager shouted at me|the staff were impolite",
            ),
            (
                "place",
                "service hall",
                "the staff were impolite|the clerk was dismissive|the staff ignored me|a manager shouted at me",
            ),
            (
                "hotel",
                "hotel",
                "the front-desk staff were rude|the staff ignored my room-service calls|the staff were impolite"
                "|the receptionist had a terrible attitude",
            ),
            (
                "contact",
                "customer hotline",
                "the agent was rude and impatient|the agent kept passing me around"
                "|the phone agent hung up on me|the agent was impolite",
            ),
            (
                "contact",
                "online chat",
                "the agent was rude and impatient|the agent kept passing me around"
                "|the agent gave dismissive copy-paste answers|the agent was impolite",
            ),
        ],
        "environment": [
            (
                "place",
                "restaurant|shop",
                "the place was dirty|tables were dusty|hygiene was poor|the washroom area was untidy"
                "|rubbish piled at the door|it was smelly and cold",
            ),
            (
                "place",
                "service hall|hotel lobby",
                "the hall was noisy|the queue was crowded|hygiene was poor"
                "|it was smelly and cold|rubbish piled at the door",
            ),
        ],
        "facilities": [
            (
                "place",
                "shopping mall",
                "the elevator was out of order|there is no parking|the toilet facilities were broken"
                "|the charger station is dead|not enough seats in the rest area",
            ),
            (
                "hotel",
                "hotel",
                "the elevator was out of order|there is no parking|the wifi never works"
                "|the room facilities were out of order",
            ),
            (
                "place",
                "service hall|bank branch",
                "not enough seats and old equipment|the self-service system kept crashing"
                "|the queuing system was down|the wifi never works",
            ),
        ],
        "after_sales": [
            (
                "goods",
                "air conditioner|washing machine|water heater",
                "after-sales never replied|a warranty repair was billed"
                "|my replacement was refused|the installation technician never came|three repairs and still not fixed"
                "|the return process is a maze|the warranty terms were ignored|the service centre blamed the maker",
            ),
            (
                "goods",
                "phone|laptop|rice cooker",
                "after-sales never replied|a warranty repair was billed"
                "|my replacement was refused|three repairs and still not fixed|the return process is a maze"
                "|the warranty terms were ignored|the service centre blamed the maker",
            ),
        ],
    },
}
#: Escalation cue sentences per level; levels 2 and 3 per kind (goods are bought again, places visited again).
_CUES = {
    "zh": {
        (2, "goods"): ["以后再也不买这个牌子了", "我不会再买了，换别家"],
        (2, "visit"): ["我不会再来了，换别家", "以后再也不来了"],
        (2, "service"): ["以后再也不用你们家的了", "我要取消会员，换一家"],
        (3, "goods"): ["我已经告诉朋友和家人别买", "发了朋友圈提醒朋友"],
        (3, "visit"): ["我已经告诉朋友和家人别去", "发了朋友圈提醒朋友"],
        (3, "service"): ["我已经告诉朋友和家人别用", "发了朋友圈提醒朋友"],
        4: ["我要向消协投诉", "要求赔偿损失", "我会找媒体曝光"],
        5: ["已经请了律师准备起诉", "我将申请仲裁"],
    },
    "en": {
        (2, "goods"): ["I will never buy this brand again", "I will take my business elsewhere"],
        (2, "visit"): ["I won't be back", "I will take my business elsewhere"],
        (2, "service"): ["I will switch to another provider", "I will take my business elsewhere"],
        (3, "goods"): ["I told my friends and family not to buy it", "I will warn everyone I know"],
        (3, "visit"): ["I told my friends and family to stay away", "I will warn everyone I know"],
        (3, "service"): ["I told my friends and family to avoid it", "I will warn everyone I know"],
        4: ["I want compensation", "I will complain to the consumer association", "I will go to the media"],
        5: ["my lawyer will take you to court", "I am starting legal action"],
    },
}
_CUE_KIND = {"goods": "goods", "place": "visit", "hotel": "visit", "service": "service", "contact": "service"}
_OPEN = {
    "zh": {
        "goods": ["我在{d}买了{p}，", "上周购买的{p}，", "{p}：", "关于{p}，"],
        "place": ["我{d}去了{p}，", "上周去{p}，", "{p}：", "关于{p}，"],
        "hotel": ["我{d}入住{p}，", "上周住的{p}，", "{p}：", "关于{p}，"],
        "service": ["我{d}办的{p}，", "{p}：", "关于{p}，"],
        "contact": ["我{d}联系{p}，", "{p}：", "关于{p}，"],
    },
    "en": {
        "goods": ["I bought this {p} on {d}: ", "About my {p}: ", "{p} — ", "Regarding the {p}: "],
        "place": ["I went to the {p} on {d}: ", "About the {p}: ", "{p} — ", "Regarding the {p}: "],
        "hotel": ["I stayed at the {p} on {d}: ", "About the {p}: ", "{p} — "],
        "service": ["I signed up for this {p} on {d}: ", "About my {p}: ", "{p} — "],
        "contact": ["I contacted the {p} on {d}: ", "About the {p}: ", "{p} — "],
    },
}
_FILLER = {
    "zh": ["希望尽快处理。", "真的很无奈。", "请给个说法。", "", ""],
    "en": ["Please sort this out.", "Very frustrating.", "I expect an answer.", "", ""],
}
_REGIONS = {
    "zh": ["华东", "华南", "华北", "华中", "西南", "西北", "东北"],
    "en": ["East", "South", "North", "Central", "Southwest", "Northwest", "Northeast"],
}
_SURNAMES = {
    "zh": list("张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高"),
    "en": ["Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Roberts", "Walker"],
}
_GIVEN = {
    "zh": list("伟芳娜敏静丽强磊军洋艳勇杰娟涛明超秀霞平"),
    "en": ["Anna", "Ben", "Chloe", "David", "Emma", "Frank", "Grace", "Henry", "Isla", "Jack"],
}
_CHANNELS = {
    1: ["survey", "interview"],
    2: ["survey"],
    3: ["social_media"],
    4: ["hotline", "hotline", "store", "email", "app", "consumer_association", "media"],
    5: ["court", "arbitration", "lawyer_letter"],
}
_REQUEST = {
    "zh": ["退货退款", "换新", "赔偿", "道歉", "维修"],
    "en": ["refund", "replacement", "compensation", "apology", "repair"],
}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(rng: np.random.Generator) -> str:
    body = (
        "110105"
        + f"{rng.integers(1950, 2005)}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}"
        + f"{rng.integers(0, 1000):03d}"
    )
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS)) % 11]


def _card(rng: np.random.Generator) -> str:
    digits = [6, 2] + [int(d) for d in rng.integers(0, 10, 13)]
    total = 0
    for i, d in enumerate(reversed(digits)):  # the check digit will sit on the right: double odd positions
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def _customers(rng: np.random.Generator, n: int, lang: str, repeat_share: float):
    """Who complains: ids (a share of complaints come from earlier complainants), names, phones, contacts."""
    names_pool = [
        s + g + (g2 if lang == "zh" and i % 2 else "") if lang == "zh" else f"{g} {s}"
        for i, (s, g, g2) in enumerate(
            zip(rng.choice(_SURNAMES[lang], 4000), rng.choice(_GIVEN[lang], 4000), rng.choice(_GIVEN[lang], 4000))
        )
    ]
    names_pool = list(dict.fromkeys(names_pool))
    customer = np.empty(n, dtype=int)
    next_id = 0
    for i in range(n):
        if i > 0 and rng.random() < repeat_share:
            customer[i] = customer[rng.integers(0, i)]
        else:
            customer[i] = next_id
            next_id += 1
    complainant = np.array(
        [
            names_pool[c % len(names_pool)] + ("" if c < len(names_pool) else str(c // len(names_pool)))
            for c in customer
        ],
        dtype=object,
    )
    phones = {c: f"1{rng.choice([3, 5, 7, 8, 9])}{rng.integers(0, 10**9):09d}" for c in np.unique(customer)}
    contact = np.array([phones[c] if c % 3 else f"user{c}@example.com" for c in customer], dtype=object)

    return customer, complainant, phones, contact


def _subjects(
    rng: np.random.Generator, lang: str, category: np.ndarray
) -> tuple[np.ndarray, list[tuple[str, list[str]]]]:
    """What each complaint is about: a product (or place, service) of its category's own list, with the
    kind and the phrases that fit it."""
    products = np.empty(len(category), dtype=object)
    fits: list[tuple[str, list[str]]] = []
    for i, cat in enumerate(category):
        groups = _STORIES[lang][str(cat)]
        kind, names, phrases = groups[rng.integers(len(groups))]
        choices = names.split("|")
        products[i] = choices[rng.integers(len(choices))]
        fits.append((kind, phrases.split("|")))
    return products, fits


def _stories(
    rng: np.random.Generator,
    lang: str,
    fits: list[tuple[str, list[str]]],
    products: np.ndarray,
    date: pd.Series,
    level: np.ndarray,
    pii: np.ndarray,
    complainant: np.ndarray,
    phone: list[str],
    customer: np.ndarray,
) -> list[str]:
    """One story per complaint: what happened (phrases that fit the product and the category), a filler,
    an escalation cue from level 2 on (worded for goods, places or services), and, for a share of them, the
    personal data a real log holds (to be masked in reports)."""
    stories = []
    for i, (kind, phrases) in enumerate(fits):
        picks = rng.choice(len(phrases), 1 + int(rng.random() < 0.5), replace=False)
        sep = "，" if lang == "zh" else ", "
        body = sep.join(phrases[j] for j in picks)
        openers = _OPEN[lang][kind]
        opener = openers[rng.integers(len(openers))].format(p=products[i], d=date.iloc[i].strftime("%Y-%m-%d"))
        if lang == "en" and opener[0].islower():
            opener = opener[0].upper() + opener[1:]
        end = "。" if lang == "zh" else "."
        parts = [opener + body + end, _FILLER[lang][rng.integers(len(_FILLER[lang]))]]
        if level[i] >= 2:
            key = (int(level[i]), _CUE_KIND[kind]) if level[i] <= 3 else int(level[i])
            cue = _CUES[lang][key]
            parts.append(cue[rng.integers(len(cue))] + ("！" if lang == "zh" else "!"))
        if pii[i]:
            if lang == "zh":
                parts.append(
                    f"我是{complainant[i]}，电话{phone[i]}，身份证{_id_number(rng)}，"
                    f"银行卡{_card(rng)}，邮箱c{customer[i]}@example.cn。"
                )
            else:
                parts.append(
                    f"I am {complainant[i]}, phone {phone[i]}, ID {_id_number(rng)}, "
                    f"card {_card(rng)}, mail c{customer[i]}@example.com."
                )
        stories.append(("" if lang == "zh" else " ").join(p for p in parts if p).strip())

    return stories


def _handling(rng: np.random.Generator, date: pd.Series, open_share: float) -> tuple[np.ndarray, dict[str, pd.Series]]:
    """Which complaints are still open, and when each handling step was reached (open ones only acknowledged)."""
    n = len(date)
    delays = {step: rng.exponential(mean, n) for step, mean in STEP_MEAN_HOURS.items()}
    is_open = rng.random(n) < open_share
    steps = {}
    elapsed = np.zeros(n)
    for step in HANDLING_STEPS:
        elapsed = elapsed + delays[step]
        ts = date + pd.to_timedelta(np.round(elapsed * 60), unit="min")
        if step != "acknowledged_at":
            ts = ts.where(~is_open)
        steps[step] = ts
    return is_open, steps


def make_complaints(
    n: int = 500,
    *,
    lang: str = "zh",
    start: str = "2025-01-01",
    months: int = 12,
    category_weights: dict[str, float] | None = None,
    level_weights: tuple[float, ...] = DEFAULT_LEVEL_WEIGHTS,
    repeat_share: float = 0.2,
    pii_share: float = 0.3,
    open_share: float = 0.08,
    spike: dict | None = None,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Synthetic complaint log (模拟投诉记录) with known category, department and escalation level.

    Parameters
    ----------
    n : int
        Number of complaints.
    lang : {"zh", "en"}
        Language of the stories, names, products and regions.
    start, months
        Complaints fall uniformly in ``months`` calendar months from ``start``.
    category_weights : mapping, optional
        Probability of each content category (default :data:`DEFAULT_CATEGORY_WEIGHTS`,
        a Pareto-like profile: the vital few are product_quality, delivery, billing).
    level_weights : 5 floats
        Probability of escalation levels 1…5.
    repeat_share : float
        Share of complaints filed by a customer who already complained (repeat complainers).
    pii_share : float
        Share of stories carrying a mobile number, ID number, bank card, e-mail and the
        complainant's own name (to test masking).
    open_share : float
        Share of complaints still open (no resolution timestamps).
    spike : mapping, optional
        ``{"category": "delivery", "month": 10, "factor": 4}`` multiplies that category's
        weight in that month (1-based) — a special cause for control charts.
    random_state : int

    Returns
    -------
    DataFrame
        One row per complaint with the canonical complaint fields (``complaint_id,
        complainant, contact, date, product, batch, service_act, staff_name, staff_id,
        usage_duration, service_aspect, story, loss, request, receiver, channel, region,
        department, status, resolved_at, resolution, satisfaction_after``), the handling
        steps ``acknowledged_at, cause_found_at, followed_up_at`` and the truth columns
        ``customer_id``, ``category`` and ``escalation_level``.

    Notes
    -----
    The truth (also in ``attrs["truth"]``):

    * ``category`` is drawn from ``category_weights``; ``product`` from that category's own
      list (goods for quality, delivery and after-sales; shops, service halls, hotels,
      hotlines and subscriptions where they fit); the story holds one or two phrases of that
      category that fit the product (and none of another category); ``department`` =
      :data:`DEPARTMENT_OF` [category] and ``service_aspect`` = :data:`ASPECT_OF` [category].
    * ``escalation_level`` is drawn from ``level_weights``; levels 2–5 put a cue sentence
      of that level in the story; the channel agrees with the level (survey or interview for
      1–2 and social media for 3 — non-complaint dissatisfaction the firm found itself;
      hotline/store/e-mail/app/consumer body/media for 4 and court/arbitration/lawyer's
      letter for 5 — complaints it received), so
      :func:`csworkbench.complaints.escalation_level` recovers it exactly.
    * handling steps follow receipt by independent exponential delays with means
      :data:`STEP_MEAN_HOURS` (cumulative), so the median hours to resolution is
      ``median(Exp(12) + Exp(36) + Exp(60))``.
    * ``attrs["truth"]["pii_rows"]`` lists the rows whose story carries personal data.

    Examples
    --------
    >>> log = make_complaints(200, lang="en", random_state=1)
    >>> log.shape[0], sorted(log["escalation_level"].unique().tolist())
    (200, [1, 2, 3, 4, 5])
    >>> bool((log["department"] == log["category"].map(DEPARTMENT_OF)).all())
    True
    """
    check_language(lang)
    if int(n) < 1:
        raise DataError(f"make_complaints: n must be at least 1; got {n!r}")
    weights = dict(category_weights or DEFAULT_CATEGORY_WEIGHTS)
    unknown = set(weights) - set(CATEGORIES)
    if unknown:
        raise DataError(f"make_complaints: unknown categories {sorted(unknown)}; use {', '.join(CATEGORIES)}")
    if len(level_weights) != 5:
        raise DataError(f"make_complaints: level_weights needs 5 probabilities; got {len(level_weights)}")
    rng = np.random.default_rng(random_state)
    n = int(n)
    cats = np.array(list(weights))
    p_cat = np.array([weights[c] for c in cats], dtype=float)
    p_cat /= p_cat.sum()

    category, date = _categories_and_dates(rng, n, cats, p_cat, start, months, spike)
    level = rng.choice(np.arange(1, 6), n, p=np.asarray(level_weights, float) / np.sum(level_weights))
    customer, complainant, phones, contact = _customers(rng, n, lang, repeat_share)
    products, fits = _subjects(rng, lang, category)
    pii = rng.random(n) < pii_share
    stories = _stories(
        rng, lang, fits, products, date, level, pii, complainant, [phones[c] for c in customer], customer
    )
    is_open, steps = _handling(rng, date, open_share)
    frame = _complaint_frame(
        rng, lang, category, level, date, customer, complainant, contact, products, stories, is_open, steps
    )
    frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
    frame["complaint_id"] = [f"C{i + 1:05d}" for i in range(n)]
    frame.attrs["truth"] = {
        "category_weights": {str(c): float(w) for c, w in zip(cats, p_cat)},
        "level_weights": [float(w) for w in np.asarray(level_weights) / np.sum(level_weights)],
        "department_of": dict(DEPARTMENT_OF),
        "aspect_of": dict(ASPECT_OF),
        "step_mean_hours": dict(STEP_MEAN_HOURS),
        "spike": spike,
        "pii_rows": frame.index[
            frame["story"].str.contains("@example", regex=False) & frame["story"].str.contains("身份证|ID ", regex=True)
        ].tolist(),
    }
    return frame


def _categories_and_dates(
    rng: np.random.Generator,
    n: int,
    cats: np.ndarray,
    p_cat: np.ndarray,
    start: str,
    months: int,
    spike: dict | None,
) -> tuple[np.ndarray, pd.Series]:
    """Each complaint's category (weighted up in the spike month, if any) and its receipt time."""
    first = pd.Timestamp(start).to_period("M")
    month = rng.integers(0, months, n)
    if spike:
        k = list(cats).index(spike["category"])
        p_spike = p_cat.copy()
        p_spike[k] *= float(spike.get("factor", 3.0))
        p_spike /= p_spike.sum()
        in_spike = month == int(spike["month"]) - 1
        # a spike adds complaints: extra rows of that category in that month
        category = np.where(in_spike, rng.choice(cats, n, p=p_spike), rng.choice(cats, n, p=p_cat))
    else:
        category = rng.choice(cats, n, p=p_cat)
    month_start = np.array([(first + int(m)).to_timestamp() for m in month], dtype="datetime64[ns]")
    days = np.array([(first + int(m)).days_in_month for m in month])
    offset = (rng.random(n) * days * 24 * 3600).astype("int64")
    date = pd.Series(month_start + offset.astype("timedelta64[s]")).dt.floor("min")
    return category, date


def _complaint_frame(
    rng: np.random.Generator,
    lang: str,
    category: np.ndarray,
    level: np.ndarray,
    date: pd.Series,
    customer: np.ndarray,
    complainant: np.ndarray,
    contact: np.ndarray,
    products: np.ndarray,
    stories: list[str],
    is_open: np.ndarray,
    steps: dict[str, pd.Series],
) -> pd.DataFrame:
    """The complaint records in draw order, drawing the remaining fields (staff, loss, channel …)."""
    n = len(category)
    resolved = ~is_open
    sat = np.where(resolved, np.clip(np.round(rng.normal(3.6, 1.0, n)), 1, 5), np.nan)
    staff_n = rng.integers(1, 16, n)
    return pd.DataFrame(
        {
            "complaint_id": [f"C{i + 1:05d}" for i in range(n)],
            "complainant": complainant,
            "contact": contact,
            "date": date,
            "product": products,
            "batch": [f"B{y}{rng.integers(1, 99):02d}" for y in rng.integers(2023, 2026, n)],
            "service_act": np.where(
                np.isin(category, ["staff_attitude", "environment", "facilities"]), "counter_service", "sale"
            ),
            "staff_name": [f"{'员工' if lang == 'zh' else 'Staff '}{k}" for k in staff_n],
            "staff_id": [f"E{k:03d}" for k in staff_n],
            "usage_duration": [f"{d} {'天' if lang == 'zh' else 'days'}" for d in rng.integers(1, 400, n)],
            "service_aspect": [ASPECT_OF[c] for c in category],
            "story": stories,
            "loss": np.round(rng.lognormal(5, 1, n), 2),
            "request": rng.choice(_REQUEST[lang], n),
            "receiver": [f"{'客服' if lang == 'zh' else 'Agent '}{k}" for k in rng.integers(1, 9, n)],
            "channel": [_CHANNELS[int(lv)][rng.integers(len(_CHANNELS[int(lv)]))] for lv in level],
            "region": rng.choice(_REGIONS[lang], n, p=[0.3, 0.25, 0.15, 0.1, 0.1, 0.05, 0.05]),
            "department": [DEPARTMENT_OF[c] for c in category],
            "status": np.where(is_open, "open", "closed"),
            "resolved_at": steps["resolved_at"],
            "resolution": np.where(is_open, np.full(n, None, dtype=object), rng.choice(_REQUEST[lang], n)),
            "satisfaction_after": sat,
            "acknowledged_at": steps["acknowledged_at"],
            "cause_found_at": steps["cause_found_at"],
            "followed_up_at": steps["followed_up_at"],
            "customer_id": [f"K{c:05d}" for c in customer],
            "category": category,
            "escalation_level": level.astype(int),
        }
    )


def load_complaints(
    data_path: str | PathLike = "",
    *,
    column_map: Mapping[str, str] | None = None,
    lang: str = "zh",
    n: int = 600,
    random_state: int | np.random.Generator | None = 0,
    **read_options,
) -> Validated:
    """Read and validate a complaint log, or make a synthetic one (``data_path=""``).

    Parameters
    ----------
    data_path : str or path
        CSV / Excel / … file (read with :func:`csworkbench.io.read_table`); ``""`` makes
        ``n`` synthetic complaints with :func:`csworkbench.datasets.complaints.make_complaints`.
    column_map : mapping, optional
        Your headers → canonical fields (Chinese headers such as 投诉内容 are recognised
        without it); see :func:`csworkbench.schema.validate_complaints`.
    lang, n, random_state
        For the synthetic log.

    Returns
    -------
    Validated
        ``data``: the clean log (handling-step columns as datetimes); ``problems``: the
        problem table (columns of :data:`csworkbench.codes.PROBLEM_COLUMNS`).

    Examples
    --------
    >>> log, problems = load_complaints("", n=50, lang="en")  # a Validated unpacks
    >>> len(log), list(problems.columns)[:2]
    (50, ['row', 'column'])
    """
    if str(data_path):
        raw = read_table(data_path, **read_options)
        path = data_path
    else:
        raw = make_complaints(n, lang=lang, random_state=random_state)
        path = None
    clean, problems = validate_complaints(raw, column_map=dict(column_map or {}), path=path)
    for step in HANDLING_STEPS:
        if step in clean.columns and not pd.api.types.is_datetime64_any_dtype(clean[step]):
            clean[step] = pd.to_datetime(clean[step], errors="coerce")
    return Validated(clean, problems)
