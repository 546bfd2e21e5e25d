"""The course coverage table (课程覆盖表) stays true — issue 17 item 5.

``notebooks/lessons/coverage.tsv`` lists every item of the course's seed material (the
item-by-item review of 2026-12-04, 120 items) plus any part left out, with the lesson that
covers it and the phrases that show it does, or ``out_of_scope`` with the reason.  This test
keeps the table in step with the lessons: a covered item's lesson must exist and contain every
evidence phrase, so rewriting a lesson cannot silently drop a seed item.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

LESSONS = Path(__file__).resolve().parent.parent / "notebooks" / "lessons"
TABLE = LESSONS / "coverage.tsv"


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = _rows()


def test_table_shape():
    assert list(ROWS[0]) == ["seed", "item", "lesson", "status", "evidence", "note"]
    keys = [(r["seed"], r["item"]) for r in ROWS]
    assert len(keys) == len(set(keys)), "an item is listed twice"
    assert sum(r["seed"] != "" for r in ROWS) >= 120, "the review holds 120 seed items"
    assert {r["status"] for r in ROWS} <= {"covered", "out_of_scope"}
    for r in ROWS:
        if r["status"] == "out_of_scope":
            assert r["note"].strip(), f"{r['item']}: out of scope needs a reason"


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r["status"] == "covered"], ids=lambda r: f"{r['seed']}:{r['item'][:40]}"
)
def test_covered_item_is_in_its_lesson(row):
    script = LESSONS / f"{row['lesson']}.py"
    assert script.is_file(), f"lesson {row['lesson']} does not exist"
    text = script.read_text(encoding="utf-8")
    phrases = [p.strip() for p in row["evidence"].split("|") if p.strip()]
    assert phrases, f"{row['item']}: no evidence phrase"
    missing = [p for p in phrases if p not in text]
    assert not missing, f"{row['item']}: {row['lesson']} no longer says {missing}"


def test_every_lesson_covers_something():
    lessons = {p.stem for p in LESSONS.glob("[0-9][0-9]_*.py")}
    used = {r["lesson"] for r in ROWS if r["status"] == "covered"}
    assert lessons <= used, f"lessons covering no seed item: {sorted(lessons - used)}"
    assert used <= lessons
