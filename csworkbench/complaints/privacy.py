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
  Luhn check (ISO/IEC 7812);
* e-mail addresses;
* names given explicitly (the ``complainant`` field), wherever they appear.

Text rendered in HTML is escaped with :func:`escape_html` (``<`` ``>`` ``&`` ``"`` ``'``),
so a story holding ``<script>`` stays inert.
"""

from __future__ import annotations

import html
import re
from typing import Iterable

import numpy as np
import pandas as pd

__all__ = ["mask_pii", "mask_name", "escape_html", "valid_id_number", "luhn_ok", "mask_complaints"]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx])(?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![\d-])(\d(?:[ -]?\d){12,18})(?![\d-])")
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def valid_id_number(number: str) -> bool:
    """True when an 18-character mainland ID has the right ISO 7064 MOD 11-2 check character.

    >>> valid_id_number("11010519491231002X"), valid_id_number("110105194912310021")
    (True, False)
    """
    if not re.fullmatch(r"\d{17}[0-9Xx]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(number: str) -> bool:
    """Luhn check of a card number (digits only, spaces and hyphens ignored).

    >>> luhn_ok("4111 1111 1111 1111"), luhn_ok("4111 1111 1111 1112")
    (True, False)
    """
    digits = [int(c) for c in number if c.isdigit()]
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


def _mask_card(m: re.Match) -> str:
    s = m.group(1)
    if not luhn_ok(s):
        return s
    digits = re.sub(r"\D", "", s)
    return "*" * (len(digits) - 4) + digits[-4:]


def _mask_mobile(m: re.Match) -> str:
    digits = re.sub(r"\D", "", m.group(1))[-11:]
    return digits[:3] + "****" + digits[-4:]


def _mask_email(m: re.Match) -> str:
    local, domain = m.group(0).split("@", 1)
    return local[:1] + "***@" + domain


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
    s = _ID.sub(_mask_id, s)
    s = _CARD.sub(_mask_card, s)
    s = _MOBILE.sub(_mask_mobile, s)
    s = _EMAIL.sub(_mask_email, s)
    if names is not None:
        for name in [names] if isinstance(names, str) else names:
            if isinstance(name, str) and name.strip():
                s = s.replace(name.strip(), mask_name(name.strip()))
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
