"""Weighted survey estimates (csworkbench.weighting.design): peer values, ground truths, bad weights.

Peer values: ``tests/data/weighting/samplics_taylor.json`` holds samplics 0.6's ``TaylorEstimator``
(mean, total, proportion; weights only, strata, strata + PSU) on ``design_example.csv`` (54
respondents, 3 strata, 9 PSUs), computed once in a separate environment (samplics is archived and
not a dependency).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from csworkbench.errors import DataError, ParameterError
from csworkbench.problems import Problems
from csworkbench.weighting import case_weights, kish_n_eff, survey_mean, survey_proportion, survey_total

DATA = Path(__file__).parent / "data" / "weighting"
DESIGNS = {"weights_only": {}, "strata": {"strata": "stratum"}, "strata_psu": {"strata": "stratum", "cluster": "psu"}}


@pytest.fixture(scope="module")
def example() -> pd.DataFrame:
    return pd.read_csv(DATA / "design_example.csv")


@pytest.fixture(scope="module")
def peer() -> dict:
    return json.loads((DATA / "samplics_taylor.json").read_text())["cases"]


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_taylor_linearisation_matches_samplics(example, peer, design):
    kw = DESIGNS[design]
    m = survey_mean(example, ["sat"], weights="w", **kw).iloc[0]
    t = survey_total(example, ["sat"], weights="w", **kw).iloc[0]
    p = survey_proportion(example, "complained", weights="w", **kw).set_index("level").loc[1]
    for got, key in ((m, "Mean/sat"), (t, "Total/sat"), (p, "Proportion/complained")):
        want = peer[f"{design}/{key}"]
        assert got["estimate"] == pytest.approx(want["estimate"], rel=1e-12)
        assert got["se"] == pytest.approx(want["se"], rel=1e-10)


def test_design_degrees_of_freedom_and_kish(example):
    m = survey_mean(example, ["sat"], weights="w", strata="stratum", cluster="psu").iloc[0]
    assert m["df"] == 9 - 3  # PSUs − strata
    w = example["w"].to_numpy()
    assert m["n_eff"] == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
    q = stats.t.ppf(0.975, 6)
    assert m["ci_high"] - m["estimate"] == pytest.approx(q * m["se"], rel=1e-12)


def test_hand_computed_linearisation():
    # y = 2, 4, 9 with weights 1, 1, 2: mean = (2 + 4 + 18)/4 = 6; z_i = w_i (y_i − 6)/4 = −1, −0.5, 1.5
    df = pd.DataFrame({"y": [2.0, 4.0, 9.0], "w": [1.0, 1.0, 2.0]})
    m = survey_mean(df, ["y"], weights="w").iloc[0]
    z = np.array([-1.0, -0.5, 1.5])
    assert m["estimate"] == pytest.approx(6.0, abs=1e-12)
    assert m["se"] == pytest.approx(np.sqrt(3 / 2 * ((z - z.mean()) ** 2).sum()), rel=1e-12)
    assert m["n_eff"] == pytest.approx(16 / 6, rel=1e-12)


@pytest.mark.parametrize("weight_type", ["sampling", "frequency"])
def test_unit_weights_reproduce_the_unweighted_formulas(weight_type):
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"a": rng.normal(5, 2, 40), "b": rng.integers(1, 8, 40).astype(float), "one": 1.0})
    df.loc[[3, 7], "b"] = np.nan
    plain = survey_mean(df, ["a", "b"])
    ones = survey_mean(df, ["a", "b"], weights="one", weight_type=weight_type)
    cols = ["estimate", "se", "ci_low", "ci_high", "df", "n", "n_eff"]
    np.testing.assert_allclose(ones[cols].to_numpy(float), plain[cols].to_numpy(float), rtol=1e-12, atol=1e-12)
    b = df["b"].dropna()
    assert plain["se"].iloc[1] == pytest.approx(b.std(ddof=1) / np.sqrt(len(b)), rel=1e-12)
    assert plain["n"].tolist() == [40, 38]


def test_frequency_weights_equal_the_expanded_data():
    df = pd.DataFrame({"y": [3.0, 5.0, 6.0, 9.0], "f": [2, 1, 3, 1]})
    expanded = df.loc[df.index.repeat(df["f"])]
    got = survey_mean(df, ["y"], weights="f", weight_type="frequency").iloc[0]
    want = survey_mean(expanded, ["y"]).iloc[0]
    for col in ("estimate", "se", "ci_low", "ci_high", "df", "n_eff"):
        assert got[col] == pytest.approx(want[col], rel=1e-12)
    assert got["n"] == 4 and want["n"] == 7


def test_by_domains_and_kish_helper(example):
    out = survey_mean(example, ["sat"], weights="w", by=["stratum"])
    assert out["stratum"].tolist() == ["S1", "S2", "S3"]
    s1 = example[example["stratum"] == "S1"]
    assert out["estimate"].iloc[0] == pytest.approx(np.average(s1["sat"], weights=s1["w"]), rel=1e-12)
    assert kish_n_eff([2, 2, 2]) == 3.0
    assert np.isnan(kish_n_eff([0, -1]))


def test_unusable_weights_are_listed_and_left_out():
    df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0, 5.0], "w": [1.0, -2.0, np.nan, 0.0, "x"]})
    probs = Problems()
    w = case_weights(df, "w", problems=probs)
    assert np.isnan(w[1:]).all() and w[0] == 1.0
    frame = probs.frame()
    assert sorted(frame["code"]) == ["weight_missing", "weight_negative", "weight_not_number", "weight_zero"]
    assert sorted(frame["row"].tolist()) == [2, 3, 4, 5]
    with pytest.warns(Warning):
        m = survey_mean(df.assign(w=[1.0, -2.0, np.nan, 0.0, 2.0]), ["y"], weights="w").iloc[0]
    assert m["n"] == 2 and m["estimate"] == pytest.approx((1 + 10) / 3)


def test_bad_weight_arguments_are_clear_errors():
    df = pd.DataFrame({"y": [1.0, 2.0], "w": [0.0, -1.0]})
    with pytest.raises(DataError, match="no usable case weight"):
        survey_mean(df, ["y"], weights="w")
    with pytest.raises(DataError, match="'wt' is not in the data"):
        survey_mean(df, ["y"], weights="wt")
    with pytest.raises(DataError, match="row 2"):
        survey_mean(df.assign(w=[1.0, -1.0]), ["y"], weights="w", strict=True)
    with pytest.raises(ParameterError, match="weight_type"):
        survey_mean(df, ["y"], weights="w", weight_type="analytic")
    with pytest.raises(ParameterError, match="confidence"):
        survey_mean(df, ["y"], confidence=95)
