"""The complaint keyword lexicon (投诉关键词词典): editable zh/en keywords per label.

``csworkbench/data/complaint_keywords.yml`` maps a scheme (``category`` — complaint content,
``sentiment``, ``escalation`` …) to labels and their keywords in each language; the
:class:`~csworkbench.complaints.KeywordClassifier` and :func:`~csworkbench.complaints.escalation_level`
read it through :func:`load_lexicon`.  Like :mod:`csworkbench.i18n` with its labels, this plumbing
module reads a configuration file of the package (or the user's own lexicon in the same layout);
it imports no model library.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from os import PathLike
from pathlib import Path

import yaml

from .errors import DataError

__all__ = ["LEXICON_PATH", "load_lexicon"]

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "complaint_keywords.yml"


@lru_cache(maxsize=8)
def _read_lexicon(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        content = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506  (safe)
    if not isinstance(content, Mapping):
        raise DataError("a keyword lexicon must map scheme → label → {zh: [...], en: [...]}", path=path)
    return dict(content)


def load_lexicon(
    scheme: str = "category", lang: str | None = None, path: str | PathLike | None = None
) -> dict[str, list[str]]:
    """Keywords per label from the lexicon file (editable YAML).

    Parameters
    ----------
    scheme : str
        Section of the file: ``"category"`` (complaint content), ``"sentiment"``,
        ``"escalation"`` …
    lang : {"zh", "en"} or None
        Keywords of one language, or both (None).
    path : path, optional
        Your own lexicon in the same layout; default the bundled
        ``csworkbench/data/complaint_keywords.yml``.

    >>> lex = load_lexicon("category", "zh")
    >>> "质量" in lex["product_quality"]
    True
    """
    path = Path(path) if path is not None else LEXICON_PATH
    if not path.exists():
        raise DataError("keyword lexicon not found", path=path)
    content = _read_lexicon(str(path))
    if scheme not in content:
        raise DataError(f"the lexicon has no scheme {scheme!r}; it has {', '.join(map(str, content))}", path=path)
    out: dict[str, list[str]] = {}
    for label, entry in content[scheme].items():
        if not isinstance(entry, Mapping):
            raise DataError(f"label {label!r} must map languages to keyword lists", path=path, column=scheme)
        words: list[str] = []
        for lg in [lang] if lang else list(entry):
            words.extend(str(w) for w in (entry.get(lg) or []))
        out[str(label)] = words
    return out
