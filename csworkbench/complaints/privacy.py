"""Personal data in complaint text: masking and HTML escaping (个人信息脱敏).

Complaint stories come from customers and carry their phone numbers, ID numbers, bank
cards, e-mail addresses and names.  Reports mask them by default (China's Personal
Information Protection Law, PIPL 2021, art. 51: de-identification; the common display
convention masks the middle digits, e.g. ``138****5678``).

What is recognised:

* mainland mobile numbers: 11 digits ``1[3-9]x…``, optionally ``+86``/``86`` and spaces
  or hyphens in 3-4-4 groups;
* resident ID numbers (GB 11643-1999): 17 digits and a check character validated with
  ISO 7064 MOD 11-2 — an 18-digit number with a wrong check digit is not an ID;
* bank card numbers: 13–19 digits (spaces or hyphens allowed between groups) passing the
  Luhn check (ISO/IEC 7812), also where the card shares a run of digit groups with another
  number (``订单 2024 4111 1111 1111 1111``);

A number is delimited by non-digits only (a letter glued to it does not hide it), and the
passes repeat until the text stops changing, so masking is idempotent.
* e-mail addresses;
* names given explicitly (the ``complainant`` field), wherever they appear.

Text rendered in HTML is escaped with :func:`escape_html` (``<`` ``>`` ``&`` ``"`` ``'``),
so a story holding ``<script>`` stays inert.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

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
_NUMBER_RUN = re.compile(r"\d(?:[ -]?\d)*", re.ASCII)
_GROUP_SEP = re.compile(r"[ -]")
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?!\d)", re.ASCII)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
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
    }
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


def _sub(pattern: re.Pattern, repl, s: str) -> str:
    """``pattern.sub(repl, s)`` with the matching done on the ASCII copy of ``s``."""
    ascii_s = s.translate(_ASCII_FORMS)
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


def mask_pii(text, names: Iterable[str] | str | None = None):
    """Mask mobiles, ID numbers, bank cards, e-mails and the given names in text.

    Parameters
    ----------
    text : str, Series or None
        One text or a column of texts; missing stays missing.
    names : str or iterable of str, optional
        Names to mask wherever they occur (e.g. the complainant's).  With a Series,
        ``names`` may be a Series aligned with it (one name per row).

    Returns
    -------
    str or Series

    Examples
    --------
    >>> mask_pii("我是张三，电话13812345678，身份证11010519491231002X，邮箱zs@qq.com", names="张三")
    '我是张*，电话138****5678，身份证1101**********002X，邮箱z***@qq.com'
    >>> mask_pii("card 4111-1111-1111-1111, order 1234567890123456")
    'card ************1111, order 1234567890123456'
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
    # replaces digits or name characters by "*", so this ends.
    while True:
        before = s
        s = _sub(_ID, _mask_id, s)
        s = _sub(_NUMBER_RUN, _mask_card_run, s)
        s = _sub(_MOBILE, _mask_mobile, s)
        s = _EMAIL.sub(_mask_email, s)
        for name in names:
            s = s.replace(name, mask_name(name))
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


def mask_complaints(frame: pd.DataFrame, *, complainant: str = "complainant") -> pd.DataFrame:
    """A copy of a complaint log safe to show: PII masked in every free-text field.

    ``story, loss, request, resolution, contact`` are passed through :func:`mask_pii` with
    the row's complainant name; the ``complainant`` column itself becomes ``张*`` style.

    >>> df = pd.DataFrame({"complainant": ["李四"], "story": ["李四的电话13912345678"]})
    >>> mask_complaints(df).iloc[0].tolist()
    ['李*', '李*的电话139****5678']
    """
    out = frame.copy()
    names = out[complainant] if complainant in out.columns else None
    for col in _TEXT_FIELDS:
        if col in out.columns:
            out[col] = mask_pii(out[col].astype("object"), names)
    if names is not None:
        out[complainant] = names.map(lambda v: v if pd.isna(v) else mask_name(v))
    return out
