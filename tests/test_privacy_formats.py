"""Formats `mask_pii` must recognise: one pinned case per format (issue: masking let formats through).

Each case names the pieces that identify the person (they must be gone from the masked text)
and the surrounding text (it must stay).  The module docstring of
``csworkbench/complaints/privacy.py`` lists the same formats, what is kept on purpose and the
known limits; the limits are pinned at the end of this file.
"""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest

from csworkbench.complaints import mask_complaints, mask_pii
from csworkbench.datasets.complaints import make_complaints


def case(text: str, gone: list[str], kept: list[str], id: str, names=None):
    return pytest.param(text, gone, kept, names, id=id)


FORMATS = [
    # ------------------------------------------------------------ mainland landlines
    case("座机010-12345678谢谢", ["12345678", "1234"], ["座机010-", "5678谢谢"], "landline-hyphen"),
    case("电话(010)12345678。", ["12345678", "1234"], ["电话(010)", "5678。"], "landline-brackets"),
    case("电话（010）1234-5678。", ["1234-5678", "1234"], ["电话", "010", "5678。"], "landline-fullwidth-brackets"),
    case("门店 0755 8888 6666 已关", ["8888 6666", "8888"], ["门店 0755 ", "6666 已关"], "landline-spaces"),
    case("总机 021-6123 4567 转 808 找我", ["6123", "808"], ["总机 021-", " 转 ", " 找我"], "landline-extension-zh"),
    case(
        "call 021-61234567 ext. 808 today", ["6123", "808"], ["call 021-", "ext. ", " today"], "landline-extension-en"
    ),
    case("tel +86 10 1234 5678 ok", ["1234 5678", "1234"], ["tel +86 10 ", " ok"], "landline-plus86"),
    case("电话86-21-61234567。", ["61234567", "6123"], ["电话86-21-", "4567。"], "landline-86-hyphens"),
    # ------------------------------------------------------------ Hong Kong, Macau, Taiwan
    case("香港电话 +852 9123 4567 谢谢", ["9123"], ["香港电话 +852 ", " 谢谢"], "hong-kong"),
    case("澳门 +853 6123 4567 谢谢", ["6123"], ["澳门 +853 ", " 谢谢"], "macau"),
    case("台湾 +886 912 345 678 谢谢", ["912 345", "345"], ["台湾 +886 ", " 谢谢"], "taiwan-international"),
    case("台湾手机0912-345-678谢谢", ["912-345", "345"], ["台湾手机", "谢谢"], "taiwan-domestic"),
    # ------------------------------------------------------------ mainland mobiles
    case("手机138.0013.8000请回电", ["0013"], ["手机138****8000请回电"], "mobile-dots"),
    case("手机138 001 38000请回电", ["001 3", "0013"], ["手机138****8000请回电"], "mobile-3-3-5"),
    case("手机138-0013-8000请回电", ["0013"], ["手机138****8000请回电"], "mobile-hyphens"),
    case("手机+86 138 0013 8000请回电", ["0013"], ["手机", "138****8000请回电"], "mobile-plus86-spaces"),
    case("手机0086 13800138000请回电", ["0013"], ["手机", "8000请回电"], "mobile-0086"),
    case("手机１３８００１３８０００请回电", ["００１３", "0013"], ["手机138****8000请回电"], "mobile-fullwidth"),
    # ------------------------------------------------------------ resident IDs
    case("身份证110105491231002号", ["0105491231", "491231"], ["身份证1101", "002号"], "id-15-digit"),
    case("身份证 1101 0519 4912 3100 2X 谢谢", ["0519 4912", "0519"], ["身份证 1101", "002X 谢谢"], "id-18-spaces"),
    case("证件 110105 19491231 002X 谢谢", ["19491231"], ["证件 1101", "002X 谢谢"], "id-18-6-8-4"),
    case("身份证号：110105194912310021。", ["0519491231", "19491231"], ["身份证号：1101", "0021。"], "id-wrong-check"),
    # ------------------------------------------------------------ bank cards
    case("卡 6222.0212.3456.7894 谢谢", ["0212", "3456"], ["卡 ", "7894 谢谢"], "card-dots"),  # Luhn-valid
    case("卡号 6222 0212 3456 7890 谢谢", ["0212", "3456"], ["卡号 ", "7890 谢谢"], "card-labelled-no-luhn"),
    case("银行卡6222021234567890123谢谢", ["021234567890"], ["银行卡", "0123谢谢"], "card-19-labelled"),
    case("card no. 1234 5678 9012 3456 thanks", ["5678", "9012"], ["card no. ", "3456 thanks"], "card-en-label"),
    # ------------------------------------------------------------ e-mail
    case("邮箱 张三丰@例子.中国 谢谢", ["张三丰@", "三丰"], ["邮箱 ", "@例子.中国 谢谢"], "email-chinese"),
    case("邮箱ｚｈａｎｇ＠ｑｑ．ｃｏｍ谢谢", ["ｚｈａｎｇ", "hang"], ["邮箱", "谢谢"], "email-fullwidth"),
    case("写信 zhang.san (at) corp (dot) cn 吧", ["zhang.san", "hang"], ["写信 ", "corp (dot) cn 吧"], "email-(at)"),
    case("写信 zhang.san[at]corp.cn 吧", ["zhang.san", "hang"], ["写信 ", "corp.cn 吧"], "email-[at]"),
    case("写信 zhang.san＠corp.cn 吧", ["zhang.san", "hang"], ["写信 ", "corp.cn 吧"], "email-fullwidth-at"),
    case("mail zhang_san at corp dot com now", ["zhang_san", "hang"], ["mail ", "corp dot com now"], "email-at-word"),
    # ------------------------------------------------------------ QQ, WeChat
    case("加我QQ 12345678吧", ["123456"], ["加我QQ ", "78吧"], "qq"),
    case("qq号：87654321。", ["876543"], ["qq号：", "21。"], "qq-number"),
    case("扣扣1234567。", ["12345"], ["扣扣", "67。"], "qq-kouko"),
    case("微信：zhang_san88。", ["zhang_san88", "hang"], ["微信：z", "。"], "wechat"),
    case("微信号 wxid_abc123 谢谢", ["wxid_abc123", "abc123"], ["微信号 w", " 谢谢"], "wechat-id"),
    case("WeChat: john_smith88 thanks", ["john_smith88", "smith"], ["WeChat: j", " thanks"], "wechat-en"),
    case("wx:abc12345。", ["abc12345", "12345"], ["wx:a", "。"], "wx"),
    # ------------------------------------------------------------ passports
    case("护照 E12345678 谢谢", ["123456"], ["护照 E", "78 谢谢"], "passport-e"),
    case("证件G12345678谢谢", ["123456"], ["证件G", "78谢谢"], "passport-g"),
    case("护照号：EA1234567。", ["A12345", "12345"], ["护照号：E", "67。"], "passport-labelled"),
    # ------------------------------------------------------------ licence plates
    case("车牌京A12345停在门口", ["A12345", "123"], ["车牌京A", "45停在门口"], "plate"),
    case("车牌粤B·D12345停在门口", ["D12345", "D123"], ["车牌粤B·", "45停在门口"], "plate-new-energy"),
    case("车牌沪A-12345停在门口", ["12345", "123"], ["车牌沪A-", "45停在门口"], "plate-hyphen"),
    # ------------------------------------------------------------ street addresses
    case(
        "寄到北京市朝阳区建国路88号1号楼2单元301室，谢谢",
        ["88号", "1号楼", "2单元", "301室"],
        ["寄到北京市朝阳区建国路", "号", "号楼", "单元", "室，谢谢"],
        "address-building-unit-room",
    ),
    case(
        "住上海市徐汇区漕溪北路123弄4号502室",
        ["123弄", "4号", "502"],
        ["住上海市徐汇区漕溪北路", "弄", "室"],
        "address-lane",
    ),
    case(
        "广州市天河区体育西街6号3栋1201房",
        ["6号", "3栋", "1201"],
        ["广州市天河区体育西街", "栋", "房"],
        "address-street",
    ),
    # ------------------------------------------------------------ names given
    case("投诉人张 三说", ["张 三", "三"], ["投诉人张", "说"], "name-spaced", names="张三"),
    case(
        "JOHN SMITH called; john smith again",
        ["SMITH", "smith", "OHN"],
        [" called; ", " again"],
        "name-case",
        names="John Smith",
    ),
]


@pytest.mark.parametrize(("text", "gone", "kept", "names"), FORMATS)
def test_format_is_masked_and_context_kept(text, gone, kept, names):
    masked = mask_pii(text, names=names)
    for secret in gone:
        assert secret not in masked, (text, masked, secret)
    for context in kept:
        assert context in masked, (text, masked, context)
    assert mask_pii(masked, names=names) == masked  # idempotent


KEPT_ON_PURPOSE = [
    pytest.param("客服热线400-810-8888，另有800-810-8888", id="400-800-service"),
    pytest.param("打了95588和12315", id="short-service"),
    pytest.param("编号110105194912310021", id="unlabelled-wrong-check-18-digits"),
    pytest.param("order 1234567890123456", id="order-number-failing-luhn"),
    pytest.param("I arrived at home.Then at 3.15pm", id="english-prose-at"),
    pytest.param("新P30Pro 很好用", id="product-name-not-plate"),
    pytest.param("5月3号到货，价格138.5元", id="dates-and-prices"),
]


@pytest.mark.parametrize("text", KEPT_ON_PURPOSE)
def test_kept_on_purpose(text):
    assert mask_pii(text) == text


def test_service_number_kept_next_to_a_masked_landline():
    out = mask_pii("客服 +86 400 810 8888，座机 010-62345678")
    assert "400 810 8888" in out and "62345678" not in out


def test_known_limits_are_as_documented():
    # bare 8-digit Hong Kong numbers and letters-only WeChat ids are not recognised
    assert mask_pii("电话 9123 4567") == "电话 9123 4567"
    assert mask_pii("微信：zhangsan") == "微信：zhangsan"
    # an unlabelled order number passing Luhn is masked like a card
    assert mask_pii("订单 4111111111111111") == "订单 ************1111"


def test_mask_complaints_uses_name_column_in_any_case_or_spacing():
    df = pd.DataFrame({"complainant": ["John Smith", "张三"], "story": ["JOHN SMITH here", "我是张 三"]})
    out = mask_complaints(df)
    assert out["story"].tolist() == ["J********* here", "我是张**"]
    assert out["complainant"].tolist() == ["J*********", "张*"]


def test_masking_whole_logs_is_fast():
    stories = make_complaints(2000, lang="zh", random_state=3)["story"].tolist()
    extra = [
        "电话010-12345678转808，手机138.0013.8000，邮箱 zhang.san (at) corp (dot) cn",
        "寄到北京市朝阳区建国路88号1号楼2单元301室，车牌京A12345，QQ 12345678，微信：zhang_san88",
    ]
    texts = (stories * 5)[:9800] + extra * 100
    assert len(texts) == 10_000
    t0 = time.perf_counter()
    out = mask_pii(pd.Series(texts))
    elapsed = time.perf_counter() - t0
    assert elapsed < 3.0, f"10,000 stories took {elapsed:.2f} s"
    assert not out.str.contains(re.escape("12345678")).any()
