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

from csworkbench import i18n, problems
from csworkbench.errors import CSWError, DataError
from csworkbench.i18n import LANGUAGES, TranslationError, labels, t
from csworkbench.problems import localize

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
    assert labels(["tangibles", "empathy"], "en", prefix="servqual.") == {
        "tangibles": "Tangibles",
        "empathy": "Empathy",
    }


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
def test_every_problem_template_renders_in_both_languages_keeping_every_value(key):
    """Each template, filled with sample values by code, gives its own text in zh and en, and
    no value is lost in either language."""
    entry = i18n.load_catalog()[key]
    names = re.findall(r"\{(\w+)\}", entry["en"])
    assert sorted(names) == sorted(re.findall(r"\{(\w+)\}", entry["zh"])), "zh and en take different parameters"
    values = {n: f"'V{i}'" for i, n in enumerate(names)}
    if key.startswith("problems.action."):
        code = key.removeprefix("problems.action.")
        assert problems.action_text(code, "en") == entry["en"] and problems.action_text(code, "zh") == entry["zh"]
        return
    code = key.removeprefix("problems.")
    for lang in ("en", "zh"):
        text = problems.render(code, lang, **values)
        assert text == entry[lang].format(**values)
        assert all(v in text for v in values.values())


def test_problem_parts_render_inside_a_text_in_the_same_language():
    p = problems.part("date_yyyymmdd", example="20240331")
    assert problems.render("not_a_date", "zh", part=p) == "不是日期：应为 8 位 yyyymmdd 日期，例如 20240331"
    assert (
        problems.render("not_a_date", "en", part=p) == "not a date: expected an 8-digit yyyymmdd date such as 20240331"
    )
    coded = problems.render("outside_scale_code", "zh", part=problems.part("scale", range="1–7"), code="99")
    assert coded.startswith("超出量表范围：应为 1–7 之间的数字（99 像是缺失值代码")


def test_a_file_header_is_named_in_both_languages():
    probs = problems.Problems(headers={"satisfaction_after": "处理后满意度"})
    probs.add(
        "outside_scale",
        rows=[3],
        column="satisfaction_after",
        values=[9],
        action="kept_nan",
        part=problems.part("scale", range="1–5"),
    )
    en, zh = probs.frame("en"), probs.frame("zh")
    assert en["problem"].tolist() == ["outside the scale: must hold numbers 1–5 (the file's column '处理后满意度')"]
    assert zh["problem"].tolist() == ["超出量表范围：应为 1–5 之间的数字（文件中的列 '处理后满意度'）"]
    assert problems.localize(en, "zh").equals(zh)


def test_unknown_codes_parameters_and_languages_are_errors():
    with pytest.raises(TranslationError, match="no data-problem text"):
        problems.render("a_brand_new_problem", "zh")
    with pytest.raises(TranslationError, match="needs the parameter 'limit'"):
        problems.render("future_date", "en")
    with pytest.raises(TranslationError):
        problems.render("missing_date", "fr")
    with pytest.raises(TranslationError, match="no action text"):
        problems.Problems().add("missing_date", rows=[1], action="burned")


def test_every_problem_code_written_in_the_package_has_a_template():
    """Static check: each ``.add("code"``, ``.error("code"`` and ``part("code"`` in the source exists."""
    catalog = i18n.load_catalog()
    root = Path(i18n.__file__).parent
    pattern = re.compile(r"""(?:\.add|\.error|\bpart)\(\s*["'](\w+)["']\s*(?:,\s*\w+=|\))""")
    missing = set()
    for path in root.rglob("*.py"):
        for m in pattern.finditer(path.read_text(encoding="utf-8")):
            prefix = "problems.part." if m.group(0).lstrip(".").startswith("part") else "problems."
            if prefix + m.group(1) not in catalog:
                missing.add(f"{path.relative_to(root)}: {m.group(1)}")
    assert not missing, f"add these to csworkbench/locale/problems.yml: {sorted(missing)}"


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
                frames.append(corpus._run(case, strict=False, path=path).problems)
            except DataError as exc:
                if exc.problems is not None:
                    frames.append(exc.problems)
    return pd.concat(frames, ignore_index=True)


def test_every_problem_the_validators_write_for_the_bad_corpus_has_a_chinese_text():
    problems = _bad_corpus_problems()
    assert len(problems) > 60
    zh = localize(problems, "zh")
    untranslated = sorted({p for p in zh["problem"].tolist() + zh["action"].tolist() if not _CJK.search(p)})
    assert not untranslated, f"add these to csworkbench/locale/problems.yml: {untranslated}"
    assert zh[["row", "column", "value", "code", "params"]].equals(
        problems[["row", "column", "value", "code", "params"]]
    )
    assert localize(problems, "en").equals(problems)
