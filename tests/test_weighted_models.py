"""weights= in the survey models (gaps, drivers, pls): unweighted results unchanged, unit weights
equal to no weights, weighted results equal to a direct computation (issue 20)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from csworkbench.datasets.servqual import make_servqual_survey
from csworkbench.gaps import gap_scores
from csworkbench.weighting import survey_mean

TOL = {"rtol": 1e-12, "atol": 1e-12}


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    df = make_servqual_survey(240, random_state=3)
    rng = np.random.default_rng(0)
    resp = df["respondent"].unique()
    w = pd.Series(rng.choice([0.5, 1.0, 2.0, 3.0], len(resp)), index=resp)
    seg = pd.Series(np.where(np.arange(len(resp)) % 3 == 0, "key", "other"), index=resp)
    return df.assign(w=df["respondent"].map(w).to_numpy(), one=1.0, segment=df["respondent"].map(seg).to_numpy())


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.select_dtypes("number").drop(columns=["n_eff"], errors="ignore")


@pytest.mark.parametrize("weight_type", ["sampling", "frequency"])
def test_gap_scores_unit_weights_equal_unweighted(answers, weight_type):
    plain = gap_scores(answers[["respondent", "item", "kind", "score", "segment"]], groups=["segment"])
    ones = gap_scores(answers, groups=["segment"], weights="one", weight_type=weight_type)
    assert "n_eff" not in plain.attributes and "n_eff" in ones.attributes
    np.testing.assert_allclose(
        _numeric(ones.attributes).to_numpy(float), _numeric(plain.attributes).to_numpy(float), **TOL
    )
    np.testing.assert_allclose(ones.attributes["n_eff"], plain.attributes["n"], **TOL)


def test_gap_scores_weighted_equal_the_direct_computation(answers):
    res = gap_scores(answers, weights="w")
    wide = res.scores.merge(answers.drop_duplicates("respondent")[["respondent", "w"]], on="respondent")
    q1 = wide[wide.attribute == "q1"].dropna(subset=["gap"])
    row = res.attributes.set_index("attribute").loc["q1"]
    direct = survey_mean(q1, ["gap", "perception"], weights="w").set_index("item")
    assert row["gap"] == pytest.approx(np.average(q1.gap, weights=q1.w), rel=1e-12)
    assert row["se"] == pytest.approx(direct.loc["gap", "se"], rel=1e-12)
    assert row["perception"] == pytest.approx(direct.loc["perception", "estimate"], rel=1e-12)
    assert row["n_eff"] == pytest.approx(q1.w.sum() ** 2 / (q1.w**2).sum(), rel=1e-12)
    assert row["share_dissatisfied"] == pytest.approx(np.average(q1.gap < 0, weights=q1.w), rel=1e-12)


def test_gap_scores_weights_that_vary_within_a_respondent_are_listed(answers):
    bad = answers.copy()
    bad.loc[bad.index[1], "w"] = 9.0
    bad.loc[bad.index[2], "w"] = -1.0
    with pytest.warns(Warning):
        res = gap_scores(bad, weights="w")
    codes = set(res.problems["code"])
    assert {"weight_varies_within_respondent", "weight_negative"} <= codes


@pytest.mark.parametrize("weight_type", ["sampling", "frequency"])
def test_servqual_unit_weights_equal_unweighted(answers, weight_type):
    from csworkbench.gaps import servqual

    plain = servqual(answers[["respondent", "item", "kind", "score", "segment"]], groups=["segment"])
    ones = servqual(answers, groups=["segment"], weights="one", weight_type=weight_type)
    for table in ("items", "dimensions", "overall", "reliability"):
        a, b = getattr(ones, table), getattr(plain, table)
        np.testing.assert_allclose(_numeric(a).to_numpy(float), _numeric(b).to_numpy(float), **TOL, err_msg=table)
    assert "n_eff" in ones.dimensions and "n_eff" not in plain.dimensions


def test_servqual_weighted_dimensions_and_alpha_equal_direct_computation(answers):
    from csworkbench.gaps import servqual

    res = servqual(answers, weights="w")
    wide = answers.pivot_table(index="respondent", columns=["kind", "item"], values="score")
    w = answers.drop_duplicates("respondent").set_index("respondent")["w"].reindex(wide.index)
    items = ["q5", "q6", "q7", "q8", "q9"]  # reliability
    gap = wide["P"][items] - wide["E"][items]
    dim = gap.mean(axis=1, skipna=True).where(gap.notna().any(axis=1))
    frame = pd.DataFrame({"g": dim, "w": w}).dropna()
    want = survey_mean(frame, ["g"], weights="w").iloc[0]
    got = res.dimensions.set_index("dimension").loc["reliability"]
    assert got["gap"] == pytest.approx(want["estimate"], rel=1e-12)
    assert got["se"] == pytest.approx(want["se"], rel=1e-12)
    assert got["n_eff"] == pytest.approx(want["n_eff"], rel=1e-12)
    P = wide["P"][items].assign(w=w).dropna()
    X, wt = P[items].to_numpy(), P["w"].to_numpy()
    var = lambda v: np.cov(v, aweights=wt, ddof=0)  # noqa: E731
    alpha = 5 / 4 * (1 - sum(var(X[:, j]) for j in range(5)) / var(X.sum(axis=1)))
    rel = res.reliability.set_index(["dimension", "kind"]).loc[("reliability", "P")]
    assert rel["alpha"] == pytest.approx(alpha, rel=1e-10)
    ov = res.overall.set_index("score")
    assert ov.loc["unweighted", "gap"] != pytest.approx(
        servqual(answers).overall.set_index("score").loc["unweighted", "gap"]
    )


def test_kano_weighted_shares_and_unit_weights():
    from csworkbench.datasets import make_kano_survey
    from csworkbench.gaps import kano_classify

    df = make_kano_survey(200, random_state=1)
    df = df.assign(one=1.0, w=np.where(df.respondent % 4 == 0, 3.0, 1.0))
    plain = kano_classify(df[["respondent", "feature", "functional", "dysfunctional"]], lang="en").features
    ones = kano_classify(df, weights="one", lang="en").features
    pd.testing.assert_frame_equal(ones.drop(columns="n_eff"), plain, check_dtype=False, rtol=1e-12)
    res = kano_classify(df, weights="w", lang="en")
    got = res.features.set_index("feature")
    for feat, part in res.answers.dropna(subset=["category"]).groupby("feature"):
        share = part.groupby("category")["w"].sum() / part["w"].sum()
        for cat, value in share.items():
            assert got.loc[feat, cat] == pytest.approx(value, rel=1e-12)
        aomi = part[part.category.isin(["A", "O", "M", "I"])]
        better = aomi.w[aomi.category.isin(["A", "O"])].sum() / aomi.w.sum()
        assert got.loc[feat, "better"] == pytest.approx(better, rel=1e-12)
        assert got.loc[feat, "n_eff"] == pytest.approx(part.w.sum() ** 2 / (part.w**2).sum(), rel=1e-12)


# ---------------------------------------------------------------------------------------- drivers

DRIVERS = ["complaints", "learning", "raises"]


@pytest.fixture(scope="module")
def attitude() -> pd.DataFrame:
    from csworkbench.datasets import load_attitude

    d = load_attitude()
    rng = np.random.default_rng(0)
    return d.assign(w=rng.choice([1, 2, 3], len(d)).astype(float), one=1.0)


def test_key_drivers_unit_frequency_weights_equal_ols(attitude):
    from csworkbench.drivers import key_drivers

    a = key_drivers(attitude, "rating", DRIVERS).coefficients
    b = key_drivers(attitude, "rating", DRIVERS, weights="one", weight_type="frequency").coefficients
    np.testing.assert_allclose(b.select_dtypes("number"), a.select_dtypes("number"), **TOL)


@pytest.mark.parametrize("standardize", [False, True])
def test_key_drivers_sampling_weights_are_wls_with_the_linearised_sandwich(attitude, standardize):
    import statsmodels.api as sm

    from csworkbench.drivers import key_drivers

    res = key_drivers(attitude, "rating", DRIVERS, weights="w", standardize=standardize).coefficients
    w = attitude["w"].to_numpy()
    X, y = attitude[DRIVERS], attitude["rating"]
    if standardize:  # weighted means and SDs
        n = len(w)
        sd_x = np.sqrt(np.diag(np.cov(X.to_numpy(), aweights=w, ddof=0, rowvar=False)) * n / (n - 1))
        sd_y = np.sqrt(np.cov(y.to_numpy(), aweights=w, ddof=0) * n / (n - 1))
        X = (X - np.average(X, axis=0, weights=w)) / sd_x
        y = (y - np.average(y, weights=w)) / sd_y
    Xc = sm.add_constant(X).to_numpy(float)
    beta = np.linalg.solve(Xc.T @ (Xc * w[:, None]), Xc.T @ (w * np.asarray(y)))
    e = np.asarray(y) - Xc @ beta
    bread = np.linalg.inv(Xc.T @ (Xc * w[:, None]))
    u = Xc * (w * e)[:, None]
    cov = bread @ (u.T @ u) @ bread * len(w) / (len(w) - 1)
    np.testing.assert_allclose(res["estimate"], beta[1:], rtol=1e-10)
    np.testing.assert_allclose(res["se"], np.sqrt(np.diag(cov))[1:], rtol=1e-10)


@pytest.mark.parametrize("model", ["relative_weights", "dominance"])
def test_importance_unit_weights_equal_unweighted_and_frequency_weights_the_expanded_data(attitude, model):
    import csworkbench.drivers as drivers

    fn = getattr(drivers, model)
    table = (lambda r: r.weights) if model == "relative_weights" else (lambda r: r.general)  # noqa: E731
    plain = table(fn(attitude, "rating", DRIVERS, n_boot=50, random_state=2))
    ones = table(fn(attitude, "rating", DRIVERS, n_boot=50, random_state=2, weights="one"))
    np.testing.assert_allclose(ones.select_dtypes("number"), plain.select_dtypes("number"), rtol=1e-10, atol=1e-12)
    expanded = attitude.loc[attitude.index.repeat(attitude["w"].astype(int))]
    want = table(fn(expanded, "rating", DRIVERS, n_boot=0))
    got = table(fn(attitude, "rating", DRIVERS, n_boot=0, weights="w"))
    col = "raw_weight" if model == "relative_weights" else "general_dominance"
    np.testing.assert_allclose(got[col], want[col], rtol=1e-10)
    assert not np.allclose(got[col], table(fn(attitude, "rating", DRIVERS, n_boot=0))[col])


# ---------------------------------------------------------------------------------------- pls


@pytest.fixture(scope="module")
def ecsi() -> pd.DataFrame:
    from csworkbench.datasets import load_ecsi

    d = load_ecsi()
    rng = np.random.default_rng(1)
    return d.assign(w=rng.choice([1, 2, 3, 4], len(d)).astype(float), one=1.0)


def _pls():
    from csworkbench.pls import PLSPM, ecsi_model

    return PLSPM(**ecsi_model(), scheme="centroid", scaled=False)


def test_pls_unit_weights_equal_unweighted_fit_and_bootstrap(ecsi):
    plain = _pls().fit(ecsi)
    ones = _pls().fit(ecsi, weights="one")
    for attr in ("paths_", "outer_", "quality_", "effects_"):
        a, b = getattr(ones, attr), getattr(plain, attr)
        np.testing.assert_allclose(a.select_dtypes("number"), b.select_dtypes("number"), rtol=1e-9, atol=1e-12)
    assert ones.n_eff_ == plain.n_eff_ == len(ecsi)
    ba = ones.bootstrap(n_boot=40, progress=False).paths
    bb = plain.bootstrap(n_boot=40, progress=False).paths
    np.testing.assert_allclose(ba[["se", "ci_low", "ci_high"]], bb[["se", "ci_low", "ci_high"]], rtol=1e-9)


def test_pls_frequency_weights_equal_the_expanded_data(ecsi):
    expanded = ecsi.loc[ecsi.index.repeat(ecsi["w"].astype(int))].reset_index(drop=True)
    want = _pls().fit(expanded)
    got = _pls().fit(ecsi, weights="w")
    np.testing.assert_allclose(got.paths_["estimate"], want.paths_["estimate"], rtol=1e-8)
    np.testing.assert_allclose(got.outer_["weight"], want.outer_["weight"], rtol=1e-8)
    np.testing.assert_allclose(got.r2_, want.r2_, rtol=1e-8)
    w = ecsi["w"].to_numpy()
    assert got.n_eff_ == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
    unweighted = _pls().fit(ecsi)
    assert not np.allclose(got.paths_["estimate"], unweighted.paths_["estimate"], rtol=1e-4)
    boot = got.bootstrap(n_boot=60, progress=False)
    assert (boot.paths["se"] > 0).all() and (boot.paths["ci_low"] < boot.paths["estimate"]).all()
    with pytest.raises(Exception, match="does not support case weights"):
        got.ipma("SAT")


def test_weighted_ordered_logit_and_frequency_weights_equal_the_expanded_data(attitude):
    from csworkbench.drivers import key_drivers

    d = attitude.assign(r5=pd.cut(attitude["rating"], [0, 50, 60, 70, 80, 100], labels=False))
    expanded = d.loc[d.index.repeat(d["w"].astype(int))]
    for method, target in (("ordinal", "r5"), ("ols", "rating")):
        want = key_drivers(expanded, target, DRIVERS, method=method)
        got = key_drivers(d, target, DRIVERS, method=method, weights="w", weight_type="frequency")
        np.testing.assert_allclose(got.coefficients["estimate"], want.coefficients["estimate"], rtol=1e-4, atol=1e-5)
        if method == "ordinal":  # model-based SE of the weighted likelihood = the expanded data's
            np.testing.assert_allclose(got.coefficients["se"], want.coefficients["se"], rtol=1e-4)
            assert got.pseudo_r2 == pytest.approx(want.pseudo_r2, rel=1e-8)
    plain = key_drivers(d, "r5", DRIVERS, method="ordinal")
    ones = key_drivers(d.assign(one=1.0), "r5", DRIVERS, method="ordinal", weights="one", weight_type="frequency")
    np.testing.assert_allclose(
        ones.coefficients.select_dtypes("number"), plain.coefficients.select_dtypes("number"), **TOL
    )
    # the same pseudo-likelihood up to a factor (the SDs of the standardisation differ by n/(n−1) vs Σw−1)
    sampling = key_drivers(d, "r5", DRIVERS, method="ordinal", weights="w", standardize=False)
    freq = key_drivers(d, "r5", DRIVERS, method="ordinal", weights="w", weight_type="frequency", standardize=False)
    np.testing.assert_allclose(sampling.coefficients["estimate"], freq.coefficients["estimate"], rtol=1e-4)
    assert np.isfinite(sampling.coefficients["se"]).all()
    assert not np.allclose(sampling.coefficients["se"], freq.coefficients["se"], rtol=1e-3)


def test_wide_survey_with_weights_to_weighted_gaps():
    from csworkbench.schema import survey_to_long, validate_survey

    wide = pd.DataFrame({"id": ["a", "b", "c", "d"], "E1": [5, 6, 4, 7], "P1": [6, 5, 6, 7], "w": [1.0, 3.0, 2.0, 0.5]})
    v = validate_survey(wide, id_column="id", weights="w")
    long = survey_to_long(v.data, id_column="id", weights="w")
    assert long.attrs["weights"]["column"] == "w" and long.groupby("respondent")["w"].nunique().eq(1).all()
    res = gap_scores(long, weights="w").attributes.iloc[0]
    assert res["gap"] == pytest.approx(np.average([1, -1, 2, 0], weights=[1.0, 3.0, 2.0, 0.5]), rel=1e-12)
