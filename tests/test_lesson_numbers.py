"""Every number the lessons' prose quotes is either computed or a listed course fact (issue 17).

A lesson's Markdown may not state a result the code did not produce: change a parameter and a
sentence such as "the gap closest to 0 is 0.3" would silently go wrong.  So, for each lesson
notebook in ``notebooks/lessons/``:

* the lesson is executed once per test run (shared with ``tests/test_lessons.py`` through
  :mod:`lesson_runs`);
* every number in its Markdown cells — outside headings, chapter/section references
  (第 N 章, N.M 节), list numbering and the glossary — must appear among the executed outputs
  (a number written with d decimals matches an output that rounds to it; an integer must
  appear as an integer), or be listed in ``tests/lesson_numbers.yml`` for that lesson (or for
  all lessons) with where it comes from: a seed file of the course and its line with the
  quoted words, or a method constant (scale ends, the 95 % level …) with a reason.

Results belong in code cells (``display(Markdown(f"…{value:.1f}…"))``), so they follow the data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml
from lesson_runs import LESSONS_DIR, executed

ROOT = Path(__file__).resolve().parent.parent
ALLOW = Path(__file__).with_name("lesson_numbers.yml")
LESSONS = sorted(LESSONS_DIR.glob("[0-9][0-9]_*.ipynb"))
NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?(?![\w])")
#: Output types that are text a reader sees (plotly / widget state is left out: thousands of floats).
TEXT_TYPES = ("text/plain", "text/markdown", "text/html", "text/latex")
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
#: Prose that holds numbers which are not quantities: references and numbering.
STRUCTURE = [
    re.compile(r"第\s*\d+\s*[章节步层题]"),  # 第 5 章, 第 3 步, 第 4 层
    re.compile(r"\d+(?:\.\d+)+\s*节"),  # 3.2 节
    re.compile(r"(?m)^\s*\d+[.、)]\s"),  # list numbering
    re.compile(r"(?m)^\s*\|\s*\d+\s*\|"),  # a table's numbering column
    re.compile(r"`[^`]*`"),  # inline code: names and parameter values the reader types
    re.compile(r"<[^>]+>"),  # HTML tags
    re.compile(r"https?://\S+"),
    re.compile(r"\[[^\]]*\]\([^)]*\)"),  # links
    re.compile(r"[A-Za-z]+\d+[A-Za-z0-9]*"),  # identifiers such as q5, 4P, GB/T 19000 is listed instead
]


def markdown_numbers(text: str) -> list[str]:
    """Numbers quoted in a Markdown cell's prose (headings, references and numbering removed)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    prose = "\n".join(lines)
    for pattern in STRUCTURE:
        prose = pattern.sub(" ", prose)
    return [m.group(0).replace(",", "") for m in NUMBER.finditer(prose)]


def output_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            parts.append(out.get("text", "") if isinstance(out.get("text", ""), str) else "")  # streams
            data = out.get("data", {})
            for kind in TEXT_TYPES:
                value = data.get(kind, "")
                parts.append(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    return DATA_URI.sub(" ", "\n".join(parts))


def output_numbers(text: str) -> tuple[set[str], list[float]]:
    tokens = {m.group(0).replace(",", "") for m in NUMBER.finditer(text)}
    return tokens, [float(t) for t in tokens]


def matches(number: str, tokens: set[str], values: list[float]) -> bool:
    """An integer must appear as an integer; a decimal with d places matches any output rounding to it."""
    if number in tokens:
        return True
    if "." not in number:
        return any(v == int(number) and float(v).is_integer() for v in values) or f"{number}.0" in tokens
    places = len(number.split(".")[1])
    target = float(number)
    return any(round(v, places) == target for v in values)


def prose_cells(nb: nbformat.NotebookNode) -> list[str]:
    """Markdown cells, without the glossary (术语表) which names no quantities."""
    return [c.source for c in nb.cells if c.cell_type == "markdown" and "术语表" not in c.source]


def unexplained(nb: nbformat.NotebookNode, allowed: set[str]) -> list[str]:
    tokens, values = output_numbers(output_text(nb))
    found = []
    for text in prose_cells(nb):
        for number in markdown_numbers(text):
            if number in allowed or matches(number, tokens, values):
                continue
            found.append(number)
    return sorted(set(found), key=lambda s: (len(s), s))


def allow_list() -> dict[str, list[dict]]:
    with ALLOW.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def allowed_for(lesson: str, entries: dict[str, list[dict]]) -> set[str]:
    return {str(e["number"]) for key in ("all", lesson) for e in entries.get(key, [])}


# ----------------------------------------------------------------------------- the lessons


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_quoted_number_is_an_output_or_a_listed_fact(lesson):
    nb = executed(lesson)
    missing = unexplained(nb, allowed_for(lesson.name[:2], allow_list()))
    assert missing == [], (
        f"{lesson.name}: numbers in the prose that no output shows and {ALLOW.name} does not list: {missing}"
    )


def test_allow_list_entries_say_where_they_come_from():
    entries = allow_list()
    problems = []
    for key, rows in entries.items():
        for row in rows:
            number = str(row.get("number", ""))
            if not NUMBER.fullmatch(number):
                problems.append(f"{key}: {number!r} is not a number")
            source = str(row.get("source", ""))
            if re.fullmatch(r"00[0-4]", source):
                if not isinstance(row.get("line"), int):
                    problems.append(f"{key} {number}: seed {source} without a line")
                quote = str(row.get("quote", "")).replace(",", "")
                if number not in quote:
                    problems.append(f"{key} {number}: the quoted seed words {quote!r} do not contain it")
            elif source != "method" or not row.get("reason"):
                problems.append(f"{key} {number}: source must be a seed file (000-004) or 'method' with a reason")
    assert problems == []


# ----------------------------------------------------------------------------- the check itself


def _notebook(markdown: list[str], outputs: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(m) for m in markdown]
    for text in outputs:
        cell = nbformat.v4.new_code_cell("x")
        cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": text})]
        nb.cells.append(cell)
    return nb


def test_the_check_catches_a_stale_number():
    nb = _notebook(["## 3.2 例题\n\n差距最接近 0 的是保证性（−0.42），样本 80 人。"], ["gap -0.4213\nn 80"])
    assert unexplained(nb, set()) == ["0"]
    assert unexplained(nb, {"0"}) == []
    stale = _notebook(["差距是 −0.38，样本 80 人，见第 5 章。"], ["gap -0.4213\nn 80"])
    assert unexplained(stale, {"0"}) == ["0.38"]


def test_structure_is_not_taken_for_quantities():
    text = "# 第 3 章\n\n1. 见 3.2 节和第 4 步；`seed = 7`；题项 q5。\n| 2 | 理解差距 |\n价值 22.5 万元"
    assert markdown_numbers(text) == ["22.5"]


def test_integers_must_appear_as_integers():
    tokens, values = output_numbers("0.36 4.6 12")
    assert matches("0.4", tokens, values) and matches("12", tokens, values)
    assert not matches("5", tokens, values)
