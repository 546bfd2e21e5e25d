"""Synthetic complaint logs with a known truth (模拟投诉记录).

Course concept: the complaint record and the five escalation levels of COURSE.md §4.
:func:`make_complaints` writes records with every field of
:data:`csworkbench.schema.COMPLAINT_FIELDS`, a story made from category phrases so that a
classifier can (and should) recover the category, escalation cues in the text and the
channel, handling-step timestamps drawn from known exponential delays, repeat
complainers and, in a share of stories, personal data to be masked.

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

_PHRASES = {
    "zh": {
        "product_quality": [
            "用了没几天就坏了",
            "质量太差，外壳有裂缝",
            "出现故障，根本不能用",
            "收到的是次品，有明显瑕疵",
            "做工粗糙，边缘有划痕",
            "里面漏水，还有一股异味",
            "颜色掉色严重",
            "开机就故障，质量堪忧",
        ],
        "delivery": [
            "快递一个星期都没到",
            "物流信息一直不更新",
            "送货延迟了五天",
            "包裹破了，外箱被压扁",
            "显示已签收但我没收到",
            "发货太慢，催了好几次",
            "配送员把东西放在门口就走了",
            "快递丢件了",
        ],
        "billing": [
            "被多收了一笔钱",
            "账单上的价格和标价不一样",
            "退款迟迟不到账",
            "发票开错了金额",
            "乱收服务费",
            "优惠券没有抵扣，多扣费了",
            "同样的东西差价很大",
            "自动续费扣费没有通知",
        ],
        "staff_attitude": [
            "客服态度很差，很不耐烦",
            "店员爱理不理",
            "服务员对我很冷漠",
            "客服一直推诿敷衍",
            "工作人员说话不礼貌",
            "被店员当众训斥",
            "电话客服直接挂断",
            "销售员态度恶劣",
        ],
        "environment": [
            "店里环境很脏",
            "卫生状况很差",
            "大厅太吵，噪音很大",
            "排队的人太拥挤",
            "空调太冷，气味难闻",
            "桌面都是灰尘",
            "门口堆满垃圾",
            "洗手区环境脏乱",
        ],
        "facilities": [
            "电梯坏了没人修",
            "停车位太少，停车难",
            "无线网一直连不上",
            "厕所设施损坏",
            "座位不够，设备老旧",
            "充电桩不能用",
            "自助机系统总是死机",
            "网络系统瘫痪，办不了业务",
        ],
        "after_sales": [
            "申请售后一直没人处理",
            "保修期内维修还要收钱",
            "换货申请被拒绝",
            "上门安装的师傅没来",
            "返修三次还没修好",
            "退货流程太复杂",
            "三包政策不执行",
            "维修网点互相推给厂家",
        ],
    },
    "en": {
        "product_quality": [
            "it broke after a few days",
            "poor quality, the case has a crack",
            "it is faulty and unusable",
            "arrived with an obvious defect",
            "poor workmanship with scratches on the edge",
            "it leaks and has a strange smell",
            "the colour faded badly",
            "damaged out of the box",
        ],
        "delivery": [
            "the courier took a week",
            "the tracking never updated",
            "delivery was five days late",
            "the parcel arrived crushed",
            "marked delivered but never arrived",
            "shipping was very slow",
            "the package was left outside",
            "the courier lost my package",
        ],
        "billing": [
            "I was overcharged",
            "the bill does not match the shelf price",
            "my refund has not arrived",
            "the invoice shows the wrong amount",
            "hidden service fees",
            "the coupon was not applied",
            "I was double charged",
            "an auto-renewal charged me without notice",
        ],
        "staff_attitude": [
            "the agent was rude and impatient",
            "the staff ignored me",
            "the clerk was dismissive",
            "the agent kept passing me around",
            "the staff were impolite",
            "a manager shouted at me",
            "the phone agent hung up on me",
            "the salesman had a terrible attitude",
        ],
        "environment": [
            "the shop was dirty",
            "hygiene was poor",
            "the hall was noisy",
            "the queue was crowded",
            "it was smelly and cold",
            "tables were dusty",
            "rubbish piled at the door",
            "the washroom area was untidy",
        ],
        "facilities": [
            "the elevator was out of order",
            "there is no parking",
            "the wifi never works",
            "the toilet facilities were broken",
            "not enough seats and old equipment",
            "the charger station is dead",
            "the self-service system kept crashing",
            "the app system was down",
        ],
        "after_sales": [
            "after-sales never replied",
            "a warranty repair was billed",
            "my replacement was refused",
            "the installation technician never came",
            "three repairs and still not fixed",
            "the return process is a maze",
            "the warranty terms were ignored",
            "the service centre blamed the maker",
        ],
    },
}
_CUES = {
    "zh": {
        2: ["以后再也不买这个牌子了", "我不会再来了，换别家"],
        3: ["我已经告诉朋友和家人别买", "发了朋友圈提醒朋友"],
        4: ["我要向消协投诉", "要求赔偿损失", "我会找媒体曝光"],
        5: ["已经请了律师准备起诉", "我将申请仲裁"],
    },
    "en": {
        2: ["I will never buy this brand again", "I will take my business elsewhere"],
        3: ["I told my friends and family not to buy it", "I will warn everyone I know"],
        4: ["I want compensation", "I will complain to the consumer association", "I will go to the media"],
        5: ["my lawyer will take you to court", "I am starting legal action"],
    },
}
_OPEN = {
    "zh": ["我在{d}买了{p}，", "上周购买的{p}，", "{p}：", "关于{p}，"],
    "en": ["I bought a {p} on {d}: ", "About my {p}: ", "{p} — ", "Regarding the {p}: "],
}
_FILLER = {
    "zh": ["希望尽快处理。", "真的很无奈。", "请给个说法。", "", ""],
    "en": ["Please sort this out.", "Very frustrating.", "I expect an answer.", "", ""],
}
_PRODUCTS = {
    "zh": ["电饭煲", "洗衣机", "手机", "空调", "笔记本电脑", "床垫", "酒店客房", "会员卡"],
    "en": [
        "rice cooker",
        "washing machine",
        "phone",
        "air conditioner",
        "laptop",
        "mattress",
        "hotel room",
        "membership",
    ],
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


def _stories(
    rng: np.random.Generator,
    lang: str,
    category: np.ndarray,
    products: np.ndarray,
    date: pd.Series,
    level: np.ndarray,
    pii: np.ndarray,
    complainant: np.ndarray,
    phone: list[str],
    customer: np.ndarray,
) -> list[str]:
    """One story per complaint: what happened (by category), a filler, an escalation cue from level 2 on,
    and, for a share of them, the personal data a real log holds (to be masked in reports)."""
    n = len(category)
    stories = []
    for i in range(n):
        phrases = _PHRASES[lang][category[i]]
        picks = rng.choice(len(phrases), 1 + int(rng.random() < 0.5), replace=False)
        sep = "，" if lang == "zh" else ", "
        body = sep.join(phrases[j] for j in picks)
        opener = _OPEN[lang][rng.integers(len(_OPEN[lang]))].format(p=products[i], d=date.iloc[i].strftime("%Y-%m-%d"))
        end = "。" if lang == "zh" else ". "
        parts = [opener + body + end, _FILLER[lang][rng.integers(len(_FILLER[lang]))]]
        if level[i] >= 2:
            cue = _CUES[lang][int(level[i])]
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

    * ``category`` is drawn from ``category_weights``; the story holds one or two
      phrases of that category (and none of another); ``department`` =
      :data:`DEPARTMENT_OF` [category] and ``service_aspect`` = :data:`ASPECT_OF` [category].
    * ``escalation_level`` is drawn from ``level_weights``; levels 2–5 put a cue sentence
      of that level in the story; the channel agrees with the level (survey for 1–2,
      social media for 3, hotline/store/consumer body/media for 4, court/arbitration for 5),
      so :func:`csworkbench.complaints.escalation_level` recovers it exactly.
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
    products = rng.choice(_PRODUCTS[lang], n)
    pii = rng.random(n) < pii_share
    stories = _stories(
        rng, lang, category, products, date, level, pii, complainant, [phones[c] for c in customer], customer
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
