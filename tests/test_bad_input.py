"""The bad-input corpus (tests/data/bad/, cases.yml): every case gives a csworkbench error that names
the file and, where it applies, the column and row; validators in non-strict mode list the same
problem and every row they drop."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import csworkbench.errors as errors
from csworkbench.io import read_table
from csworkbench.schema import PROBLEM_COLUMNS, validate_complaints, validate_survey, validate_transactions

BAD = Path(__file__).parent / "data" / "bad"
CASES = yaml.safe_load((BAD / "cases.yml").read_text(encoding="utf-8"))
TODAY = "2025-01-01"


def _run(case: dict, strict: bool):
    path = BAD / case["file"]
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
    assert len(CASES) >= 25
    missing = [c["file"] for c in CASES if not (BAD / c["file"]).exists() and c["file"] != "does_not_exist.csv"]
    assert not missing, f"cases.yml names files that are not in tests/data/bad: {missing}"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}-{c['reader']}" for c in CASES])
def test_bad_input_raises_named_error(case):
    cls = getattr(errors, case["error"])
    with pytest.raises(cls) as info:
        _run(case, strict=True)
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
def test_non_strict_lists_every_problem_and_every_dropped_row(case):
    try:
        clean, problems = _run(case, strict=False)
    except errors.DataError as exc:
        # structural problems (a required column missing, nothing left) raise in both modes
        assert case["fragment"] in str(exc) or exc.problems is not None
        if exc.problems is not None:
            assert list(exc.problems.columns) == PROBLEM_COLUMNS
            assert case["fragment"] in " ".join(exc.problems["problem"]) or case["fragment"] in str(exc)
        return
    assert list(problems.columns) == PROBLEM_COLUMNS
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
    raw = read_table(BAD / case["file"])
    dropped = problems.loc[problems["action"] == "dropped", "row"].dropna().astype(int).nunique()
    assert len(clean) == len(raw) - dropped, "rows were dropped without being listed"
