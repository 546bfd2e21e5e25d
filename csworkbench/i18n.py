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

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import CSWError

LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

__all__ = [
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "t",
    "labels",
    "all_keys",
    "check_language",
    "load_catalog",
    "money_text",
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


#: libyaml's parser where PyYAML was built with it (the wheels are): the label catalogue parses
#: in 0.05 s instead of 0.47 s — paid by every report kernel and the run's index.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, dict[str, str]]:
    """Read every ``locale/*.yml`` file into one ``{key: {lang: label}}`` mapping."""
    catalog: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(LOCALE_DIR.glob("*.y*ml")):
        with path.open(encoding="utf-8") as fh:
            content = yaml.load(fh, Loader=_YAML_LOADER) or {}  # noqa: S506  (a safe loader)
        if not isinstance(content, Mapping):
            raise TranslationError(f"{path.name}: expected a mapping of key → {{zh, en}}; got {type(content).__name__}")
        for key, entry in content.items():
            if key in catalog:
                raise TranslationError(f"label key {key!r} is defined in both {origin[key]} and {path.name}")
            if not isinstance(entry, Mapping):
                raise TranslationError(f"{path.name}: label {key!r} must map languages to text; got {entry!r}")
            extra = set(map(str, entry)) - set(LANGUAGES)
            bad = [lang for lang in LANGUAGES if not isinstance(text := entry.get(lang), str) or not text.strip()]
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


def labels(
    keys: Iterable[str], lang: str = DEFAULT_LANGUAGE, prefix: str = "", *, missing: str = "error"
) -> dict[str, str]:
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


def column_text(name: object, lang: str) -> str:
    """A data column's name for a sentence: the label ``column_text_<name>`` where the catalogue
    has one (generic English names such as ``segment``), else the name as the data spells it.
    (No dot before the name: a key ending in ``.<name>`` would become a table heading, see
    :func:`csworkbench.reporting.display.column_label`.)

    >>> column_text("segment", "zh"), column_text("地区", "zh"), column_text("region_x", "en")
    ('细分群体', '地区', 'region_x')
    """
    key = f"column_text_{name}"
    return t(key, lang) if key in load_catalog() else str(name)


def money_text(value: float, currency: str = "") -> str:
    """Money in a sentence or an axis note: whole units from 1,000 up, else two decimals.

    >>> money_text(1234.5, "¥"), money_text(2.5, "$")
    ('¥1,234', '$2.50')
    """
    return f"{currency}{value:,.0f}" if abs(value) >= 1000 else f"{currency}{value:,.2f}"
