"""Personal data in complaint text: masking and HTML escaping (个人信息脱敏).

Complaint stories come from customers and carry their phone numbers, ID numbers, bank
cards, e-mail addresses and names.  Reports mask them by default (China's Personal
Information Protection Law, PIPL 2021, art. 51: de-identification; the common display
convention masks the middle digits, e.g. ``138****5678``).

What is masked (each pinned by a case in ``tests/test_privacy_formats.py``):

* mainland mobile numbers: 11 digits ``1[3-9]x…``, optionally ``+86``/``86``/``0086``, in
  3-4-4 or 3-3-5 groups separated by a space, hyphen or dot (``138.0013.8000``,
  ``138 001 38000``) → ``138****8000`` (the country code is dropped);
* mainland landlines: area code ``010``/``02x``/``0xxx`` (also in half- or full-width
  brackets, or ``+86``/``86``/``0086`` and the code without its 0) and a 7–8-digit local
  number starting 2–9, in any grouping; an extension (``转``/``分机``/``ext.``/``x``) is
  masked whole → ``021-****4567 转 ***`` (area code kept, last four digits kept);
* Hong Kong (``+852`` and 8 digits starting 5/6/9), Macau (``+853`` and 8 digits starting
  6) and Taiwan mobiles (``+886 9xx xxx xxx`` or ``09xx-xxx-xxx``) → country code and the
  last four digits kept;
* resident ID numbers (GB 11643-1999): 17 digits and a check character validated with
  ISO 7064 MOD 11-2, contiguous or written in groups (``1101 0519 9001 0112 34``);
  18-character ID-shaped tokens with a valid area and date part but a wrong check
  character when labelled (``身份证``/``证件``/``ID`` just before), and old 15-digit IDs
  (area, ``YYMMDD``, 3 digits) with a valid date part → first four digits and the tail kept;
* bank card numbers: 13–19 digits (spaces, hyphens or dots allowed between groups) passing
  the Luhn check (ISO/IEC 7812), also where the card shares a run of digit groups with
  another number (``订单 2024 4111 1111 1111 1111``); and 16–19-digit numbers labelled
  ``卡号``/``银行卡``/``信用卡``/``card`` even when the Luhn check fails → last four kept;
* e-mail addresses, also with Chinese or full-width characters (``张三@例子.中国``,
  ``ｚｓ＠ｑｑ．ｃｏｍ``) and written ``(at)``/``[at]``/``{at}``/``＠``/`` at `` with
  ``(dot)``/``[dot]``/`` dot `` → first character of the user kept, the domain kept;
* labelled QQ numbers (``QQ``/``qq号``/``扣扣`` + 5–11 digits) → last two digits kept;
  labelled WeChat ids (``微信``/``微信号``/``WeChat``/``wx``/``vx`` + an id of 6–20
  characters starting with a letter) → first character kept;
* passport numbers: ``E``/``G`` + 8 digits anywhere, and one or two letters + 7–8 digits
  after ``护照``/``passport`` → first letter and last two digits kept;
* licence plates: province character, city letter, optional ``·``/``-``/space, 5 (or 6 for
  new-energy) letters and digits with at least one digit (``京A12345``, ``粤B·D12345``,
  ``沪A-12345``) → ``京A***45``;
* house and room numbers of street addresses: after ``路``/``街``/``道``/``巷``/``弄``
  the ``…号`` and the following ``号楼``/``栋``/``幢``/``座``/``单元``/``层``/``楼``/``室``/
  ``房``/``号`` numbers have their digits starred; city, district and road are kept
  (``建国路**号*号楼*单元***室``);
* names given explicitly (the ``complainant`` field; in :func:`mask_complaints` also the
  row's staff names ``staff_name`` and ``receiver``), wherever they appear, also with
  white space between their characters (``张 三``) and in any letter case (``JOHN SMITH``
  for ``John Smith``; a Latin name is matched as whole words).

Masked spans are rewritten from the ASCII copy, so a full-width form inside one comes back
half-width (``（010）1234-5678`` → ``(010)****5678``).

What is kept on purpose: ``400``/``800`` service numbers (``400-810-8888``) — they are
companies' hot lines, not a person's, and the reader needs them; other short service
numbers (``95588``, ``12315``) likewise.

Known limits (not masked, or masked by mistake):

* an unlabelled 18-digit number with a wrong check character stays (``编号110105…0021``:
  an order number cannot be told from a mistyped ID); with ``身份证`` before it, it is masked;
* an unlabelled 13–19-digit order number that happens to pass the Luhn check (one in ten
  does) is masked as a card, and a 15-digit one with a valid date part as an old ID;
* bare 8-digit Hong Kong/Macau numbers without ``+852``/``853`` are not recognised;
* plates written in lower case, and ``I``/``O`` as the city letter, are not recognised;
* WeChat ids made of letters only, and the bare-word ``name at host dot com`` form made of
  letters only, are not recognised (plain prose such as ``meet at home`` must stay);
* a Chinese user part glued to preceding Chinese text takes that text along
  (``联系张三@例子.中国`` → ``联***@例子.中国``);
* addresses written with Chinese numerals (``八十八号``) and ``道``/``路`` ending another word
  (``知道3号``: the digit is starred);
* a name is only found when given; free-text names are not guessed.

A number is delimited by non-digits only (a letter glued to it does not hide it), numbers
are looked for in an ASCII copy of the text (full-width digits, letters, ``＋－（）＠．``), and
the passes repeat until the text stops changing, so masking is idempotent.  Every pass
only replaces characters by ``*``, so the repetition ends.  Texts without a digit, ``@`` or
``at`` skip the number and e-mail passes, and each pass runs only when a cheap check says
the text can hold its format (10,000 synthetic stories: about 0.4 s in Chinese, 0.7 s in
English on the 2-core development machine; ``tests/test_privacy_formats.py`` bounds it).

Text rendered in HTML is escaped with :func:`escape_html` (``<`` ``>`` ``&`` ``"`` ``'``),
so a story holding ``<script>`` stays inert.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

__all__ = ["mask_pii", "mask_name", "escape_html", "valid_id_number", "luhn_ok", "mask_complaints"]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Numbers are delimited by non-digits only: a letter glued to an ID ("ID:a11010…") does not
# make it less of an ID (found by tests/test_properties_complaints.py).
_ID = re.compile(r"(?<!\d)(\d{17}[0-9Xx])(?!\d)", re.ASCII)
# a number: digits, single spaces or hyphens allowed between groups; cards are looked for in
# every run of groups inside it (see _mask_card_run)
_NUMBER_RUN = re.compile(r"\d(?:[ .-]?\d)*", re.ASCII)
_GROUP_SEP = re.compile(r"[ .-]")
_MOBILE = re.compile(
    r"(?<!\d)((?:(?:\+|00)?86[ -]?)?1[3-9]\d[ .-]?(?:\d{4}[ .-]?\d{4}|\d{3}[ .-]\d{5}))(?!\d)", re.ASCII
)
# an ID written in groups (1101 0519 9001 0112 34): every start of a group is tried
_ID_SPACED = re.compile(r"(?<!\d)(?=(\d(?:[ -]?\d){16}[ -]?[0-9Xx])(?!\d))", re.ASCII)
_ID_LABELLED = re.compile(
    r"(?:身份证|证件|\bID|\bid)[^\dA-Za-z\n]{0,6}?(?<!\d)(\d(?:[ -]?\d){16}[ -]?[0-9Xx])(?!\d)", re.ASCII
)
_ID_OLD = re.compile(r"(?<!\d)([1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?!\d)", re.ASCII)
_AREA = r"(?:10|2\d|[3-9]\d{2})"
_LANDLINE = re.compile(
    rf"(?<![\d+])(?P<pre>(?:(?:\+|00)?86[ -]?\(?0?{_AREA}\)?|\(0{_AREA}\)|0{_AREA})[ -]?)"
    r"(?P<num>[1-9]\d{2,3}[ -]?\d{4})(?!\d)"
    r"(?P<ext>\s*(?:转|分机|ext\.?|x)\s*\d{1,6}(?!\d))?",
    re.ASCII | re.IGNORECASE,
)
_ABROAD = tuple(
    re.compile(rf"(?<![\d+])(?P<pre>{pre})(?P<num>{num})(?!\d)", re.ASCII)
    for pre, num in (
        (r"(?:\+|00)?852[ -]?", r"[569]\d{3}[ -]?\d{4}"),  # Hong Kong
        (r"(?:\+|00)?853[ -]?", r"6\d{3}[ -]?\d{4}"),  # Macau
        (r"(?:\+|00)?886[ -]?0?|0", r"9\d{2}[ -]?\d{3}[ -]?\d{3}"),  # Taiwan mobiles
    )
)
_CARD_LABELLED = re.compile(
    r"(?:卡号|银行卡|信用卡|借记卡|card)[^\d\n]{0,8}?(?<!\d)(\d(?:[ .-]?\d){15,18})(?!\d)", re.ASCII | re.IGNORECASE
)
_QQ = re.compile(r"(?:QQ|扣扣)(?:号码|号)?[^\dA-Za-z\n]{0,4}?(?<!\d)(\d{5,11})(?!\d)", re.ASCII | re.IGNORECASE)
_WECHAT = re.compile(
    r"(?:微信号?|WeChat(?: ?ID)?|weixin|\bwx|\bvx)(?:号码|号)?[\s:：=是为]{0,4}"
    r"(?<![A-Za-z0-9_-])([A-Za-z][A-Za-z0-9_-]{5,19})(?![A-Za-z0-9_-])",
    re.ASCII | re.IGNORECASE,
)
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])([EG]\d{8})(?!\d)", re.ASCII)
_PASSPORT_LABELLED = re.compile(
    r"(?:护照|passport)(?:号码|号|no\.?)?[^\dA-Za-z\n]{0,4}?(?<![A-Za-z0-9])([A-Za-z]{1,2}\d{7,8})(?!\d)",
    re.ASCII | re.IGNORECASE,
)
_PLATE = re.compile(
    r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·・•.\- ]?)"
    r"(?=[A-Z0-9]{0,5}\d)([A-HJ-NP-Z0-9]{5,6})(?![A-Za-z0-9])",
    re.ASCII,
)
_UNIT = r"(?:号楼|号院|号|栋|幢|座|单元|层|楼|室|房|户|弄)"
_ADDRESS = re.compile(
    rf"(?<=[路街道巷弄])(\s*\d+(?:[-之]\d+)?\s*(?:号院?|弄)(?:\s*[A-Za-z]?\d+[A-Za-z]?(?:-\d+)*\s*{_UNIT})*)", re.ASCII
)
_LOCAL = r"[A-Za-z0-9._%+-]+|[\u4e00-\u9fff]+"
_LABEL = r"[A-Za-z0-9\u4e00-\u9fff-]+"
_EMAIL = re.compile(rf"(?:{_LOCAL})@{_LABEL}(?:\.{_LABEL})*\.(?:[A-Za-z]{{2,}}|[\u4e00-\u9fff]{{2,}})")
_EMAIL_WRITTEN = re.compile(
    r"(?<![A-Za-z0-9._%+-])(?P<user>[A-Za-z0-9._%+-]+)(?P<at>\s*[(\[{]\s*at\s*[)\]}]\s*|\s+at\s+)"
    r"(?P<host>[A-Za-z0-9-]+(?:(?:\s*[(\[{]\s*dot\s*[)\]}]\s*|\s+dot\s+|\.)[A-Za-z0-9-]+)*"
    r"(?:\s*[(\[{]\s*dot\s*[)\]}]\s*|\s+dot\s+|\.)(?P<tld>[A-Za-z]{2,}))(?![A-Za-z0-9-])",
    re.IGNORECASE,
)
_TLDS = frozenset("com cn net org edu gov hk mo tw io co info biz me".split())
_SERVICE = re.compile(r"(?<!\d)[48]00[ -]?\d{3}[ -]?\d{4}(?!\d)", re.ASCII)
# Chinese input methods type full-width digits (全角: １３８…, Ｘ, －, the ideographic space);
# numbers are looked for in an ASCII copy of the text (same length, character for character)
# and only the masked spans are replaced (found by tests/test_properties_complaints.py).
_ASCII_FORMS = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "\uff38": "X",
        "\uff58": "x",
        "\uff0b": "+",
        "\uff0d": "-",
        "\u3000": " ",
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "\uff08": "(",
        "\uff09": ")",
        "\uff20": "@",
        "\uff0e": ".",
        "\uff3b": "[",
        "\uff3d": "]",
    }
)

# only the full-width forms translated above (Chinese punctuation such as ，！： is not)
_FULL_WIDTH = re.compile(
    "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff08\uff09\uff0b\uff0d\uff0e\uff20\uff3b\uff3d\u3000]"
)


def valid_id_number(number: str) -> bool:
    """True when an 18-character mainland ID has the right ISO 7064 MOD 11-2 check character.

    Full-width digits count as digits.

    >>> valid_id_number("11010519491231002X"), valid_id_number("110105194912310021")
    (True, False)
    """
    number = str(number).translate(_ASCII_FORMS)
    if not re.fullmatch(r"[0-9]{17}[0-9Xx]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(number: str) -> bool:
    """Luhn check of a card number (digits only, spaces and hyphens ignored).

    >>> luhn_ok("4111 1111 1111 1111"), luhn_ok("4111 1111 1111 1112")
    (True, False)
    """
    digits = [int(c) for c in str(number).translate(_ASCII_FORMS) if c in "0123456789"]
    if len(digits) < 13:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask_name(name: str) -> str:
    """Keep the first character, star the rest: ``张三丰`` → ``张**``, ``Ann Lee`` → ``A******``."""
    name = str(name)
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def _mask_id(m: re.Match) -> str:
    s = m.group(1)
    return s[:4] + "*" * 10 + s[-4:] if valid_id_number(s) else s


def _mask_card_run(m: re.Match) -> str:
    """Mask every card number inside one run of digit groups (``2024 4111 1111 1111 1111``).

    A card may share its run with other numbers ("订单 2024 4111 1111 1111 1111", "卡4111…1111
    5次", "5-4111-…"), so every stretch of whole groups holding 13–19 digits is Luhn-checked,
    longest first, and the valid ones that do not overlap are masked (all but the last four
    digits).  A single group of more than 19 digits (an order number) is never a card.
    """
    run = m.group(0)
    groups = _GROUP_SEP.split(run)
    if sum(map(len, groups)) < 13:
        return run
    seps = _GROUP_SEP.findall(run)
    windows = []
    for i in range(len(groups)):
        n = 0
        for j in range(i, len(groups)):
            n += len(groups[j])
            if n > 19:
                break
            if n >= 13:
                windows.append((n, i, j))
    windows.sort(key=lambda w: (-w[0], w[1]))
    taken = [False] * len(groups)
    chosen: dict[int, int] = {}
    for _, i, j in windows:
        if not any(taken[i : j + 1]) and luhn_ok("".join(groups[i : j + 1])):
            chosen[i] = j
            taken[i : j + 1] = [True] * (j - i + 1)
    if not chosen:
        return run
    out = []
    g = 0
    while g < len(groups):
        if g in chosen:
            j = chosen[g]
            digits = "".join(groups[g : j + 1])
            out.append("*" * (len(digits) - 4) + digits[-4:])
            g = j
        else:
            out.append(groups[g])
        if g < len(seps):
            out.append(seps[g])
        g += 1
    return "".join(out)


def _mask_mobile(m: re.Match) -> str:
    digits = re.sub(r"\D", "", m.group(1))[-11:]
    return digits[:3] + "****" + digits[-4:]


def _mask_email(m: re.Match) -> str:
    local, domain = m.group(0).split("@", 1)
    return local[:1] + "***@" + domain


def _keep_tail(digits: str, keep: int = 4) -> str:
    return "*" * (len(digits) - keep) + digits[-keep:]


def _mask_phone(m: re.Match) -> str:
    """Landline, Hong Kong, Macau, Taiwan: prefix (country/area code) kept, last four digits kept."""
    out = m.group("pre") + _keep_tail(re.sub(r"\D", "", m.group("num")))
    ext = m.groupdict().get("ext")
    if ext:
        out += re.sub(r"\d", "*", ext)
    return out


def _id_shape_ok(s: str) -> bool:
    """Area code 11–82 and a real-looking birth date (YYYYMMDD, 18xx–20xx) in an 18-character ID."""
    return bool(re.fullmatch(r"[1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]", s))


def _id_stars(s: str) -> str:
    return s[:4] + "*" * (len(s) - 8) + s[-4:] if len(s) == 18 else s[:4] + "*" * 8 + s[-3:]


def _mask_labelled_id(m: re.Match) -> str:
    s = _GROUP_SEP.sub("", m.group(1))
    if not _id_shape_ok(s):
        return m.group(0)
    return m.group(0)[: m.start(1) - m.start(0)] + _id_stars(s)


def _mask_old_id(m: re.Match) -> str:
    return _id_stars(m.group(1))


def _spaced_id_spans(ascii_s: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for m in _ID_SPACED.finditer(ascii_s):
        start, cand = m.start(), m.group(1)
        if spans and start < spans[-1][1]:
            continue
        s = _GROUP_SEP.sub("", cand)
        if valid_id_number(s):
            spans.append((start, start + len(cand), _id_stars(s)))
    return spans


def _group_repl(keep: Callable[[str], str]) -> Callable[[re.Match], str]:
    """A replacement that keeps the label before group 1 and masks group 1 with ``keep``."""

    def repl(m: re.Match) -> str:
        return m.group(0)[: m.start(1) - m.start(0)] + keep(m.group(1)) + m.group(0)[m.end(1) - m.start(0) :]

    return repl


_mask_labelled_card = _group_repl(lambda s: _keep_tail(re.sub(r"\D", "", s)))
_mask_qq = _group_repl(lambda s: _keep_tail(s, 2))
_mask_wechat = _group_repl(lambda s: s if not re.search(r"[0-9_-]", s) else s[0] + "*" * (len(s) - 1))
_mask_passport = _group_repl(lambda s: s[0] + "*" * (len(s) - 3) + s[-2:])
_mask_address = _group_repl(lambda s: re.sub(r"[0-9A-Za-z]", "*", s))


def _mask_plate(m: re.Match) -> str:
    serial = m.group(2)
    return m.group(1) + "*" * (len(serial) - 2) + serial[-2:]


def _mask_written_email(m: re.Match) -> str:
    user, host = m.group("user"), m.group("host")
    if m.group("at").strip().lower() == "at" and (
        m.group("tld").lower() not in _TLDS or not re.search(r"[0-9._-]", user + host)
    ):
        return m.group(0)  # bare-word "name at host dot com" in letters only, or no known TLD: prose
    return user[:1] + "***" + m.group("at") + host


def _ascii(s: str) -> str:
    """The ASCII copy of ``s`` (same length); ``s`` itself when it has no full-width form."""
    return s.translate(_ASCII_FORMS) if _FULL_WIDTH.search(s) else s


def _sub(pattern: re.Pattern, repl, s: str) -> str:
    """``pattern.sub(repl, s)`` with the matching done on the ASCII copy of ``s``."""
    ascii_s = _ascii(s)
    if ascii_s == s:
        return pattern.sub(repl, s)
    out, last = [], 0
    for m in pattern.finditer(ascii_s):
        new = repl(m)
        if new != m.group(0):
            out += [s[last : m.start()], new]
            last = m.end()
    out.append(s[last:])
    return "".join(out)


def _replace_spans(s: str, spans: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for a, b, new in spans:
        out += [s[last:a], new]
        last = b
    out.append(s[last:])
    return "".join(out)


def _service_numbers(ascii_s: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SERVICE.finditer(ascii_s)]


def _protect(pattern: re.Pattern, repl, s: str, keep: list[tuple[int, int]]):
    """Like :func:`_sub`, but matches overlapping a kept span (400/800 numbers) are left alone."""
    if not keep:
        return _sub(pattern, repl, s)

    def guarded(m: re.Match) -> str:
        if any(a < m.end() and m.start() < b for a, b in keep):
            return m.group(0)
        return repl(m)

    return _sub(pattern, guarded, s)


@functools.lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern | None:
    """The name with any white space between its characters, in any letter case."""
    chars = [c for c in name if not c.isspace()]
    if len(chars) < 2:
        return None
    body = r"\s*".join(re.escape(c) for c in chars)
    if chars[0].isascii() and chars[0].isalpha():
        body = r"(?<![A-Za-z])" + body
    if chars[-1].isascii() and chars[-1].isalpha():
        body += r"(?![A-Za-z])"
    return re.compile(body, re.IGNORECASE)


# cheap gates: a pass runs only when the text can hold what it looks for
_SEVEN_DIGITS = re.compile(r"\d(?:\D{0,2}\d){6}", re.ASCII)
_ROAD = re.compile(r"[路街道巷弄]\s*\d", re.ASCII)
_PROVINCE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z]")


def _has(low: str, *words: str) -> bool:
    return any(w in low for w in words)


def _mask_numbers(s: str) -> str:
    """One round of every digit-bearing pattern (the text holds a digit)."""
    a = _ascii(s)
    low = a.lower()
    if _SEVEN_DIGITS.search(a):
        s = _sub(_ID, _mask_id, s)
        s = _replace_spans(s, _spaced_id_spans(_ascii(s)))
        if _has(low, "身份证", "证件", "id"):
            s = _sub(_ID_LABELLED, _mask_labelled_id, s)
        s = _sub(_ID_OLD, _mask_old_id, s)
        keep = _service_numbers(_ascii(s))
        if _has(low, "852", "853", "886", "09"):
            for pattern in _ABROAD:
                s = _protect(pattern, _mask_phone, s, keep)
        s = _protect(_LANDLINE, _mask_phone, s, keep)
        s = _sub(_NUMBER_RUN, _mask_card_run, s)
        if _has(low, "卡", "card"):
            s = _sub(_CARD_LABELLED, _mask_labelled_card, s)
        s = _sub(_MOBILE, _mask_mobile, s)
    if _has(low, "e", "g"):
        s = _sub(_PASSPORT, _mask_passport, s)
        if _has(low, "护照", "passport"):
            s = _sub(_PASSPORT_LABELLED, _mask_passport, s)
    if _has(low, "qq", "扣扣"):
        s = _sub(_QQ, _mask_qq, s)
    if _has(low, "微信", "wechat", "weixin", "wx", "vx"):
        s = _sub(_WECHAT, _mask_wechat, s)
    if _PROVINCE.search(a):
        s = _sub(_PLATE, _mask_plate, s)
    if _ROAD.search(a):
        s = _sub(_ADDRESS, _mask_address, s)
    return s


_HAS_DIGIT = re.compile(r"[0-9\uff10-\uff19]")
_HAS_AT = re.compile(r"[@\uff20]|\bat\b", re.IGNORECASE)


def mask_pii(text, names: Iterable[str] | str | None = None):
    """Mask phones, ID and passport numbers, bank cards, e-mails, QQ/WeChat ids, plates,
    house numbers and the given names in text (the module docstring lists the formats).

    Parameters
    ----------
    text : str, Series or None
        One text or a column of texts; missing stays missing.
    names : str or iterable of str, optional
        Names to mask wherever they occur (e.g. the complainant's), also spaced out or in
        another letter case.  With a Series, ``names`` may be a Series aligned with it (one
        name per row).

    Returns
    -------
    str or Series

    Examples
    --------
    >>> mask_pii("我是张三，电话13812345678，身份证11010519491231002X，邮箱zs@qq.com", names="张三")
    '我是张*，电话138****5678，身份证1101**********002X，邮箱z***@qq.com'
    >>> mask_pii("card 4111-1111-1111-1111, order 1234567890123456")
    'card ************1111, order 1234567890123456'
    >>> mask_pii("座机 010-62345678 转 808，客服 400-810-8888")
    '座机 010-****5678 转 ***，客服 400-810-8888'
    """
    if isinstance(text, pd.Series):
        if isinstance(names, pd.Series):
            aligned = names.reindex(text.index)
            out = [mask_pii(t, None if pd.isna(n) else n) for t, n in zip(text, aligned)]
        else:
            out = [mask_pii(t, names) for t in text]
        return pd.Series(out, index=text.index, name=text.name, dtype="object")
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return text
    s = str(text)
    names = [
        n.strip() for n in ([names] if isinstance(names, str) else (names or [])) if isinstance(n, str) and n.strip()
    ]
    # Masking keeps a few digits (138****5678, ************1111), and those can meet the digits
    # next to them to form a new number; the passes repeat until nothing changes, so the result
    # is a fixed point: mask_pii(mask_pii(x)) == mask_pii(x).  Every round that changes the text
    # replaces digits, letters or name characters by "*", so this ends.
    while True:
        before = s
        if _HAS_DIGIT.search(s):
            s = _mask_numbers(s)
        if _HAS_AT.search(s):
            if "@" in s or "\uff20" in s:
                s = _sub(_EMAIL, _mask_email, s)
            s = _sub(_EMAIL_WRITTEN, _mask_written_email, s)
        for name in names:
            s = s.replace(name, mask_name(name))
            pattern = _name_pattern(name)
            if pattern is not None:
                s = pattern.sub(lambda m: mask_name(m.group(0)), s)
        if s == before:
            return s


def escape_html(text) -> str:
    """HTML-escape text for display (``<script>`` → ``&lt;script&gt;``); missing → ``""``.

    >>> escape_html('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    return html.escape(str(text), quote=True)


_TEXT_FIELDS = ("story", "loss", "request", "resolution", "contact")
#: Columns naming staff (the staff member complained about, the agent who took the complaint):
#: their names are masked wherever the row's free text mentions them.
_STAFF_FIELDS = ("staff_name", "receiver")


def mask_complaints(frame: pd.DataFrame, *, complainant: str = "complainant") -> pd.DataFrame:
    """A copy of a complaint log safe to show: PII masked in every free-text field.

    ``story, loss, request, resolution, contact`` are passed through :func:`mask_pii` with
    the row's complainant name and its staff names (``staff_name``, ``receiver``: staff are
    persons too); the ``complainant`` column itself becomes ``张*`` style (the staff columns
    are left as they are: a report does not show them).

    >>> df = pd.DataFrame({"complainant": ["李四"], "staff_name": ["王五"],
    ...                    "story": ["李四的电话13912345678，员工王五态度差"]})
    >>> mask_complaints(df).iloc[0].tolist()
    ['李*', '王五', '李*的电话139****5678，员工王*态度差']
    """
    out = frame.copy()
    names = out[complainant] if complainant in out.columns else None
    staff = [c for c in _STAFF_FIELDS if c in out.columns]
    if staff:
        people = out[[complainant, *staff] if names is not None else staff]
        per_row = [[v for v in row if isinstance(v, str) and v.strip()] for row in people.itertuples(index=False)]
    for col in _TEXT_FIELDS:
        if col in out.columns:
            if staff:
                texts = out[col].astype("object")
                masked = [mask_pii(text, row) for text, row in zip(texts, per_row)]
                out[col] = pd.Series(masked, index=out.index, name=col, dtype="object")
            else:
                out[col] = mask_pii(out[col].astype("object"), names)
    if names is not None:
        out[complainant] = names.map(lambda v: v if pd.isna(v) else mask_name(v))
    return out
