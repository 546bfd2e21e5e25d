"""Labels in Chinese and English (中英文标签) for every construct, dimension, tier and category.

Labels live in YAML files under ``csworkbench/locale/`` — one file per capability
(``core.yml``, ``gaps.yml``, ``tiers.yml`` …) so that modules can add labels without
touching each other.  Every file maps a dotted key to ``{zh: …, en: …}``::

    tier.super_heavy:
      zh: 超重量级
      en: Super-heavyweight

A key defined twice (in one file or across files) is an error, and a test fails on
any key that lacks one of the languages.

Examples
--------
>>> from csworkbench.i18n import t
>>> t("servqual.reliability", "zh")
'可靠性'
>>> t("servqual.reliability", "en")
'Reliability'
>>> t("servqual.reliability")  # default language: zh
'可靠性'
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

import yaml

from .errors import CSWError

if TYPE_CHECKING:  # pandas is imported only when a problems table is localised
    import pandas as pd

LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

__all__ = [
    "LANGUAGES", "DEFAULT_LANGUAGE", "t", "labels", "all_keys", "check_language", "load_catalog",
    "translate_problem", "localize_problems",
]


class TranslationError(CSWError, KeyError):
    """An unknown label key or language."""

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0]) if self.args else ""


def check_language(lang: str) -> str:
    """Return ``lang`` if it is a supported language code, else raise :class:`TranslationError`."""
    if lang not in LANGUAGES:
        raise TranslationError(f"language must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    return lang


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, dict[str, str]]:
    """Read every ``locale/*.yml`` file into one ``{key: {lang: label}}`` mapping."""
    catalog: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(LOCALE_DIR.glob("*.y*ml")):
        with path.open(encoding="utf-8") as fh:
            content = yaml.safe_load(fh) or {}
        if not isinstance(content, Mapping):
            raise TranslationError(f"{path.name}: expected a mapping of key → {{zh, en}}; got {type(content).__name__}")
        for key, entry in content.items():
            if key in catalog:
                raise TranslationError(f"label key {key!r} is defined in both {origin[key]} and {path.name}")
            if not isinstance(entry, Mapping):
                raise TranslationError(f"{path.name}: label {key!r} must map languages to text; got {entry!r}")
            extra = set(map(str, entry)) - set(LANGUAGES)
            bad = [lang for lang in LANGUAGES if not isinstance(entry.get(lang), str) or not entry.get(lang).strip()]
            if extra or bad:
                raise TranslationError(
                    f"{path.name}: label {key!r} must have exactly the keys {', '.join(LANGUAGES)} with non-empty text"
                    + (f"; unexpected {sorted(extra)} (quote text that contains a comma or a colon)" if extra else "")
                    + (f"; missing or not text: {bad}" if bad else "")
                )
            catalog[str(key)] = {lang: entry[lang] for lang in LANGUAGES}
            origin[str(key)] = path.name
    return catalog


def t(key: str, lang: str = DEFAULT_LANGUAGE, **fmt: object) -> str:
    """Label for ``key`` in ``lang`` (``"zh"`` or ``"en"``), formatted with ``fmt`` if given.

    Raises
    ------
    TranslationError
        If the key or the language is unknown, or the label lacks that language.
    """
    check_language(lang)
    catalog = load_catalog()
    try:
        entry = catalog[key]
    except KeyError:
        raise TranslationError(f"no label {key!r}; add it to a file in {LOCALE_DIR.name}/") from None
    try:
        text = entry[lang]
    except KeyError:
        raise TranslationError(f"label {key!r} has no {lang!r} text") from None
    return text.format(**fmt) if fmt else text


def labels(keys: Iterable[str], lang: str = DEFAULT_LANGUAGE, prefix: str = "", *, missing: str = "error") -> dict[str, str]:
    """Map each key (optionally under ``prefix``) to its label: handy for ``DataFrame.rename``.

    ``missing="keep"`` labels a key that has no label with the key itself — for names the
    user chose (a questionnaire's own dimensions); the default raises :class:`TranslationError`.

    >>> labels(["reliability", "empathy"], "en", prefix="servqual.")
    {'reliability': 'Reliability', 'empathy': 'Empathy'}
    >>> labels(["reliability", "网点环境"], "zh", prefix="servqual.", missing="keep")
    {'reliability': '可靠性', '网点环境': '网点环境'}
    """
    check_language(lang)
    if missing not in ("error", "keep"):
        raise TranslationError(f"missing must be 'error' or 'keep'; got {missing!r}")
    catalog = load_catalog()
    return {k: t(prefix + k, lang) if missing == "error" or prefix + k in catalog else k for k in keys}


def all_keys() -> list[str]:
    """Every label key known, sorted."""
    return sorted(load_catalog())


# --------------------------------------------------------------------------- data-problem texts

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_FILE_COLUMN = re.compile(r" \(the file's column (?P<column>'[^']*')\)\Z")


def _compile(template: str) -> re.Pattern[str]:
    """An English template (``"date after {limit} (in the future)"``) as an anchored regex."""
    parts, pos = [], 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[pos:m.start()]))
        parts.append(f"(?P<{m.group(1)}>.+?)")
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


@lru_cache(maxsize=1)
def _problem_templates() -> tuple[list[tuple[re.Pattern[str], str]], list[tuple[re.Pattern[str], str]],
                                 dict[str, str]]:
    """(whole-text templates, part templates, actions) from the ``problems.*`` labels.

    Templates with more fixed text are tried first, so that the most specific one wins
    ("outside the scale: … (99 looks like a missing-value code …)" before "outside the scale: …").
    """
    whole, parts, actions = [], [], {}
    for key, entry in load_catalog().items():
        if not key.startswith("problems."):
            continue
        if key == "problems.file_column":
            continue
        if key.startswith("problems.action."):
            actions[entry["en"]] = key
            continue
        fixed = len(_PLACEHOLDER.sub("", entry["en"]))
        target = parts if key.startswith("problems.part.") else whole
        target.append((fixed, _compile(entry["en"]), key))
    order = lambda items: [(rx, key) for _, rx, key in sorted(items, key=lambda x: -x[0])]  # noqa: E731
    return order(whole), order(parts), actions


def _fill(match: re.Match[str], key: str, lang: str, parts: list[tuple[re.Pattern[str], str]]) -> str:
    values = {}
    for name, value in match.groupdict().items():
        values[name] = value
        for rx, part_key in parts:
            inner = rx.match(value)
            if inner:
                values[name] = _fill(inner, part_key, lang, parts)
                break
    return t(key, lang).format(**values)


def translate_problem(text: object, lang: str = DEFAULT_LANGUAGE) -> object:
    """A data-problem text of the validators in ``lang`` (数据问题的中文说明).

    The validators (:mod:`csworkbench.schema`, :mod:`csworkbench.gaps`, :mod:`csworkbench.tiers`,
    :mod:`csworkbench.clv`) write their problems in English; ``locale/problems.yml`` holds each
    English text as a template with its Chinese text.  A text that matches no template is
    returned unchanged (English), as is anything that is not a string.

    >>> translate_problem("date after 2025-01-01 (in the future)", "zh")
    '日期晚于 2025-01-01（在未来）'
    >>> translate_problem("outside the scale: must hold numbers 1–7", "zh")
    '超出量表范围：应为 1–7 之间的数字'
    >>> translate_problem("missing story (what happened) (the file's column '投诉内容')", "zh")
    "缺少投诉内容（发生了什么）（文件中的列 '投诉内容'）"
    >>> translate_problem("dropped", "zh"), translate_problem("something new", "zh")
    ('已删除', 'something new')
    """
    check_language(lang)
    if lang == "en" or not isinstance(text, str):
        return text
    whole, parts, actions = _problem_templates()
    if text in actions:
        return t(actions[text], lang)
    suffix = _FILE_COLUMN.search(text)  # "… (the file's column '服务方面')": translate what precedes it
    if suffix:
        inner = translate_problem(text[:suffix.start()], lang)
        return t("problems.file_column", lang).format(problem=inner, column=suffix.group("column"))
    for rx, key in whole:
        match = rx.match(text)
        if match is not None:
            return _fill(match, key, lang, parts)
    return text


def localize_problems(problems: "pd.DataFrame", lang: str = DEFAULT_LANGUAGE) -> "pd.DataFrame":
    """A copy of a problems table (``row, column, value, problem, action``) with the
    ``problem`` and ``action`` texts in ``lang``; the other columns are unchanged.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"row": [3], "column": ["date"], "value": ["2024-02-30"],
    ...                   "problem": ["not a date: expected e.g. 2024-03-31"], "action": ["dropped"]})
    >>> localize_problems(p, "zh")[["problem", "action"]].values.tolist()
    [['不是日期：应形如 2024-03-31', '已删除']]
    """
    check_language(lang)
    out = problems.copy()
    if lang == "en":
        return out
    for column in ("problem", "action"):
        if column in out.columns:
            out[column] = out[column].map(lambda v: translate_problem(v, lang))
    return out
