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


# ---------------------------------------------------------------------------------------- raking


@pytest.fixture(scope="module")
def rake_sample() -> tuple[pd.DataFrame, dict]:
    return pd.read_csv(DATA / "rake_sample.csv"), json.loads((DATA / "weightipy_rake.json").read_text())


def test_rake_matches_weightipy_and_meets_the_margins(rake_sample):
    # weightipy 0.4.2 (RIM, convcrit 1e-12) on 300 respondents, region × gender × age band
    from csworkbench.weighting import rake

    df, peer = rake_sample
    res = rake(df, peer["margins_percent"])
    np.testing.assert_allclose(res.weights.to_numpy(), peer["weights"], rtol=0, atol=1e-8)
    assert res.converged and res.margins["difference"].abs().max() < 1e-9
    assert 100 * res.diagnostics["n_eff"].iloc[-1] / len(df) == pytest.approx(
        peer["weighting_efficiency_percent"], rel=1e-8
    )
    assert res.weights.sum() == pytest.approx(len(df))
    prov = res.data.attrs["weights"]
    assert prov["column"] == "weight" and prov["variables"] == ["region", "gender", "age_band"] and prov["converged"]
    assert res.data["weight"].equals(res.weights)


def test_one_variable_raking_is_post_stratification_from_base_weights(rake_sample):
    from csworkbench.weighting import rake

    df, _ = rake_sample
    df = df.assign(base=np.where(df.gender == "female", 1.0, 3.0) * np.resize([1.0, 2.0], len(df)))
    res = rake(df, {"region": {"east": 3, "north": 3, "south": 2, "west": 2}}, base_weights="base", total=10_000)
    share = df.region.map({"east": 0.3, "north": 0.3, "south": 0.2, "west": 0.2})
    want = df.base * share * 10_000 / df.groupby("region").base.transform("sum")
    np.testing.assert_allclose(res.weights.to_numpy(), want.to_numpy(), rtol=1e-12)
    assert res.diagnostics["stage"].tolist() == ["base", "raked"]
    assert res.margins.query("variable == 'region'")["base"].sum() == pytest.approx(1.0)


def test_trimming_bounds_the_weights_and_keeps_the_margins(rake_sample):
    from csworkbench.weighting import rake, trim_weights

    df, peer = rake_sample
    res = rake(df, peer["margins_percent"], trim=(0.5, 2.0))
    w = res.weights.to_numpy()
    assert w.max() <= 2.0 * w.mean() * (1 + 1e-9) and w.min() >= 0.5 * w.mean() * (1 - 1e-9)
    assert res.converged and res.margins["difference"].abs().max() < 1e-9
    untrimmed = rake(df, peer["margins_percent"])
    assert res.diagnostics["ratio"].iloc[-1] <= 4 + 1e-9 < untrimmed.diagnostics["ratio"].iloc[-1]
    t = trim_weights([1.0, 1.0, 1.0, 9.0, np.nan], high=2.0)
    assert np.nansum(t) == pytest.approx(12.0) and np.isnan(t[-1])
    with pytest.raises(ParameterError, match="trim bounds"):
        trim_weights([1.0, 2.0], low=2.0, high=3.0)


def test_raking_within_strata_and_constant_base_weights_flagged(rake_sample):
    from csworkbench.weighting import rake

    df, _ = rake_sample
    df = df.assign(base=np.where(df.region == "east", 2.0, 1.0) + np.where(df.region == "west", 0, 0.0))
    with pytest.warns(Warning):
        res = rake(df, {"gender": {"female": 50, "male": 50}}, base_weights="base", by="region")
    for _, part in res.data.groupby("region"):
        assert np.average(part.gender == "female", weights=part.weight) == pytest.approx(0.5, abs=1e-9)
    flagged = res.problems[res.problems.code == "weight_constant_in_stratum"]
    assert len(flagged) == 4  # the base weight is constant within every region


def test_raking_bad_input_is_listed_or_an_error(rake_sample):
    from csworkbench.errors import ConvergenceError
    from csworkbench.weighting import rake

    df, peer = rake_sample
    bad = df.copy()
    bad.loc[0, "region"] = None
    bad.loc[1, "gender"] = "unknown"
    bad["base"] = 1.0
    bad.loc[2, "base"] = -1.0
    with pytest.warns(Warning):
        res = rake(bad, peer["margins_percent"], base_weights="base")
    assert res.weights.iloc[:3].isna().all() and res.weights.iloc[3:].notna().all()
    assert sorted(res.problems["code"]) == ["rake_level_not_in_margins", "rake_missing_level", "weight_negative"]
    with pytest.raises(DataError, match="has no respondents"):
        rake(df, {"region": {"east": 1, "north": 1, "south": 1, "west": 1, "centre": 1}})
    with pytest.raises(DataError, match="'city' is not in the data"):
        rake(df, {"city": {"a": 1}})
    with pytest.raises(ParameterError, match="margins"):
        rake(df, {"region": {"east": -1, "north": 2}})
    with pytest.raises(ConvergenceError):
        rake(
            df.assign(g2=df.gender),
            {"gender": {"female": 0.5, "male": 0.5}, "g2": {"female": 0.7, "male": 0.3}},
            max_iter=50,
        )


def test_validated_survey_carries_the_weights_and_their_provenance(rake_sample):
    from csworkbench.schema import validate_survey
    from csworkbench.weighting import rake

    df, peer = rake_sample
    raked = rake(df.assign(E1=5.0, P1=df["satisfaction"].clip(1, 7)), peer["margins_percent"]).data
    raked.attrs["source"] = "survey.csv"
    raked.loc[4, "weight"] = -1.0
    v = validate_survey(raked, id_column="respondent", items=["E1", "P1"], weights="weight")
    prov = v.data.attrs["weights"]
    assert prov["method"].startswith("raking") and prov["variables"] == ["region", "gender", "age_band"]
    assert prov["source"] == "survey.csv" and prov["n_usable"] == len(df) - 1
    assert np.isnan(v.data.loc[4, "weight"]) and len(v.data) == len(df)
    assert v.problems.set_index("code").loc["weight_negative", "row"] == 5
    plain = validate_survey(pd.DataFrame({"E1": [5, 6], "P1": [4, 7], "w": [1, 3]}), weights="w")
    assert plain.data.attrs["weights"]["method"] == "given in the data"
    assert plain.data.attrs["weights"]["n_eff"] == pytest.approx(16 / 10)
