"""Segment sections of the survey reports (issue 20.3): gaps.segment_gaps and drivers.segment_index agree
with a direct computation per segment and find a planted difference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from csworkbench.datasets.servqual import make_servqual_survey
from csworkbench.drivers import index_scores, segment_index
from csworkbench.gaps import segment_gaps, servqual, survey_answers


@pytest.fixture(scope="module")
def answers():
    raw = make_servqual_survey(200, random_state=1, segments=["north", "south"])
    return survey_answers(raw, respondent="", kinds=None)


def test_segment_gaps_equal_servqual_per_segment(answers):
    rep = segment_gaps(answers, servqual(answers).items, segment="segment", scale=(1, 7), lang="en")
    for seg in ("north", "south"):
        direct = servqual(answers[answers["segment"] == seg]).dimensions
        mine = rep.comparison.table[rep.comparison.table["segment"] == seg]
        np.testing.assert_allclose(mine["estimate"], direct["gap"], atol=1e-12)
        np.testing.assert_allclose(mine["ci_low"], direct["ci_low"], atol=1e-9)
    # two segments: south against north, one test per dimension (not two mirrored ones)
    assert rep.comparison.table["p_value"].notna().sum() == 5
    assert set(rep.table["reference"].dropna()) == {"north"}


@pytest.mark.filterwarnings("ignore::csworkbench.errors.DataWarning")  # the small segment, listed in notes
def test_segment_gaps_find_a_planted_difference_and_name_small_segments(answers):
    a = answers.copy()
    rel = a["item"].isin(["q5", "q6", "q7", "q8", "q9"]) & (a["kind"] == "P") & (a["segment"] == "south")
    a.loc[rel, "score"] = (a.loc[rel, "score"] - 1).clip(lower=1)
    tiny = a["respondent"].isin(a["respondent"].unique()[:5])
    a.loc[tiny, "segment"] = "east"  # 5 respondents: listed, not compared
    rep = segment_gaps(a, servqual(a).items, segment="segment", scale=(1, 7), lang="en")
    assert rep.findings[0].startswith("south has a gap on Reliability")
    sig = rep.table[rep.table["significant"]]
    assert list(sig["dimension"]) == ["Reliability"]
    row = rep.comparison.table.query("segment == 'south' and item == 'reliability'").iloc[0]
    assert row["diff_ci_low"] < -0.95 < row["diff_ci_high"]  # planted −1 (a little less where clipped at 1)
    assert any("east (5)" in n for n in rep.notes)
    assert "east" not in set(rep.table["segment"])


def test_segment_gaps_none_significant_says_so(answers):
    rep = segment_gaps(answers, servqual(answers).items, segment="segment", scale=(1, 7), lang="zh")
    assert rep.findings == ["按“细分群体”分组，各维度差距在细分之间没有显著差异（Holm 校正后 p ≥ 0.05）。"]


def test_segment_index_weighted_equals_direct_weighted_mean():
    rng = np.random.default_rng(4)
    n = 180
    f = pd.DataFrame(
        {
            "sat": rng.integers(1, 11, n).astype(float),
            "region": np.repeat(["a", "b", "c"], n // 3),
            "w": rng.uniform(0.5, 2.0, n),
        }
    )
    rep = segment_index(f, score="sat", segment="region", target="SAT", weights="w", scale=(1, 10), lang="en")
    y = index_scores(f["sat"], (1, 10))
    for seg in "abc":
        m = f["region"] == seg
        direct = float(np.average(y[m], weights=f.loc[m, "w"]))
        assert rep.table.loc[rep.table["segment"] == seg, "estimate"].item() == pytest.approx(direct, abs=1e-10)
    assert set(rep.table["reference"]) == {"the rest"}  # three segments: each against the rest
