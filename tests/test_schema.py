"""schema validators: clean frames, problem tables, missing stays missing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from csworkbench.datasets import load_cdnow
from csworkbench.errors import DataError, ParameterError
from csworkbench.schema import (
    PROBLEM_COLUMNS,
    survey_to_long,
    validate_complaints,
    validate_survey,
    validate_transactions,
)


def test_survey_blank_is_nan_never_zero_and_problems_are_listed():
    raw = pd.DataFrame({"id": [1, 2, 3, 4], "E1": ["7", "", "６", "3,5"], "P1": [5, 0, 7, None]})
    clean, problems = validate_survey(raw, id_column="id", scale=(1, 7))
    assert clean["E1"].tolist()[0] == 7.0 and np.isnan(clean["E1"].iloc[1])
    assert clean["E1"].iloc[2] == 6.0  # full-width digit typed on a Chinese keyboard
    assert clean["E1"].iloc[3] == 3.5  # decimal comma
    assert np.isnan(clean["P1"].iloc[1])  # 0 is off a 1–7 scale: kept as NaN and listed
    assert problems.to_dict("records") == [
        {
            "row": 2,
            "column": "P1",
            "value": "0",
            "problem": "outside the scale: must hold numbers 1–7",
            "action": "kept as NaN",
            "code": "outside_scale",
            "params": '{"part": {"__part__": "scale", "range": "1–7"}}',
        }
    ]
    assert (clean[["E1", "P1"]] == 0).sum().sum() == 0


def test_survey_duplicate_rows_dropped_and_listed():
    raw = pd.DataFrame({"id": [1, 2, 2], "E1": [5, 6, 6], "P1": [5, 6, 6]})
    clean, problems = validate_survey(raw, id_column="id")
    assert len(clean) == 2
    assert problems[["row", "action"]].values.tolist() == [[3, "dropped"]]


def test_survey_long_layout_and_round_trip():
    wide = pd.DataFrame({"id": [10, 11], "E1": [5, 6], "P1": [6, np.nan], "E2": [4, 4], "P2": [4, 7]})
    long = survey_to_long(wide, id_column="id")
    assert len(long) == 8 and long["score"].isna().sum() == 1
    clean, problems = validate_survey(long, layout="long")
    assert problems.empty and len(clean) == 8


def test_strict_raises_on_first_problem_with_location():
    raw = pd.DataFrame({"E1": [5, 6, 9], "P1": [5, "x", 6]})
    with pytest.raises(DataError) as info:
        validate_survey(raw, strict=True, path="survey.csv")
    assert str(info.value) == "survey.csv: column 'E1', row 3: outside the scale: must hold numbers 1–7; got '9'"


def test_transactions_dates_in_all_forms_excel_users_have():
    raw = pd.DataFrame({"cid": [1, 2, 3], "when": [19970101, 19970102, 19970103], "amt": ["1.5", "2", "-3"]})
    clean, problems = validate_transactions(raw, customer_id="cid", date="when", amount="amt", today="2000-01-01")
    assert clean["date"].dt.strftime("%Y-%m-%d").tolist() == ["1997-01-01", "1997-01-02", "1997-01-03"]
    assert clean["customer_id"].tolist() == ["1", "2", "3"]
    assert clean["is_return"].tolist() == [False, False, True]
    assert problems["problem"].tolist() == ["negative amount: treated as a return"]
    serial = pd.DataFrame({"customer_id": ["a"], "date": [45000], "amount": [1.0]})
    clean, problems = validate_transactions(serial, today="2030-01-01")
    assert clean["date"].iloc[0] == pd.Timestamp("2023-03-15")
    assert "Excel serial" in problems["problem"].iloc[0]


def test_transactions_missing_amount_stays_nan_and_is_listed():
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2024-01-01", "2024-01-02"], "amount": [5.0, None]})
    clean, problems = validate_transactions(raw, today="2025-01-01")
    assert np.isnan(clean["amount"].iloc[1]) and len(clean) == 2
    assert problems[["row", "problem", "action"]].values.tolist() == [[2, "missing amount", "kept as NaN"]]


def test_cdnow_validates_as_documented():
    tx = load_cdnow()
    assert len(tx) == 6919 and tx["customer_id"].nunique() == 2357
    assert tx["date"].min() == pd.Timestamp("1997-01-01") and tx["date"].max() == pd.Timestamp("1998-06-30")
    assert round(tx["amount"].sum(), 2) == 244091.94
    assert tx["customer_id"].str.len().eq(5).all()  # zero-padded ids survive
    assert (tx["amount"] == 0).sum() == 8  # zero amounts are real, documented in SOURCES.md


def test_complaints_column_map_and_chinese_headers():
    raw = pd.DataFrame(
        {
            "Ticket": ["T1", "T2"],
            "Opened": ["2024-03-01", "2024-03-05"],
            "Text": ["rude staff", "late"],
            "责任部门": ["门店", "物流"],
            "解决日期": ["2024-03-02", "2024-03-01"],
            "处理后满意度": [4, 6],
        }
    )
    clean, problems = validate_complaints(
        raw, column_map={"Ticket": "complaint_id", "Opened": "date", "Text": "story"}, today="2025-01-01"
    )
    assert {"complaint_id", "date", "story", "department", "resolved_at", "satisfaction_after"} <= set(clean.columns)
    assert problems["problem"].tolist() == [
        "resolved before it was received (the file's column '解决日期')",
        "outside the scale: must hold numbers 1–5 (the file's column '处理后满意度')",
    ]
    assert problems["column"].tolist() == [
        "resolved_at",
        "satisfaction_after",
    ]  # canonical names, file header in the text
    assert np.isnan(clean["satisfaction_after"].iloc[1])
    with pytest.raises(DataError, match="'Nope', which is not in the data"):
        validate_complaints(raw, column_map={"Nope": "story"})
    with pytest.raises(ParameterError, match="not a complaint field"):
        validate_complaints(raw, column_map={"Ticket": "ticket"})


def test_problem_table_columns_are_stable_when_empty():
    _, problems = validate_survey(pd.DataFrame({"E1": [1], "P1": [2]}))
    assert list(problems.columns) == PROBLEM_COLUMNS and problems.empty
