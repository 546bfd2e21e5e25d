"""Gap models: the course's CEM table cell for cell, the triangle rule, SERVQUAL against known truth."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from csworkbench.datasets.servqual import (
    DEFAULT_IMPORTANCE,
    SERVQUAL_DIMENSIONS,
    load_cem_example,
    make_servqual_survey,
)
from csworkbench.gaps import cem_steps, cem_table, cronbach_alpha, gap_scores, servqual, wide_to_long

NAN = np.nan


# --------------------------------------------------------------------------- CEM (COURSE.md §1)


def test_cem_example_reproduces_course_table_cell_for_cell():
    got = cem_table(load_cem_example())
    expected = pd.DataFrame(
        {
            "attribute": ["convenience", "product", "price", "brand_image", "service", "relationship"],
            "perception": [5, 6, 7, 7, 6, 4],
            "expectation": [7, 7, 7, 7, NAN, NAN],
            "gap": [-2, -1, 0, 0, NAN, NAN],
            "importance": [9, NAN, NAN, NAN, NAN, NAN],
            "weighted_gap": [-18, NAN, NAN, NAN, NAN, NAN],
            "ideal": [10, 6, 7, 7, 6, 4],
            "ideal_gap": [-5, 0, 0, 0, 0, 0],
        }
    ).astype(
        {c: float for c in ["perception", "expectation", "gap", "importance", "weighted_gap", "ideal", "ideal_gap"]}
    )
    assert list(got.columns) == [
        "attribute",
        "perception",
        "expectation",
        "gap",
        "importance",
        "weighted_gap",
        "ideal",
        "ideal_gap",
    ]
    pd.testing.assert_frame_equal(got.astype({"attribute": object}), expected.astype({"attribute": object}))
    # blanks are blank, not zero: exactly the cells the course leaves empty
    assert got.isna().sum().to_dict() == {
        "attribute": 0,
        "perception": 0,
        "expectation": 2,
        "gap": 2,
        "importance": 5,
        "weighted_gap": 5,
        "ideal": 0,
        "ideal_gap": 0,
    }


def test_cem_sorts_key_experiences_first_and_keeps_input_order_otherwise():
    frame = pd.DataFrame(
        {
            "attribute": ["a", "b", "c", "d"],
            "perception": [6, 4, 7, 5],
            "expectation": [7, 7, 6, 7],
            "importance": [2, 8, 5, np.nan],
            "ideal": [8, 8, 8, 8],
        }
    )
    got = cem_table(frame)
    assert got["attribute"].tolist() == ["b", "a", "c", "d"]  # −24, −2, +5, then the one without importance
    assert got["weighted_gap"].tolist()[:3] == [-24.0, -2.0, 5.0]


def test_cem_missing_columns_are_missing_not_zero():
    got = cem_table(pd.DataFrame({"attribute": ["x"], "perception": [5]}))
    assert got[["expectation", "gap", "importance", "weighted_gap", "ideal", "ideal_gap"]].isna().all(axis=None)


def test_cem_steps_narrate_the_course_example_in_both_languages():
    table = cem_table(load_cem_example())
    en = cem_steps(table, lang="en")
    zh = cem_steps(table, lang="zh")
    assert en["step"].tolist() == list(range(1, 8)) and len(zh) == 7
    assert "Convenience" in en.loc[2, "finding"] and "-18" in en.loc[2, "finding"]
    assert "便利性" in zh.loc[2, "finding"] and "-18" in zh.loc[2, "finding"]
    assert "5 − 10 = -5" in en.loc[3, "finding"]
    assert "4 have an expectation" in en.loc[1, "finding"] and "1 an importance" in en.loc[1, "finding"]
    assert zh.loc[0, "name_zh"] == "了解品牌价值" and en.loc[0, "name_en"] == "Know your brand value"
    assert list(en.columns) == ["step", "name_zh", "name_en", "finding"]


# --------------------------------------------------------------------------- triangle rule


def _small_answers():
    # respondent 4 has no perception for "wait"; respondent 5 answered nothing for "wait"
    return pd.DataFrame(
        {
            "respondent": [1, 1, 2, 2, 3, 3, 4, 1, 1, 2, 2, 5, 5],
            "item": ["wait"] * 7 + ["staff"] * 6,
            "kind": ["E", "P", "E", "P", "E", "P", "E", "E", "P", "E", "P", "E", "P"],
            "score": [7, 5, 6, 6, 5, 7, 6, 4, 6, 5, 5, 3, 4],
        }
    )


def test_gap_scores_by_hand_and_against_scipy():
    res = gap_scores(_small_answers())
    s = res.attributes.set_index("attribute")
    wait = s.loc["wait"]
    assert (wait["n_respondents"], wait["n"], wait["n_missing"]) == (5, 3, 2)
    d = np.array([5 - 7, 6 - 6, 7 - 5], dtype=float)
    assert wait["gap"] == pytest.approx(d.mean())
    assert wait["perception"] == pytest.approx(6.0) and wait["expectation"] == pytest.approx(6.0)
    lo, hi = stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
    assert (wait["ci_low"], wait["ci_high"]) == pytest.approx((lo, hi))
    assert wait["p_value"] == pytest.approx(stats.ttest_rel([5, 6, 7], [7, 6, 5]).pvalue)
    assert (wait["share_delighted"], wait["share_met"], wait["share_dissatisfied"]) == pytest.approx(
        (1 / 3, 1 / 3, 1 / 3)
    )
    staff = s.loc["staff"]
    assert staff["n"] == 3 and staff["gap"] == pytest.approx((2 + 0 + 1) / 3)
    # per respondent: the missing pair stays missing
    sc = res.scores.set_index(["respondent", "attribute"])
    assert sc.loc[(4, "wait"), "outcome"] == "missing" and np.isnan(sc.loc[(4, "wait"), "gap"])
    assert sc.loc[(4, "wait"), "expectation"] == 6
    assert sc.loc[(1, "wait"), "outcome"] == "dissatisfied" and sc.loc[(1, "staff"), "outcome"] == "delighted"
    assert len(res.problems) == 0


def test_gap_scores_groups_equal_separate_runs():
    df = make_servqual_survey(120, random_state=5, segments=["north", "south"])
    pe = df[df["kind"] != "I"]
    both = gap_scores(pe, groups=["segment"]).attributes
    north = gap_scores(pe[pe["segment"] == "north"]).attributes
    got = both[both["segment"] == "north"].drop(columns="segment").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, north.reset_index(drop=True), check_dtype=False)


# --------------------------------------------------------------------------- SERVQUAL


def test_generator_is_seeded_and_documents_its_truth():
    a = make_servqual_survey(80, random_state=11)
    b = make_servqual_survey(80, random_state=11)
    pd.testing.assert_frame_equal(a, b)
    truth = a.attrs["truth"]
    assert truth["mapping"] == SERVQUAL_DIMENSIONS
    assert truth["dimension_gaps"]["reliability"] == -1.0
    assert truth["weighted_gap"] == pytest.approx(
        sum(DEFAULT_IMPORTANCE[d] * g for d, g in truth["dimension_gaps"].items())
    )
    imp = a[a["kind"] == "I"].groupby("respondent")["score"].sum()
    assert (imp == 100).all() and len(imp) == 80
    assert len(a) == 80 * (44 + 5)
    assert set(a.loc[a["kind"] != "I", "score"].unique()) <= set(range(1, 8))


def test_generator_truth_is_on_the_answer_scale():
    # the expected answers stated in the truth are what large samples give
    df = make_servqual_survey(20000, random_state=3)
    truth = df.attrs["truth"]
    means = df[df["kind"] != "I"].groupby(["kind", "item"], observed=True)["score"].mean()
    for item in ("q1", "q9", "q22"):
        assert means[("P", item)] == pytest.approx(truth["perception_means"][item], abs=0.03)
        assert means[("E", item)] == pytest.approx(truth["expectation_means"][item], abs=0.03)


def test_servqual_recovers_known_gaps_and_weights():
    df = make_servqual_survey(4000, random_state=7, missing_rate=0.05)
    truth = df.attrs["truth"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # clean synthetic data: no warnings at all
        res = servqual(df)
    dims = res.dimensions.set_index("dimension")
    for d, g in truth["dimension_gaps"].items():
        assert dims.loc[d, "ci_low"] - 0.02 < g < dims.loc[d, "ci_high"] + 0.02
        assert dims.loc[d, "weight"] == pytest.approx(truth["importance_weights"][d], abs=0.01)
    ov = res.overall.set_index("score")
    assert ov.loc["weighted", "gap"] == pytest.approx(truth["weighted_gap"], abs=0.04)
    assert ov.loc["unweighted", "gap"] == pytest.approx(truth["overall_gap"], abs=0.04)
    assert (res.items["n_missing"] > 0).all()  # MCAR blanks are counted, not zero-filled
    assert len(res.problems) == 0


def test_servqual_interval_coverage_over_200_seeded_replications():
    reps = []
    for seed in range(200):
        sample = make_servqual_survey(60, random_state=1000 + seed)
        reps.append(sample.assign(replication=seed))
    truth = reps[0].attrs["truth"]
    # the default truth does not depend on the seed (only the expectation levels do)
    data = pd.concat(reps, ignore_index=True)
    res = servqual(data, groups=["replication"])
    items = res.items
    true_item = items["item"].map(truth["item_gaps"])
    cover_items = ((items["ci_low"] <= true_item) & (true_item <= items["ci_high"])).mean()
    dims = res.dimensions
    true_dim = dims["dimension"].map(truth["dimension_gaps"])
    cover_dims = ((dims["ci_low"] <= true_dim) & (true_dim <= dims["ci_high"])).mean()
    w = res.overall[res.overall["score"] == "weighted"]
    cover_weighted = ((w["ci_low"] <= truth["weighted_gap"]) & (truth["weighted_gap"] <= w["ci_high"])).mean()
    print(
        f"coverage: items {cover_items:.4f} (4400 intervals), dimensions {cover_dims:.4f} (1000), weighted {cover_weighted:.3f} (200)"
    )
    assert len(items) == 200 * 22 and len(dims) == 200 * 5
    assert 0.93 <= cover_items <= 0.97
    assert 0.92 <= cover_dims <= 0.975
    assert 0.91 <= cover_weighted <= 0.99


def test_servqual_item_tests_match_scipy_and_statsmodels():
    df = make_servqual_survey(
        60,
        {"tangibles": 0.0, "reliability": -1.0, "responsiveness": 0.0, "assurance": 0.0, "empathy": 0.0},
        random_state=2,
    )
    res = servqual(df, correction="holm")
    wide = df[df["kind"] != "I"].pivot_table(
        index="respondent", columns=["kind", "item"], values="score", observed=True
    )
    pvals = [stats.ttest_rel(wide[("P", it)], wide[("E", it)]).pvalue for it in res.items["item"]]
    np.testing.assert_allclose(res.items["p_value"], pvals, rtol=1e-10)
    reject, padj, _, _ = multipletests(pvals, alpha=0.05, method="holm")
    np.testing.assert_allclose(res.items["p_adjusted"], padj, rtol=1e-10)
    assert res.items["significant"].tolist() == reject.tolist()
    # the planted reliability gap is found, the zero gaps are not
    sig = res.items.groupby("dimension")["significant"].mean()
    assert sig["reliability"] >= 0.6 and sig.drop("reliability").max() <= 0.25


def test_cronbach_alpha_against_covariance_formula_and_spearman_brown():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 4)) + rng.normal(size=(50, 1))
    alpha, n = cronbach_alpha(x)
    c = np.cov(x, rowvar=False)
    k = 4
    vbar, cbar = np.mean(np.diag(c)), (c.sum() - np.trace(c)) / (k * (k - 1))
    assert alpha[0] == pytest.approx(k * cbar / (vbar + (k - 1) * cbar)) and n[0] == 50
    # k parallel items with inter-item correlation rho: alpha = k rho / (1 + (k - 1) rho)
    rho, k = 0.4, 5
    f = rng.normal(size=(200_000, 1))
    items = np.sqrt(rho) * f + np.sqrt(1 - rho) * rng.normal(size=(200_000, k))
    assert cronbach_alpha(items)[0][0] == pytest.approx(k * rho / (1 + (k - 1) * rho), abs=0.005)


def test_servqual_alpha_high_for_planted_dimensions_and_listwise():
    res = servqual(make_servqual_survey(500, random_state=4, missing_rate=0.02))
    rel = res.reliability
    assert len(rel) == 10 and (rel["alpha"] > 0.6).all() and (rel["note"] == "").all()
    assert (rel["n"] < 500).all()  # listwise: respondents with a blank in the dimension are left out


def test_wide_input_gives_the_same_result():
    df = make_servqual_survey(100, random_state=9)
    pe = df[df["kind"] != "I"]
    wide = pe.pivot_table(index="respondent", columns=["kind", "item"], values="score", observed=True)
    wide.columns = [f"{k}{str(i)[1:]}" for k, i in wide.columns]
    imp = df[df["kind"] == "I"].pivot_table(index="respondent", columns="item", values="score", observed=True)
    wide = wide.join(imp.add_prefix("imp_")).reset_index()
    long = wide_to_long(wide, respondent="respondent", importance={d: f"imp_{d}" for d in SERVQUAL_DIMENSIONS})
    a, b = servqual(df), servqual(long)
    pd.testing.assert_frame_equal(a.dimensions, b.dimensions)
    pd.testing.assert_frame_equal(a.items.astype({"item": object}), b.items.astype({"item": object}))


def test_explicit_importance_table_overrides_rows():
    df = make_servqual_survey(50, random_state=1)
    imp = pd.DataFrame(
        {"respondent": np.repeat(np.arange(1, 51), 5), "dimension": list(SERVQUAL_DIMENSIONS) * 50, "points": 20.0}
    )
    res = servqual(df[df["kind"] != "I"], importance=imp)
    assert res.dimensions["weight"].tolist() == pytest.approx([0.2] * 5)
    ov = res.overall.set_index("score")["gap"]
    assert ov["weighted"] == pytest.approx(ov["unweighted"])


def test_adapted_instrument_mapping():
    mapping = {"reliability": ["q5", "q6"], "empathy": ["q18", "q19", "q20"]}
    df = make_servqual_survey(
        2000,
        {"reliability": -1.2, "empathy": 0.4},
        random_state=3,
        mapping=mapping,
        importance={"reliability": 0.7, "empathy": 0.3},
    )
    res = servqual(df, mapping=mapping)
    assert res.items["item"].tolist() == ["q5", "q6", "q18", "q19", "q20"]
    assert res.dimensions["dimension"].tolist() == ["reliability", "empathy"]
    assert res.dimensions["gap"].tolist() == pytest.approx([-1.2, 0.4], abs=0.08)


# --------------------------------------------------------------------------- properties

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402


@given(
    arrays(
        np.float64,
        st.tuples(st.integers(2, 12), st.just(2), st.integers(1, 3)),
        elements=st.one_of(st.just(np.nan), st.integers(1, 7).map(float)),
    )
)
def test_gap_scores_invariants(x):
    # x[r, 0, j] expectation, x[r, 1, j] perception of respondent r on attribute j; NaN = blank
    n, _, k = x.shape
    rows = [(r + 1, f"a{j}", kind, x[r, m, j]) for r in range(n) for j in range(k) for m, kind in enumerate("EP")]
    df = pd.DataFrame(rows, columns=["respondent", "item", "kind", "score"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # all-blank attributes are reported, that is tested elsewhere
        res = gap_scores(df)
    s = res.attributes.set_index("attribute")
    for j in range(k):
        d = x[:, 1, j] - x[:, 0, j]
        d = d[~np.isnan(d)]
        row = s.loc[f"a{j}"]
        assert row["n"] == len(d) and row["n"] + row["n_missing"] == n
        if len(d):
            assert row["gap"] == pytest.approx(d.mean())
            assert row["perception"] - row["expectation"] == pytest.approx(row["gap"])
            assert row["share_delighted"] + row["share_met"] + row["share_dissatisfied"] == pytest.approx(1.0)
        else:
            assert np.isnan(row["gap"]) and np.isnan(row["share_met"])  # nothing to average: missing, not 0
        if len(d) >= 2 and d.std() > 0:
            assert row["ci_low"] < row["gap"] < row["ci_high"]
    assert (res.scores["outcome"] == "missing").sum() == int(np.isnan(x[:, 1, :] - x[:, 0, :]).sum())
