"""Every label exists in Chinese and English, once, and ``t()`` refuses what it does not know.

The locale files are read here independently of :mod:`csworkbench.i18n` (with a YAML
loader that also sees keys repeated inside one file, which ``yaml.safe_load`` would
silently overwrite), so a broken file still yields one named failure per key.
"""

from __future__ import annotations

import re
import string
import sys
import warnings
from collections import defaultdict
from pathlib import Path

import pandas as pd

import pytest
import yaml

from csworkbench import i18n
from csworkbench.errors import CSWError, DataError
from csworkbench.i18n import LANGUAGES, TranslationError, labels, localize_problems, t, translate_problem

LOCALE_DIR = Path(i18n.__file__).resolve().parent / "locale"
FILES = sorted(LOCALE_DIR.glob("*.y*ml"))


class _DuplicateKeyLoader(yaml.SafeLoader):
    """SafeLoader that records every top-level key of a file, repeats included."""


def _record_keys(loader: _DuplicateKeyLoader, node: yaml.MappingNode):
    if not hasattr(loader, "seen_keys"):
        loader.seen_keys = [loader.construct_object(key) for key, _ in node.value]
    return loader.construct_mapping(node)


_DuplicateKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _record_keys)


def read_locale(path: Path) -> tuple[dict, list]:
    loader = _DuplicateKeyLoader(path.read_text(encoding="utf-8"))
    try:
        content = loader.get_single_data() or {}
        return content, list(getattr(loader, "seen_keys", []))
    finally:
        loader.dispose()


ENTRIES: list[tuple[str, str, object]] = []  # (file, key, entry)
OCCURRENCES: dict[str, list[str]] = defaultdict(list)  # key -> files (one per occurrence)
for _path in FILES:
    _content, _seen = read_locale(_path)
    for _key in _seen:
        OCCURRENCES[str(_key)].append(_path.name)
    if isinstance(_content, dict):
        ENTRIES.extend((_path.name, str(k), v) for k, v in _content.items())


def test_locale_files_exist_and_are_mappings():
    assert any(p.name == "core.yml" for p in FILES)
    for path in FILES:
        content, _ = read_locale(path)
        assert isinstance(content, dict), f"{path.name}: expected `key: {{zh: …, en: …}}` entries"


@pytest.mark.parametrize(("filename", "key", "entry"), ENTRIES, ids=[f"{f}:{k}" for f, k, _ in ENTRIES])
def test_label_has_chinese_and_english(filename, key, entry):
    assert isinstance(entry, dict), f"{filename}: {key} must map languages to text; got {entry!r}"
    unknown = set(entry) - set(LANGUAGES)
    assert not unknown, f"{filename}: {key} has unknown language codes {sorted(unknown)}"
    for lang in LANGUAGES:
        text = entry.get(lang)
        assert isinstance(text, str) and text.strip(), f"{filename}: {key} has no {lang!r} text"


@pytest.mark.parametrize(("filename", "key", "entry"), ENTRIES, ids=[f"{f}:{k}" for f, k, _ in ENTRIES])
def test_label_placeholders_agree_between_languages(filename, key, entry):
    if not isinstance(entry, dict):
        pytest.fail(f"{filename}: {key} is not a mapping")
    fields = {
        lang: sorted({name for _, name, _, _ in string.Formatter().parse(str(entry.get(lang, ""))) if name is not None})
        for lang in LANGUAGES
    }
    assert fields["zh"] == fields["en"], f"{filename}: {key} placeholders differ: {fields}"


def test_no_key_is_defined_twice():
    twice = {key: files for key, files in OCCURRENCES.items() if len(files) > 1}
    assert not twice, f"label keys defined more than once (key: files): {twice}"


def test_catalog_loads_every_key():
    i18n.load_catalog.cache_clear()
    assert set(i18n.all_keys()) == {key for _, key, _ in ENTRIES}


def test_t_gives_both_languages():
    assert t("servqual.reliability", "zh") == "可靠性"
    assert t("servqual.reliability", "en") == "Reliability"
    assert t("servqual.reliability") == "可靠性"
    assert labels(["tangibles", "empathy"], "en", prefix="servqual.") == {"tangibles": "Tangibles", "empathy": "Empathy"}


def test_t_unknown_key_raises():
    with pytest.raises(TranslationError, match="no.such.key"):
        t("no.such.key", "zh")


@pytest.mark.parametrize("lang", ["fr", "ZH", "", "zh-CN"])
def test_t_unknown_language_raises(lang):
    with pytest.raises(TranslationError, match="language"):
        t("servqual.reliability", lang)


def test_translation_error_is_a_csworkbench_error_and_a_key_error():
    assert issubclass(TranslationError, CSWError)
    assert issubclass(TranslationError, KeyError)


def test_duplicate_key_across_files_is_refused(tmp_path, monkeypatch):
    """The loader itself (not only this test file) refuses a key defined in two files."""
    (tmp_path / "a.yml").write_text("x.same: {zh: 一, en: one}\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("x.same: {zh: 二, en: two}\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.load_catalog.cache_clear()
    try:
        with pytest.raises(TranslationError, match="x.same"):
            i18n.load_catalog()
    finally:
        monkeypatch.undo()
        i18n.load_catalog.cache_clear()


def test_the_duplicate_detector_sees_repeats_inside_one_file(tmp_path):
    path = tmp_path / "dup.yml"
    path.write_text("k.one: {zh: 一, en: one}\nk.one: {zh: 壹, en: One}\n", encoding="utf-8")
    _, seen = read_locale(path)
    assert seen == ["k.one", "k.one"]


# ------------------------------------------------------------------ data-problem texts (locale/problems.yml)

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _problem_templates():
    return {k: v for k, v in i18n.load_catalog().items() if k.startswith("problems.") and k != "problems.file_column"}


@pytest.mark.parametrize("key", sorted(_problem_templates()))
def test_every_problem_template_translates_back_to_its_own_chinese_text(key):
    """Fill the English template with sample values: the translation is that template's Chinese
    text with the same values (so no other, looser template wins, and no value is lost)."""
    entry = i18n.load_catalog()[key]
    names = re.findall(r"\{(\w+)\}", entry["en"])
    values = {n: f"'V{i}'" for i, n in enumerate(names)}
    english, chinese = entry["en"].format(**values), entry["zh"].format(**values)
    if key.startswith("problems.part."):  # a part is translated inside a whole text
        english, chinese = f"not a number: {english}", f"不是数字：{chinese}"
    assert translate_problem(english, "en") == english
    assert translate_problem(english, "zh") == chinese
    for v in values.values():
        assert v in translate_problem(english, "zh")


def test_problem_parts_are_translated_inside_a_text():
    assert translate_problem("not a date: expected an 8-digit yyyymmdd date such as 20240331", "zh") == \
        "不是日期：应为 8 位 yyyymmdd 日期，例如 20240331"
    assert translate_problem("outside the scale: must hold numbers 1–7 (99 looks like a missing-value code: "
                             "declare it as missing, e.g. in SPSS, or leave the cell blank)", "zh").startswith(
        "超出量表范围：应为 1–7 之间的数字（99 像是缺失值代码")
    assert translate_problem("outside the scale: must hold numbers 1–5 (the file's column '处理后满意度')", "zh") == \
        "超出量表范围：应为 1–5 之间的数字（文件中的列 '处理后满意度'）"


def test_unknown_texts_and_non_text_pass_through():
    assert translate_problem("a brand-new problem", "zh") == "a brand-new problem"
    assert translate_problem(None, "zh") is None
    with pytest.raises(TranslationError):
        translate_problem("missing date", "fr")


def _bad_corpus_problems() -> pd.DataFrame:
    sys.path.insert(0, str(Path(__file__).parent))
    import test_bad_input as corpus

    frames = []
    for case in corpus.CASES:
        path = corpus.BAD / case["file"]
        if case["reader"] not in {"survey", "long_survey", "transactions", "complaints"} or not path.exists():
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                frames.append(corpus._run(case, strict=False, path=path)[1])
            except DataError as exc:
                if exc.problems is not None:
                    frames.append(exc.problems)
    return pd.concat(frames, ignore_index=True)


def test_every_problem_the_validators_write_for_the_bad_corpus_has_a_chinese_text():
    problems = _bad_corpus_problems()
    assert len(problems) > 60
    zh = localize_problems(problems, "zh")
    untranslated = sorted({p for p in zh["problem"].tolist() + zh["action"].tolist() if not _CJK.search(p)})
    assert not untranslated, f"add these to csworkbench/locale/problems.yml: {untranslated}"
    assert zh[["row", "column", "value"]].equals(problems[["row", "column", "value"]])
    assert localize_problems(problems, "en").equals(problems)
