"""compare_segments: textbook tests without weights, unit weights, planted differences, and the
false-positive rate under the null by simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from csworkbench.drivers import relative_weights
from csworkbench.errors import DataError, ParameterError
from csworkbench.weighting import compare_segments, survey_mean

COLS = [
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "test_statistic",
    "df",
    "p_value",
    "p_adjusted",
    "n_eff",
]


def survey(n=(40, 55, 70), shift=(0.0, 0.0, 0.0), seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for level, (m, s) in zip(["A", "B", "C"], zip(n, shift)):
        parts.append(
            pd.DataFrame(
                {
                    "region": level,
                    "sat": rng.normal(7 + s, 1.5, m),
                    "ease": rng.integers(1, 8, m).astype(float),
                    "complained": (rng.random(m) < 0.25 + s / 10).astype(int),
                    "w": rng.choice([0.5, 1.0, 2.0, 4.0], m),
                }
            )
        )
    return pd.concat(parts, ignore_index=True).assign(one=1.0)


def test_means_without_weights_are_welch_t_tests():
    df = survey(shift=(0, 0.8, 0))
    res = compare_segments(df, statistic="mean", segment="region", items=["sat", "ease"], reference="A", min_n=10)
    t = res.table.set_index(["segment", "item"])
    for level in ("B", "C"):
        for item in ("sat", "ease"):
            a, b = df.loc[df.region == level, item], df.loc[df.region == "A", item]
            want = stats.ttest_ind(a, b, equal_var=False)
            assert t.loc[(level, item), "test_statistic"] == pytest.approx(want.statistic, rel=1e-10)
            assert t.loc[(level, item), "p_value"] == pytest.approx(want.pvalue, rel=1e-10)
            assert t.loc[(level, item), "difference"] == pytest.approx(a.mean() - b.mean(), rel=1e-12)
    assert np.isnan(t.loc[("A", "sat"), "p_value"]) and pd.isna(t.loc[("A", "sat"), "test"])
    p = res.table["p_value"].dropna().to_numpy()
    assert res.table["p_adjusted"].dropna().to_numpy() == pytest.approx(multipletests(p, method="holm")[1], rel=1e-12)
    assert t.loc[("B", "sat"), "significant"]


def test_each_level_against_the_rest():
    df = survey(shift=(0, 0, 1.0), seed=3)
    res = compare_segments(df, statistic="mean", segment="region", items="sat", min_n=10, adjust="none")
    c = res.table.set_index("segment").loc["C"]
    want = stats.ttest_ind(df.sat[df.region == "C"], df.sat[df.region != "C"], equal_var=False)
    assert c["reference"] == "(rest)" and c["p_value"] == pytest.approx(want.pvalue, rel=1e-10)
    assert res.table["p_adjusted"].tolist() == res.table["p_value"].tolist()


@pytest.mark.parametrize(
    "statistic,items,weight_type",
    [
        ("mean", ["sat", "ease"], "sampling"),
        ("mean", ["sat", "ease"], "frequency"),
        ("proportion", ["complained"], "frequency"),  # sampling weights: Rao–Scott, tested below
    ],
)
def test_unit_weights_give_the_unweighted_comparison(statistic, items, weight_type):
    df = survey(shift=(0, 0.5, 1.0), seed=5)
    kw = {"statistic": statistic, "segment": "region", "items": items, "reference": "B", "min_n": 10}
    plain = compare_segments(df, **kw).table
    ones = compare_segments(df, weights="one", weight_type=weight_type, **kw).table
    np.testing.assert_allclose(ones[COLS].to_numpy(float), plain[COLS].to_numpy(float), rtol=1e-12, atol=1e-12)


def test_proportions_are_pearson_chi2_and_weighted_ones_rao_scott():
    df = survey(shift=(0, 0, 2.0), seed=7)
    res = compare_segments(df, statistic="proportion", segment="region", items=["complained"], reference="A", min_n=10)
    c = res.table.set_index("segment").loc["C"]
    tab = pd.crosstab(df.region, df.complained).loc[["C", "A"]].to_numpy()
    chi2, p, _, _ = stats.chi2_contingency(tab, correction=False)
    assert c["test"] == "chi2" and c["test_statistic"] == pytest.approx(chi2, rel=1e-10)
    assert c["p_value"] == pytest.approx(p, rel=1e-10)
    wres = (
        compare_segments(
            df, statistic="proportion", segment="region", items=["complained"], reference="A", min_n=10, weights="w"
        )
        .table.set_index("segment")
        .loc["C"]
    )
    m = survey_mean(df, ["complained"], weights="w", by=["region"]).set_index("region")
    d = m.loc["C", "estimate"] - m.loc["A", "estimate"]
    x2 = d**2 / (m.loc["C", "se"] ** 2 + m.loc["A", "se"] ** 2)
    assert wres["test"] == "rao_scott" and wres["difference"] == pytest.approx(d, rel=1e-12)
    assert wres["test_statistic"] == pytest.approx(x2, rel=1e-12) and wres["n_eff"] < wres["n"]


def test_frequency_weighted_proportions_equal_the_expanded_data():
    df = survey(seed=9).assign(f=lambda d: np.resize([1, 2, 3], len(d)))
    kw = {"statistic": "proportion", "segment": "region", "items": ["complained"], "min_n": 10}
    got = compare_segments(df, weights="f", weight_type="frequency", **kw).table
    want = compare_segments(df.loc[df.index.repeat(df.f)], **kw).table
    for col in ("estimate", "difference", "test_statistic", "p_value"):
        np.testing.assert_allclose(got[col], want[col], rtol=1e-12)


def test_gap_per_dimension_is_the_mean_paired_gap():
    df = survey(seed=11).assign(exp_sat=lambda d: d.sat + 0.5)
    res = compare_segments(
        df, statistic="gap", segment="region", items={"reliability": ("sat", "exp_sat")}, reference="A", min_n=10
    )
    assert res.table["estimate"].to_numpy() == pytest.approx([-0.5] * 3, abs=1e-12)
    assert res.table["item"].unique().tolist() == ["reliability"]


def test_weighted_means_follow_the_design_estimates():
    df = survey(shift=(0, 1.0, 0), seed=13)
    res = compare_segments(df, statistic="mean", segment="region", items=["sat"], reference="A", min_n=10, weights="w")
    b = res.table.set_index("segment").loc["B"]
    m = survey_mean(df, ["sat"], weights="w", by=["region"]).set_index("region")
    assert b["estimate"] == pytest.approx(m.loc["B", "estimate"], rel=1e-12)
    assert b["se"] == pytest.approx(m.loc["B", "se"], rel=1e-12)
    se = np.hypot(m.loc["B", "se"], m.loc["A", "se"])
    assert b["test_statistic"] == pytest.approx((m.loc["B", "estimate"] - m.loc["A", "estimate"]) / se, rel=1e-12)


def _null_rate(statistic, weights, reps, seed, adjust="none"):
    rng = np.random.default_rng(seed)
    hits = tests = families = 0
    for _ in range(reps):
        n = 240
        df = pd.DataFrame(
            {
                "region": rng.choice(["A", "B", "C", "D"], n),
                "sat": rng.normal(7, 1.5, n),
                "ease": rng.normal(5, 1, n),
                "complained": (rng.random(n) < 0.3).astype(int),
                "w": rng.gamma(4.0, 0.25, n),
            }
        )
        items = ["complained"] if statistic == "proportion" else ["sat", "ease"]
        t = compare_segments(
            df, statistic=statistic, segment="region", items=items, weights=weights, min_n=20, adjust=adjust
        ).table
        hits += int(t["significant"].sum())
        tests += len(t)
        families += int(t["significant"].any())
    return hits / tests, families / reps


@pytest.mark.parametrize("statistic,weights,reps", [("mean", "w", 300), ("proportion", "w", 300), ("mean", None, 150)])
def test_false_positive_rate_under_the_null_is_about_alpha(statistic, weights, reps):
    # each sample: 4 regions, each against the rest, 2 (or 1) items; 300 samples × 8 tests: SE of a
    # 5 % rate ≈ 0.45 points, so a 10 % rate fails; proportions 1,200 tests (SE 0.63 points)
    rate, _ = _null_rate(statistic, weights, reps=reps, seed=20)
    print(statistic, weights, rate)
    assert 0.033 <= rate <= 0.072, rate


def test_holm_controls_the_familywise_rate_under_the_null():
    _, familywise = _null_rate("mean", "w", reps=300, seed=21, adjust="holm")
    print("holm familywise", familywise)
    assert familywise <= 0.075, familywise


def test_importance_matches_relative_weights_and_permutation_null_rate():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(300, 3))
    df = pd.DataFrame(X, columns=["staff", "price", "speed"]).assign(
        region=np.repeat(["A", "B"], 150), overall=X @ [0.6, 0.3, 0.1] + rng.normal(0, 1, 300)
    )
    res = compare_segments(
        df,
        statistic="importance",
        segment="region",
        items=["staff", "price", "speed"],
        outcome="overall",
        reference="A",
        n_boot=200,
        n_perm=199,
    )
    a = res.table[res.table.segment == "A"]
    want = relative_weights(df[df.region == "A"], "overall", ["staff", "price", "speed"], n_boot=0)
    assert a["estimate"].to_numpy() == pytest.approx(want.weights["raw_weight"].to_numpy(), rel=1e-10)
    rates = []
    for rep in range(120):
        d = df.assign(region=np.random.default_rng(rep).permutation(df.region))
        t = compare_segments(
            d,
            statistic="importance",
            segment="region",
            items=["staff", "price", "speed"],
            outcome="overall",
            reference="A",
            n_boot=0,
            n_perm=99,
            random_state=rep,
            adjust="none",
        ).table
        rates.extend(t["significant"].iloc[3:].tolist())
    assert 0.02 <= np.mean(rates) <= 0.085, np.mean(rates)


def test_importance_detects_a_planted_difference():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(400, 2))
    beta = np.where(np.arange(400)[:, None] < 200, [0.8, 0.1], [0.1, 0.8])
    df = pd.DataFrame(X, columns=["staff", "price"]).assign(
        region=np.repeat(["A", "B"], 200), overall=(X * beta).sum(1) + rng.normal(0, 0.5, 400)
    )
    t = compare_segments(
        df,
        statistic="importance",
        segment="region",
        items=["staff", "price"],
        outcome="overall",
        reference="A",
        n_boot=100,
        n_perm=199,
        weights=None,
    ).table
    b = t[t.segment == "B"].set_index("item")
    assert b.loc["staff", "difference"] < 0 < b.loc["price", "difference"]
    assert b["significant"].all() and (b["diff_ci_high"] < 1).all()


def test_small_and_missing_segments_are_listed():
    df = survey(n=(40, 5, 40), seed=2)
    df.loc[[0, 1], "region"] = None
    with pytest.warns(Warning):
        res = compare_segments(df, statistic="mean", segment="region", items=["sat"], min_n=30)
    assert res.table["segment"].tolist() == ["A", "C"]
    codes = res.problems.set_index("code")
    assert codes.loc["segment_too_small", "problem"].startswith(
        "segment B has 5 respondents, fewer than the minimum 30"
    )
    assert sorted(res.problems.loc[res.problems.code == "segment_missing", "row"]) == [1, 2]
    with pytest.raises(DataError, match="fewer than two segments"):
        compare_segments(df, statistic="mean", segment="region", items=["sat"], min_n=41)


def test_bad_arguments_are_parameter_errors():
    df = survey()
    base = {"segment": "region", "items": ["sat"], "min_n": 10}
    for kw, msg in [
        ({"statistic": "median"}, "statistic"),
        ({"statistic": "mean", "adjust": "sidak2"}, "adjust"),
        ({"statistic": "mean", "reference": "Z"}, "reference"),
        ({"statistic": "mean", "alpha": 5}, "alpha"),
        ({"statistic": "importance"}, "outcome"),
        ({"statistic": "gap"}, "gap"),
        ({"statistic": "mean", "min_n": 1}, "min_n"),
    ]:
        with pytest.raises(ParameterError, match=msg):
            compare_segments(df, **{**base, **kw})
    with pytest.raises(DataError, match="0/1"):
        compare_segments(df, statistic="proportion", segment="region", items=["ease"], min_n=10)
    with pytest.raises(DataError, match="'zone' is not in the data"):
        compare_segments(df, statistic="mean", segment="zone", items=["sat"])


def test_pls_paths_by_segment_match_the_segment_fits_and_multigroup():
    from csworkbench.datasets import load_ecsi
    from csworkbench.pls import PLSPM, ecsi_model
    from csworkbench.pls.mga import multigroup

    df = load_ecsi().assign(region=lambda d: np.where(np.arange(len(d)) % 2 == 0, "A", "B"))
    df["w"] = np.resize([1.0, 2.0, 3.0], len(df))
    model = PLSPM(**ecsi_model(), scheme="centroid", scaled=False)
    res = compare_segments(
        df,
        statistic="pls_path",
        segment="region",
        model=model,
        reference="A",
        weights="w",
        n_boot=50,
        n_perm=99,
        min_n=50,
    )
    t = res.table.set_index(["segment", "item"])
    fit_b = PLSPM(**ecsi_model(), scheme="centroid", scaled=False).fit(df[df.region == "B"], weights="w")
    for _, row in fit_b.paths_.iterrows():
        assert t.loc[("B", f"{row.source} -> {row.target}"), "estimate"] == pytest.approx(row.estimate, rel=1e-8)
    mga = multigroup(model, df, "region", n_permutations=19)
    plain = compare_segments(
        df, statistic="pls_path", segment="region", model=model, reference="B", n_boot=0, n_perm=19, min_n=50
    ).table.set_index("item")
    a_rows = plain[plain.index.notna() & (plain.segment == "A")]
    want = mga.paths.assign(item=mga.paths.source + " -> " + mga.paths.target).set_index("item")["difference"]
    np.testing.assert_allclose(a_rows["difference"], want.loc[a_rows.index], rtol=1e-8)
    assert set(res.table["test"].dropna()) == {"permutation"} and res.table["p_value"].dropna().between(0, 1).all()
    with pytest.raises(ParameterError, match="model="):
        compare_segments(df, statistic="pls_path", segment="region", min_n=50)
    with pytest.raises(ParameterError, match="not in the model"):
        compare_segments(df, statistic="pls_path", segment="region", model=model, items=["X -> Y"], min_n=50)
