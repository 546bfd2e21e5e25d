"""What a PLS-SEM write-up reports (csworkbench.pls), against seminr's own test fixtures.

Reference values: the R package seminr (sem-in-r/seminr), ``tests/fixtures/``, each produced by the
test file named beside it, on seminr's ``mobi`` data (``data/raw/drivers/ecsi_mobi.csv``):

* ``V_3_6_0/reliability.csv`` (commit a36aa3c; ``tests/testthat/test-summary.R``): alpha, rhoC,
  AVE, rhoA of the model Image (IMAG1–5), Expectation (CUEX1–3), Value (PERV1–2), Satisfaction
  (CUSA1–3), all ``composite(..., weights = mode_A)``, paths Image, Expectation, Value →
  Satisfaction, ``inner_weights = path_weighting`` (seminr's default; ``maxIt=300,
  stopCriterion=7``).  The same model ("SUMMARY" below) gives
* ``V_3_6_0/fl_table.csv`` (bc6711a; ``test_validity.R``, ``summary1$validity$fl_criteria``),
* ``vifs/flat_item_vifs1.csv`` (a7d3ca1; ``test_validity.R``) and
  ``V_3_5_X/vifs/flat_vif_antecedents1.csv`` (0358b3b): outer and inner VIF,
* ``V_3_5_X/htmt.csv`` (f337c1a; ``test-summary.R``, HTMT depends on the data only),
* ``V_3_6_0/rsquared1.csv`` (a380adb; ``test-metric.R``): R² and adjusted R²,
* ``V_3_5_X/fsquared1.csv`` (52d361e; ``test-metrics`` of fSquared: ``fSquared(model, "Image",
  "Satisfaction")``, which re-estimates the model without the path).
* ``vifs/flat_vif_antecedents2.csv`` (3780c7a; ``test_validity.R``): the same blocks with the extra
  paths Image, Expectation → Value.

seminr rounds nothing: its own tests compare with ``tolerance = 0.00001`` (relative); here the
bar is an absolute 1e-6 unless stated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from csworkbench.config import RAW_DIR
from csworkbench.errors import ParameterError
from csworkbench.pls import PLSPM

SEMINR_TOL = 1e-6

#: tests/test_pls.py, seminr-mobi-basic-outer-model.csv: Mode B Quality, path scheme
MOBI_B_BLOCKS = {
    "Expectation": ["CUEX1", "CUEX2", "CUEX3"],
    "Quality": [f"PERQ{i}" for i in range(1, 8)],
    "Loyalty": ["CUSL1", "CUSL2", "CUSL3"],
    "Image": [f"IMAG{i}" for i in range(1, 6)],
    "Complaints": ["CUSCO"],
}
MOBI_B_INNER = [("Expectation", "Loyalty"), ("Quality", "Loyalty"), ("Image", "Expectation"), ("Complaints", "Loyalty")]

SUMMARY_BLOCKS = {
    "Image": [f"IMAG{i}" for i in range(1, 6)],
    "Expectation": [f"CUEX{i}" for i in range(1, 4)],
    "Value": ["PERV1", "PERV2"],
    "Satisfaction": [f"CUSA{i}" for i in range(1, 4)],
}
SUMMARY_INNER = [("Image", "Satisfaction"), ("Expectation", "Satisfaction"), ("Value", "Satisfaction")]


@pytest.fixture(scope="module")
def mobi() -> pd.DataFrame:
    return pd.read_csv(RAW_DIR / "drivers" / "ecsi_mobi.csv")


@pytest.fixture(scope="module")
def summary_model(mobi) -> PLSPM:
    return PLSPM(SUMMARY_INNER, SUMMARY_BLOCKS, scheme="path").fit(mobi)


# ----------------------------------------------------------------------------- convergence


def test_default_tolerance_reaches_seminr_stopping_point(mobi):
    """seminr stops when sum |Δ normalised weight| < 1e-7; so do we by default (tol=1e-7)."""
    from test_pls import SEMINR_OUTER, SEMINR_PATHS, _csv

    model = PLSPM(MOBI_B_INNER, MOBI_B_BLOCKS, modes={"Quality": "B"}, scheme="path").fit(mobi)
    ref = _csv(SEMINR_OUTER).set_index("indicator")
    ours = model.outer_.set_index("indicator").loc[ref.index]
    assert (ours[["weight", "loading"]] - ref[["weight", "loading"]]).abs().to_numpy().max() < SEMINR_TOL
    est = model.paths_.set_index(["source", "target"])["estimate"]
    for key, value in SEMINR_PATHS.items():
        assert est[key] == pytest.approx(value, abs=SEMINR_TOL)
    assert (PLSPM().get_params()["tol"], PLSPM().get_params()["max_iter"]) == (1e-7, 300)


# ----------------------------------------------------------------------------- seminr fixtures

#: V_3_6_0/reliability.csv
SEMINR_RELIABILITY = {
    #               alpha              rhoC               AVE                rhoA
    "Image": (0.722834595427083, 0.818325774056256, 0.477979834838268, 0.745291554480322),
    "Expectation": (0.451902555978063, 0.733177801505283, 0.480507046633952, 0.461657986928213),
    "Value": (0.823631979352573, 0.917897281748515, 0.84831067540365, 0.857527048393235),
    "Satisfaction": (0.779195021918597, 0.871457927643628, 0.693363990925202, 0.784023593590752),
}

#: V_3_5_X/htmt.csv (upper triangle)
SEMINR_HTMT = {
    ("Image", "Expectation"): 0.88803042750925,
    ("Image", "Value"): 0.651659392487802,
    ("Image", "Satisfaction"): 0.910100923782741,
    ("Expectation", "Value"): 0.588628982316289,
    ("Expectation", "Satisfaction"): 0.865108193553153,
    ("Value", "Satisfaction"): 0.740808927759395,
}

#: V_3_6_0/fl_table.csv (lower triangle by rows, √AVE on the diagonal)
SEMINR_FL = [
    [0.691360857178267],
    [0.505728413396833, 0.693186155829696],
    [0.510787425945094, 0.358245251153116, 0.921037825175302],
    [0.695529337198367, 0.511250543946958, 0.606306608005369, 0.832684808871402],
]

#: vifs/flat_item_vifs1.csv
SEMINR_ITEM_VIF = {
    "IMAG1": 1.46840074157899,
    "IMAG2": 1.22511896724264,
    "IMAG3": 1.25876515500919,
    "IMAG4": 1.51040340151145,
    "IMAG5": 1.40314478976676,
    "CUEX1": 1.16077200450283,
    "CUEX2": 1.12060419838461,
    "CUEX3": 1.04961624016727,
    "PERV1": 1.96158254047704,
    "PERV2": 1.96158254047704,
    "CUSA1": 1.50500417008445,
    "CUSA2": 1.76197723191477,
    "CUSA3": 1.64446280215093,
}

#: V_3_5_X/vifs/flat_vif_antecedents1.csv
SEMINR_INNER_VIF_1 = {
    ("Image", "Satisfaction"): 1.6139498810707,
    ("Expectation", "Satisfaction"): 1.36849662441311,
    ("Value", "Satisfaction"): 1.37801850355244,
}

#: vifs/flat_vif_antecedents2.csv (paths Image, Expectation → Value added)
SEMINR_INNER_VIF_2 = {
    ("Image", "Satisfaction"): 1.61267973867823,
    ("Expectation", "Satisfaction"): 1.36122775438484,
    ("Value", "Satisfaction"): 1.39344438153123,
    ("Image", "Value"): 1.33390062860533,
    ("Expectation", "Value"): 1.33390062860533,
}

#: V_3_6_0/rsquared1.csv
SEMINR_R2, SEMINR_R2_ADJ = 0.590603320426892, 0.585610677993074
#: V_3_5_X/fsquared1.csv: fSquared(model, "Image", "Satisfaction")
SEMINR_F2_IMAGE_SAT = 0.303554364141901


def test_reliability_matches_seminr(summary_model):
    q = summary_model.quality_.set_index("construct")
    for construct, (alpha, rho_c, ave, rho_a) in SEMINR_RELIABILITY.items():
        assert q.loc[construct, "cronbach_alpha"] == pytest.approx(alpha, abs=SEMINR_TOL)
        assert q.loc[construct, "rho_c"] == pytest.approx(rho_c, abs=SEMINR_TOL)
        assert q.loc[construct, "ave"] == pytest.approx(ave, abs=SEMINR_TOL)
        assert q.loc[construct, "rho_a"] == pytest.approx(rho_a, abs=SEMINR_TOL)
    # plspm's Dillon–Goldstein rho (first principal component) stays beside it, and differs
    assert not np.allclose(q["dg_rho"], q["rho_c"])


def test_htmt_matches_seminr(summary_model):
    h = summary_model.htmt_.set_index(["construct_1", "construct_2"])["htmt"]
    assert len(h) == len(SEMINR_HTMT)
    for key, value in SEMINR_HTMT.items():
        assert h[key] == pytest.approx(value, abs=SEMINR_TOL)


def test_fornell_larcker_matches_seminr(summary_model):
    fl = summary_model.fornell_larcker_
    names = list(SUMMARY_BLOCKS)
    assert list(fl.index) == list(fl.columns) == names
    for i, row in enumerate(SEMINR_FL):
        np.testing.assert_allclose(fl.iloc[i, : i + 1].to_numpy(dtype=float), row, atol=SEMINR_TOL)
        assert fl.iloc[i, i + 1 :].isna().all()


def test_vif_match_seminr(summary_model, mobi):
    outer = summary_model.vif_outer_.set_index("indicator")["vif"]
    for item, value in SEMINR_ITEM_VIF.items():
        assert outer[item] == pytest.approx(value, abs=SEMINR_TOL)
    inner = summary_model.vif_inner_.set_index(["source", "target"])["vif"]
    for key, value in SEMINR_INNER_VIF_1.items():
        assert inner[key] == pytest.approx(value, abs=SEMINR_TOL)
    two = SUMMARY_INNER + [("Image", "Value"), ("Expectation", "Value")]
    inner2 = PLSPM(two, SUMMARY_BLOCKS, scheme="path").fit(mobi).vif_inner_.set_index(["source", "target"])["vif"]
    assert len(inner2) == len(SEMINR_INNER_VIF_2)
    for key, value in SEMINR_INNER_VIF_2.items():
        assert inner2[key] == pytest.approx(value, abs=SEMINR_TOL)


def test_r2_adjusted_and_f2_match_seminr(summary_model):
    assert summary_model.r2_["Satisfaction"] == pytest.approx(SEMINR_R2, abs=SEMINR_TOL)
    assert summary_model.r2_adj_["Satisfaction"] == pytest.approx(SEMINR_R2_ADJ, abs=SEMINR_TOL)
    f2 = summary_model.f2_.set_index(["source", "target"])["f2"]
    assert f2[("Image", "Satisfaction")] == pytest.approx(SEMINR_F2_IMAGE_SAT, abs=SEMINR_TOL)
    assert list(summary_model.f2_.columns) == ["source", "target", "f2"] and len(f2) == 3


# ----------------------------------------------------------------------------- HTMT robustness and bootstrap


def test_htmt_uses_absolute_correlations(mobi):
    """A reverse-coded item changes nothing (seminr's abs); no NaN, no negative ratio."""
    flipped = mobi.assign(CUEX3=-mobi["CUEX3"])
    a = PLSPM(SUMMARY_INNER, SUMMARY_BLOCKS, scheme="path").fit(mobi)
    b = PLSPM(SUMMARY_INNER, SUMMARY_BLOCKS, scheme="path").fit(flipped)
    np.testing.assert_allclose(a.htmt_["htmt"], b.htmt_["htmt"], atol=1e-12)
    assert b.htmt_["htmt"].notna().all() and (b.htmt_["htmt"] > 0).all()


def test_bootstrap_htmt_intervals_match_refits(summary_model, mobi):
    before = summary_model.htmt_.copy()
    boot = summary_model.bootstrap(n_boot=40, random_state=np.random.default_rng(3), progress=False)
    pd.testing.assert_frame_equal(summary_model.htmt_, before)  # the model is not changed
    h = boot.htmt
    assert list(h.columns) == ["construct_1", "construct_2", "estimate", "boot_mean", "se", "ci_low", "ci_high"]
    np.testing.assert_allclose(h["estimate"], before["htmt"])
    assert ((h["ci_low"] <= h["estimate"]) & (h["estimate"] <= h["ci_high"])).all()
    counts = np.random.default_rng(3).multinomial(len(mobi), np.full(len(mobi), 1 / len(mobi)), size=40)
    resample = mobi.loc[np.repeat(np.arange(len(mobi)), counts[7])].reset_index(drop=True)
    refit = PLSPM(SUMMARY_INNER, SUMMARY_BLOCKS, scheme="path").fit(resample)
    np.testing.assert_allclose(boot.samples["htmt"][7], refit.htmt_["htmt"], atol=1e-10)
    ci = boot.conf_int(0.5, of="htmt")
    assert (ci["ci_high"] <= h["ci_high"]).all()


# ----------------------------------------------------------------------------- summary


def test_summary_separates_ols_and_bootstrap_inference(summary_model):
    plain = summary_model.summary()
    assert list(plain.columns) == [
        "source", "target", "estimate", "f2", "r2_target", "se_ols", "t_ols", "p_value_ols",
    ]  # fmt: skip
    np.testing.assert_allclose(plain["se_ols"], summary_model.paths_["se"])
    boot = summary_model.bootstrap(n_boot=60, progress=False)
    both = summary_model.summary(boot)
    assert list(both.columns[-4:]) == ["se_boot", "ci_low_boot", "ci_high_boot", "p_value_boot"]
    np.testing.assert_allclose(both["se_boot"], boot.paths["se"])
    np.testing.assert_allclose(both["ci_low_boot"], boot.paths["ci_low"])
    assert both["p_value_boot"].between(0, 1).all()
    with pytest.raises(ParameterError):
        summary_model.summary(bootstrap="yes")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- Q² and PLSpredict (synthetic truth)


def _two_single_items(n: int, rho: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    y = rho * x + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    return pd.DataFrame({"x": 3 + 2 * x, "y": 10 + 5 * y})


def test_blindfolding_q2_recovers_known_truth():
    """X → Y, one item each, corr ρ = 0.6: predicting omitted y from x gives Q² ≈ ρ² = 0.36."""
    data = _two_single_items(3000, 0.6, 1)
    model = PLSPM([("X", "Y")], {"X": ["x"], "Y": ["y"]}).fit(data)
    q2 = model.blindfolding()
    assert list(q2.columns) == ["construct", "sso", "sse", "q2"] and q2["construct"].tolist() == ["Y"]
    assert q2["sso"].iloc[0] == pytest.approx(3000, rel=0.01)  # every point omitted once, z² sums to n
    assert q2["q2"].iloc[0] == pytest.approx(0.36, abs=0.03)
    assert q2["q2"].iloc[0] == pytest.approx(model.r2_["Y"], abs=0.01)
    with pytest.raises(ParameterError):
        model.blindfolding(omission_distance=1)


def test_blindfolding_on_ecsi_is_positive_and_below_r2():
    from csworkbench.datasets import load_ecsi
    from csworkbench.pls import ecsi_model

    model = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi())
    q2 = model.blindfolding().set_index("construct")["q2"]
    assert set(q2.index) == set(model.r2_.index)
    assert (q2 > 0).all() and (q2 < model.r2_[q2.index]).all()


def test_pls_predict_equals_ols_for_single_items():
    """Hand computation: with one item per construct the PLS prediction of y is
    mean_y + sd_y · r · (x − mean_x)/sd_x, exactly the OLS prediction of the LM benchmark."""
    data = _two_single_items(400, 0.6, 2)
    model = PLSPM([("X", "Y")], {"X": ["x"], "Y": ["y"]}).fit(data)
    pred = model.pls_predict(k=10, n_repeats=2)
    assert list(pred.columns) == ["indicator", "construct", "rmse_pls", "mae_pls", "rmse_lm", "mae_lm", "q2_predict"]
    row = pred.iloc[0]
    assert row["rmse_pls"] == pytest.approx(row["rmse_lm"], abs=1e-10)
    assert row["mae_pls"] == pytest.approx(row["mae_lm"], abs=1e-10)
    assert row["rmse_pls"] == pytest.approx(5 * 0.8, rel=0.08)  # sd_y · sqrt(1 − ρ²)
    assert row["q2_predict"] == pytest.approx(0.36, abs=0.08)
    pd.testing.assert_frame_equal(pred, model.pls_predict(k=10, n_repeats=2))  # seeded
    with pytest.raises(ParameterError):
        model.pls_predict(k=1)


def test_pls_predict_beats_lm_on_a_true_composite_model():
    """Reflective truth (ξ → η, 4 items each, loadings 0.8): PLS pools the noisy items into one
    predictor and predicts out of sample at least as well as LM on all items (Shmueli et al. 2016)."""
    rng = np.random.default_rng(5)
    n = 150
    xi = rng.standard_normal(n)
    eta = 0.5 * xi + np.sqrt(0.75) * rng.standard_normal(n)
    items = {f"x{i}": 0.8 * xi + 0.6 * rng.standard_normal(n) for i in range(4)}
    items |= {f"y{i}": 0.8 * eta + 0.6 * rng.standard_normal(n) for i in range(4)}
    blocks = {"XI": [f"x{i}" for i in range(4)], "ETA": [f"y{i}" for i in range(4)]}
    pred = PLSPM([("XI", "ETA")], blocks).fit(pd.DataFrame(items)).pls_predict(k=10, n_repeats=3)
    assert len(pred) == 4 and (pred["construct"] == "ETA").all()
    assert (pred["rmse_pls"] < pred["rmse_lm"]).mean() >= 0.75
    assert (pred["q2_predict"] > 0).all()


def test_blindfolding_block_as_long_as_the_omission_distance(mobi):
    """ACSI on mobi: QUAL has 7 items and D = 7; numbering down the columns never omits a whole
    column (numbering case by case did, and the re-estimation broke down)."""
    from csworkbench.pls import acsi_model

    model = PLSPM(**acsi_model(), scheme="path").fit(mobi)
    q2 = model.blindfolding().set_index("construct")
    assert q2.loc["QUAL", "sso"] == pytest.approx(7 * len(mobi))
    assert q2["q2"].between(0, 1).all()
