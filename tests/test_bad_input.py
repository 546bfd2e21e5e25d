"""The bad-input corpus (tests/data/bad/, cases.yml): every case gives a csworkbench error that names
the file and, where it applies, the column and row; validators in non-strict mode list the same
problem and every row they drop.

Cases marked ``generated:`` in cases.yml are too big to commit (one million rows); they are
written once per session into a temporary folder by the generator named there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import csworkbench.errors as errors
from csworkbench.io import read_table
from csworkbench.schema import PROBLEM_COLUMNS, validate_complaints, validate_survey, validate_transactions

BAD = Path(__file__).parent / "data" / "bad"
CASES = yaml.safe_load((BAD / "cases.yml").read_text(encoding="utf-8"))
TODAY = "2025-01-01"
FAMILIES = {"read": {"read", "sql"}, "survey": {"survey", "long_survey"}, "transactions": {"transactions"},
            "complaints": {"complaints"}}
MILLION = 1_000_000
BAD_ROW = 500_001


def million_transactions(path: Path) -> None:
    """One million valid transactions with one impossible date (2021-02-30) in data row 500,001."""
    days = [str(d.date()) for d in pd.date_range("2020-01-01", periods=1000)]
    block = [f"#{j:03d},{days[j * 7 % 1000]},{j % 97 / 4 + 1:.2f}\n" for j in range(1000)]  # '#': the block number
    bad = block.copy()
    bad[(BAD_ROW - 1) % 1000] = f"#{(BAD_ROW - 1) % 1000:03d},2021-02-30,12.50\n"
    block, bad = "".join(block), "".join(bad)
    blocks = [(bad if k == (BAD_ROW - 1) // 1000 else block).replace("#", f"{k:04d}") for k in range(MILLION // 1000)]
    path.write_text("customer_id,date,amount\n" + "".join(blocks), encoding="utf-8")


GENERATORS = {"million_transactions": million_transactions}


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """Folder with the generated cases, written on first use."""
    folder = tmp_path_factory.mktemp("bad_generated")

    def path(case: dict) -> Path:
        target = folder / case["file"]
        if not target.exists():
            GENERATORS[case["generated"]](target)
        return target

    return path


def _path(case: dict, generated) -> Path:
    return generated(case) if case.get("generated") else BAD / case["file"]


def _read_as(case: dict, path: Path) -> pd.DataFrame:
    return read_table(path, dtype={"customer_id": "str"}) if case["reader"] == "transactions" else read_table(path)


def _run(case: dict, strict: bool, path: Path):
    options = dict(case.get("options") or {})
    reader = case["reader"]
    if reader == "read":
        return read_table(path, **options)
    if reader == "sql":
        return read_table(f"sqlite:///{path}", **options)
    if reader == "survey":
        if "scale" in options:
            options["scale"] = tuple(options["scale"])
        return validate_survey(read_table(path), strict=strict, **options)
    if reader == "long_survey":
        return validate_survey(read_table(path), layout="long", strict=strict, **options)
    if reader == "transactions":
        return validate_transactions(read_table(path, dtype={"customer_id": "str"}), strict=strict, today=TODAY, **options)
    if reader == "complaints":
        return validate_complaints(read_table(path), strict=strict, today=TODAY, **options)
    raise ValueError(reader)


def test_corpus_is_large_enough():
    assert len(CASES) >= 60
    by_family = {family: sum(c["reader"] in readers for c in CASES) for family, readers in FAMILIES.items()}
    assert sum(by_family.values()) == len(CASES)
    assert min(by_family.values()) >= 12, by_family
    missing = [c["file"] for c in CASES
               if not c.get("generated") and not (BAD / c["file"]).exists() and c["file"] != "does_not_exist.csv"]
    assert not missing, f"cases.yml names files that are not in tests/data/bad: {missing}"
    assert all(c["generated"] in GENERATORS for c in CASES if c.get("generated"))
    listed = {c["file"] for c in CASES} | {"cases.yml", "make_corpus.py"}
    unused = sorted(f.name for f in BAD.iterdir() if f.name not in listed)
    assert not unused, f"files in tests/data/bad without a case: {unused}"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}-{c['reader']}" for c in CASES])
def test_bad_input_raises_named_error(case, generated):
    cls = getattr(errors, case["error"])
    with pytest.raises(cls) as info:
        _run(case, strict=True, path=_path(case, generated))
    message = str(info.value)
    assert isinstance(info.value, errors.CSWError)
    assert case["fragment"] in message, message
    if case["reader"] != "sql" or "query" in case["fragment"]:
        assert Path(case["file"]).name in message, f"the message does not name the file: {message}"
    if case.get("column"):
        assert f"column {case['column']!r}" in message, message
        assert info.value.column == case["column"]
    if case.get("row"):
        assert f"row {case['row']}" in message, message
        assert info.value.row == case["row"]


VALIDATOR_CASES = [c for c in CASES if c["reader"] in {"survey", "long_survey", "transactions", "complaints"}]


@pytest.mark.parametrize("case", VALIDATOR_CASES, ids=[c["file"] for c in VALIDATOR_CASES])
def test_non_strict_lists_every_problem_and_every_dropped_row(case, generated):
    path = _path(case, generated)
    try:
        clean, problems = _run(case, strict=False, path=path)
    except errors.DataError as exc:
        # structural problems (a required column missing, nothing left) raise in both modes
        assert case["fragment"] in str(exc) or exc.problems is not None
        if exc.problems is not None and case["fragment"] not in str(exc):
            assert list(exc.problems.columns) == PROBLEM_COLUMNS
            _assert_listed(case, exc.problems)
        return
    assert list(problems.columns) == PROBLEM_COLUMNS
    _assert_listed(case, problems)
    rows = MILLION if case.get("generated") else len(_read_as(case, path))
    dropped = problems.loc[problems["action"] == "dropped", "row"].dropna().astype(int).nunique()
    assert len(clean) == rows - dropped, "rows were dropped without being listed"


def _assert_listed(case: dict, problems: pd.DataFrame) -> None:
    """The case's problem is in the table, with its value, column and row."""
    expected_problem, _, got = case["fragment"].partition("got ")
    expected_problem = expected_problem.rstrip("; ")
    hit = problems[problems["problem"].str.contains(expected_problem, regex=False)]
    if got:
        hit = hit[hit["value"] == got.strip("'")]
    assert len(hit), f"problem not listed: {case['fragment']}\n{problems}"
    if case.get("column"):
        assert case["column"] in set(hit["column"])
    if case.get("row"):
        assert case["row"] in set(hit["row"].dropna().astype(int))
