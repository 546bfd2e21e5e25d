"""The user's survey as it comes: header labels (期望/感知/重要性, E/P, EXPE, q1_E), ids kept, problems cited by id."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from csworkbench.errors import DataError, ParameterError
from csworkbench.gaps import (
    answer_columns,
    cite_respondents,
    instrument_mapping,
    servqual,
    survey_answers,
    wide_to_long,
)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["期望1", "感知1"], [("E", "q1"), ("P", "q1")]),
        (["期望_12", "感知-12"], [("E", "q12"), ("P", "q12")]),
        (["E1", "p1"], [("E", "q1"), ("P", "q1")]),
        (["EXPE3", "PERC3"], [("E", "q3"), ("P", "q3")]),
        (["q7_E", "q7_P"], [("E", "q7"), ("P", "q7")]),
        (["Ｅ１", "Ｐ１"], [("E", "q1"), ("P", "q1")]),  # full-width headers read as E1/P1
        (["重要性_可靠性", "IMP_empathy"], [("I", "可靠性"), ("I", "empathy")]),
        (["ID", "PERQ1", "性别", "Email"], []),  # no false matches on ids, other constructs or text columns
    ],
)
def test_answer_columns_read_the_usual_headers(headers, expected):
    assert [(k, i) for _, k, i in answer_columns(headers)] == expected


def test_own_kind_labels_and_bad_kinds():
    got = answer_columns(["预期1", "实感1"], kinds={"预期": "E", "实感": "P"})
    assert [(k, i) for _, k, i in got] == [("E", "q1"), ("P", "q1")]
    with pytest.raises(ParameterError, match="'E', 'P' or 'I'"):
        answer_columns(["a1"], kinds={"a": "X"})


def _wide(n=40, seed=3):
    rng = np.random.default_rng(seed)
    frame = {"问卷编号": [f"{i:05d}" for i in range(1, n + 1)], "门店": rng.choice(["北京", "上海"], n)}
    for i in range(1, 6):
        frame[f"期望{i}"] = rng.integers(5, 8, n).astype(str)
        frame[f"感知{i}"] = rng.integers(3, 8, n).astype(str)
    return pd.DataFrame(frame)


def test_wide_chinese_survey_gives_the_gaps_computed_directly():
    wide = _wide()
    long = survey_answers(wide)
    assert long["respondent"].iloc[0] == "00001" and "门店" in long.columns
    res = servqual(long, mapping=instrument_mapping({"可靠性": [1, 2, 3], "移情性": ["期望4", "q5"]}))
    e = wide[[f"期望{i}" for i in range(1, 4)]].astype(float).to_numpy()
    p = wide[[f"感知{i}" for i in range(1, 4)]].astype(float).to_numpy()
    direct = (p - e).mean(axis=1).mean()
    assert res.dimensions.set_index("dimension").loc["可靠性", "gap"] == pytest.approx(direct)


def test_a_mapping_that_fits_no_answer_is_an_error_naming_it():
    long = survey_answers(_wide())
    with pytest.raises(
        DataError, match=r"none of the answers' items \(q1, q2.*\) is in the instrument mapping \(a1, a2\)"
    ):
        servqual(long, mapping={"可靠性": ["a1", "a2"]})
    with pytest.raises(DataError, match="nothing to reshape"):
        survey_answers(pd.DataFrame({"编号": ["1"], "满意": [3]}))


def test_problems_are_cited_by_the_respondents_own_id_and_header():
    wide = _wide()
    wide.loc[6, "感知2"] = "12"  # off the 1–7 scale: respondent 00007, file row 7
    long = survey_answers(wide)
    with pytest.warns(Warning):
        res = servqual(long, mapping={"all": [f"q{i}" for i in range(1, 6)]})
    cited = cite_respondents(res.problems, long)
    off = cited[cited["code"] == "outside_scale"]
    assert off[["id", "row", "column"]].values.tolist() == [["00007", 7, "感知2"]]


def test_long_answers_pass_through_with_their_rows():
    long = pd.DataFrame({"受访者": ["007", "007"], "item": ["q1", "q1"], "kind": ["E", "P"], "score": [5, 6]})
    out = survey_answers(long)
    assert out["respondent"].tolist() == ["007", "007"] and out["source_row"].tolist() == [1, 2]
    with pytest.raises(DataError, match="respondent-id column"):
        survey_answers(long.rename(columns={"受访者": "who"}))


def test_wide_to_long_keeps_the_old_default_pattern():
    got = wide_to_long(pd.DataFrame({"E1": [6], "P_1": [5]}))
    assert got[["item", "kind", "score"]].values.tolist() == [["q1", "E", 6.0], ["q1", "P", 5.0]]


def test_instrument_mapping_checks_its_shape():
    assert instrument_mapping({}) is None
    with pytest.raises(ParameterError, match="must list its items"):
        instrument_mapping({"可靠性": 3})
