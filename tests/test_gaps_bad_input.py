"""Bad input to the gap models: each problem is named (item, rows), reported, or raised with strict."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from csworkbench.datasets.servqual import make_kano_survey, make_servqual_survey
from csworkbench.errors import DataError, DataWarning, ParameterError
from csworkbench.gaps import cem_table, gap_scores, ipa, kano_classify, servqual


@pytest.fixture(scope="module")
def survey():
    return make_servqual_survey(30, random_state=21)


def test_missing_column_names_it(survey):
    with pytest.raises(DataError, match=r"column 'score'.*needs column 'score'"):
        servqual(survey.drop(columns="score"))


def test_unpaired_item_is_named_with_rows(survey):
    df = survey[~((survey["item"] == "q3") & (survey["kind"] == "P"))].reset_index(drop=True)
    with pytest.warns(DataWarning, match=r"unpaired item 'q3'.*no perception \(P\).*rows \d+"):
        res = servqual(df)
    prob = res.problems[res.problems["problem"].str.contains("unpaired item 'q3'")]
    assert len(prob) == 30  # one row per E answer of q3, by its row in the frame passed in
    assert set(df.loc[prob["row"].to_numpy() - 1, "item"]) == {"q3"}
    q3 = res.items.set_index("item").loc["q3"]
    assert q3["n"] == 0 and np.isnan(q3["gap"])  # kept in the table, not silently dropped or zeroed
    with pytest.raises(DataError, match="unpaired item 'q3'"):
        servqual(df, strict=True)


def test_one_item_dimension_alpha_is_stated_not_silent(survey):
    mapping = {"tangibles": ["q1", "q2", "q3", "q4"], "reliability": ["q5"]}
    df = survey[survey["item"].isin(mapping["tangibles"] + ["q5"])]
    with pytest.warns(DataWarning, match=r"dimension 'reliability' has fewer than 2 usable items.*alpha is undefined"):
        res = servqual(df, mapping=mapping)
    rel = res.reliability.set_index(["dimension", "kind"])
    assert np.isnan(rel.loc[("reliability", "P"), "alpha"])
    assert "alpha undefined" in rel.loc[("reliability", "P"), "note"]
    assert rel.loc[("tangibles", "P"), "note"] == "" and rel.loc[("tangibles", "P"), "alpha"] > 0
    with pytest.raises(DataError, match="reliability"):
        servqual(df, mapping=mapping, strict=True)


def test_answers_outside_the_scale_are_reported_by_row(survey):
    df = survey.copy()
    target = df.index[(df["item"] == "q7") & (df["kind"] == "P")][4]
    df.loc[target, "score"] = 9.0
    with pytest.warns(DataWarning, match=rf"outside the scale.*row[s]? {target + 1}"):
        res = servqual(df)
    bad = res.problems[res.problems["problem"].str.contains("outside the scale")]
    assert bad["row"].tolist() == [target + 1] and bad["value"].tolist()[0] in ("9", "9.0")
    q7 = res.items.set_index("item").loc["q7"]
    assert q7["n"] == 29 and q7["n_missing"] == 1  # the bad answer became missing, counted
    with pytest.raises(DataError, match=rf"row {target + 1}.*outside the scale"):
        servqual(df, strict=True)


def test_attribute_with_all_answers_missing_is_kept_and_named(survey):
    df = survey.copy()
    df.loc[df["item"] == "q12", "score"] = np.nan
    with pytest.warns(DataWarning, match=r"item 'q12': every answer is missing"):
        res = servqual(df)
    q12 = res.items.set_index("item").loc["q12"]
    assert q12["n"] == 0 and q12["n_missing"] == 30 and np.isnan(q12["gap"]) and np.isnan(q12["ci_low"])
    # responsiveness still has three items and a gap
    assert res.dimensions.set_index("dimension").loc["responsiveness", "n"] == 30
    with pytest.raises(DataError, match="q12"):
        servqual(df, strict=True)
    # the triangle rule says the same
    pe = df[df["kind"] != "I"]
    with pytest.warns(DataWarning, match="q12"):
        s = gap_scores(pe).attributes.set_index("attribute")
    assert s.loc["q12", "n"] == 0 and np.isnan(s.loc["q12", "gap"])


def test_importance_not_summing_to_100_is_rescaled_and_reported(survey):
    df = survey.copy()
    rows = df.index[(df["kind"] == "I") & (df["respondent"] == 4)]
    df.loc[rows, "score"] = [10, 10, 10, 10, 10]  # sums to 50
    with pytest.warns(DataWarning, match=r"should sum to 100.*sum to 50.*rows"):
        res = servqual(df)
    prob = res.problems[res.problems["problem"].str.contains("sum to 100")]
    assert sorted(prob["row"].tolist()) == sorted((rows + 1).tolist())
    assert prob["action"].unique().tolist() == ["rescaled to 100"]
    w = res.importance[res.importance["respondent"] == 4]["points"]
    assert w.tolist() == pytest.approx([20.0] * 5)
    with pytest.raises(DataError, match=r"should sum to 100"):
        servqual(df, strict=True)


def test_negative_or_incomplete_importance_leaves_respondent_out_of_weighted(survey):
    df = survey.copy()
    first = df.index[(df["kind"] == "I") & (df["respondent"] == 2)][0]
    df.loc[first, "score"] = -5
    drop = df.index[(df["kind"] == "I") & (df["respondent"] == 3)][0]
    df = df.drop(index=drop).reset_index(drop=True)
    with pytest.warns(DataWarning):
        res = servqual(df)
    assert res.problems["problem"].str.contains("must not be negative").any()
    assert res.problems["problem"].str.contains("missing for some").any()
    w = res.overall.set_index("score").loc["weighted"]
    assert w["n"] == 28 and w["n_missing"] == 2


def test_unknown_kind_and_duplicates(survey):
    df = survey.copy()
    df["kind"] = df["kind"].astype(str)
    df.loc[5, "kind"] = "X"
    dup = df.iloc[[0]]
    df = pd.concat([df, dup], ignore_index=True)
    with pytest.warns(DataWarning) as rec:
        res = servqual(df)
    text = " ".join(str(w.message) for w in rec)
    assert "kind must be" in text and "row 6" in text
    assert res.problems["problem"].str.contains("twice").any()
    assert res.problems.loc[res.problems["problem"].str.contains("twice"), "row"].tolist() == [len(df)]


def test_items_outside_the_mapping_are_reported(survey):
    df = survey.copy()
    df["item"] = df["item"].astype(str).replace({"q22": "q99"})
    with pytest.warns(DataWarning, match=r"not in the instrument mapping"):
        res = servqual(df)
    assert res.items.set_index("item").loc["q22", "n"] == 0


def test_bad_kano_codes_name_feature_and_rows():
    df = make_kano_survey(10, {"wifi": "A", "safety": "M"}, random_state=0)
    df["functional"] = df["functional"].astype(object)
    df.loc[12, "functional"] = 7
    df.loc[13, "functional"] = "maybe"
    with pytest.warns(DataWarning, match=r"unknown Kano answer code for feature\(s\) \['safety'\].*rows 13, 14"):
        res = kano_classify(df)
    s = res.features.set_index("feature")
    assert s.loc["safety", "n"] == 8 and s.loc["safety", "n_invalid"] == 2 and s.loc["wifi", "n_invalid"] == 0
    with pytest.raises(DataError, match=r"column 'functional', row 13"):
        kano_classify(df, strict=True)


def test_non_numeric_cells_in_cem_and_ipa_are_named():
    with pytest.raises(DataError, match=r"column 'importance', row 2"):
        cem_table(pd.DataFrame({"attribute": ["a", "b"], "perception": [5, 6], "importance": [3, "high"]}))
    perf = pd.DataFrame({"attribute": ["a", "b"], "performance": [5, 6]})
    with pytest.raises(DataError, match=r"importance.*row 1"):
        ipa(perf, pd.DataFrame({"attribute": ["a", "b"], "importance": ["x", 2]}))
    with pytest.raises(ParameterError, match="crosshair"):
        ipa(perf, pd.DataFrame({"attribute": ["a", "b"], "importance": [1, 2]}), crosshair="mode")


def test_messages_say_expected_and_found(survey):
    df = survey.copy()
    df.loc[0, "score"] = 0
    with pytest.raises(DataError) as err:
        servqual(df, strict=True)
    msg = str(err.value)
    assert re.search(r"1–7", msg) and "'0" in msg and "row 1" in msg


def test_blank_respondent_or_item_is_reported_and_dropped(survey):
    df = survey.copy()
    df["item"] = df["item"].astype(object)
    df["respondent"] = df["respondent"].astype(object)
    df.loc[3, "item"] = None
    df.loc[7, "respondent"] = None
    with pytest.warns(DataWarning, match=r"missing item label or respondent id"):
        res = servqual(df)
    bad = res.problems[res.problems["problem"].str.contains("missing item label")]
    assert bad["row"].tolist() == [4, 8]
    assert res.items.set_index("item").loc["q4", "n"] == 29 and res.items.set_index("item").loc["q8", "n"] == 29


def test_select_answers_filters_and_names_what_is_there(survey):
    from csworkbench.gaps import select_answers

    df = make_servqual_survey(40, random_state=1, segments=["north", "south"], periods=["2026-09", "2026-10"])
    got = select_answers(df, segment_column="segment", segment_value="north", period="2026-10")
    assert set(got["segment"]) == {"north"} and set(got["period"]) == {"2026-10"}
    assert len(select_answers(df, period="2026")) == len(df)
    with pytest.raises(DataError, match=r"period '2025' holds no rows; the data run from 2026-09-01 to 2026-10-01"):
        select_answers(df, period="2025")
    with pytest.raises(DataError, match=r"segment = 'east'.*north"):
        select_answers(df, segment_column="segment", segment_value="east")
    with pytest.warns(DataWarning, match="no 'date' \\(interview date\\) column"):
        assert len(select_answers(survey, period="2026-10")) == len(survey)
    # interview dates: one meaning of period (periods.filter_period); a date that cannot be read is named
    dated = df.assign(date=df["period"] + "-15")
    assert len(select_answers(dated, period="2026-Q4")) == (df["period"] == "2026-10").sum()
    dated.loc[5, "date"] = "次日"
    with pytest.raises(DataError, match=r"column 'date', row 6: not a date .*'次日'"):
        select_answers(dated, period="2026-10")


def test_wide_input_with_text_in_a_score_column_is_named():
    from csworkbench.gaps import wide_to_long

    wide = pd.DataFrame({"id": [1, 2, 3], "E1": [6, 7, 5], "P1": [5, "n/a", 4]})
    with pytest.raises(DataError, match=r"column 'P1', row 2: not a number.*'n/a'"):
        wide_to_long(wide, respondent="id")
    with pytest.raises(DataError, match="nothing to reshape"):
        wide_to_long(pd.DataFrame({"id": [1], "speed": [3]}), respondent="id")


def test_kind_codes_are_case_and_space_insensitive():
    df = pd.DataFrame(
        {"respondent": [1, 1, 2, 2], "item": ["a"] * 4, "kind": [" e", "p ", "E", "P"], "score": [5, 6, 7, 4]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = gap_scores(df).attributes
    assert s.loc[0, "n"] == 2 and s.loc[0, "gap"] == pytest.approx(-1.0)


def test_strict_error_names_the_row_of_the_frame_given_even_with_importance_rows_first(survey):
    df = pd.concat([survey[survey["kind"] == "I"], survey[survey["kind"] != "I"]], ignore_index=True)
    target = df.index[(df["item"] == "q2") & (df["kind"] == "E")][3]
    df.loc[target, "score"] = 0.0
    with pytest.raises(DataError, match=rf"row {target + 1}\b.*outside the scale"):
        servqual(df, strict=True)
    with pytest.warns(DataWarning):
        res = servqual(df)
    assert res.problems["row"].tolist() == [target + 1]
