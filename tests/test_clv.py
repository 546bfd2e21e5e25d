"""clv: the BG/NBD summary conventions, the published CDNOW estimates, synthetic truth, CLV, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from csworkbench.clv import (
    BetaGeoModel,
    GammaGammaModel,
    clv,
    clv_distribution_figure,
    clv_pyramid,
    holdout_comparison,
    summary_from_transactions,
    tracking,
    tracking_figure,
)
from csworkbench.datasets import load_cdnow
from csworkbench.datasets.transactions import make_transactions
from csworkbench.errors import ConvergenceError, DataError, DataWarning, ModelError, ParameterError
from csworkbench.estimators import NotFittedError
from csworkbench.tiers import customer_value, rfm

CAL, OBS = "1997-09-30", "1998-06-30"


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return load_cdnow(sample=True)


@pytest.fixture(scope="module")
def cdnow_result(cdnow):
    return summary_from_transactions(cdnow, CAL, OBS)


@pytest.fixture(scope="module")
def cdnow_summary(cdnow_result) -> pd.DataFrame:
    return cdnow_result.table


@pytest.fixture(scope="module")
def cdnow_bgnbd(cdnow_summary) -> BetaGeoModel:
    return BetaGeoModel().fit(cdnow_summary)


# ----------------------------------------------------------------------------- summary conventions


def test_cdnow_summary_matches_the_fader_hardie_summary(cdnow_summary, cdnow_result, cdnow):
    s = cdnow_summary
    # SOURCES.md: all 2,357 customers, 946 repeat buyers in the calibration period
    assert len(s) == 2357
    assert int((s["frequency"] > 0).sum()) == 946
    # sample id 1 = customer 00004: purchases 1997-01-01, 01-18, 08-02 (and 12-12 in the holdout)
    first = s.set_index("customer_id").loc["00004"]
    assert first["frequency"] == 2
    assert round(first["recency"], 2) == 30.43
    assert round(first["T"], 2) == 38.86
    assert first["monetary_value"] == pytest.approx(22.345)  # (29.73 + 14.96) / 2, the first purchase excluded
    assert first["frequency_holdout"] == 1 and first["duration_holdout"] == 39.0
    assert s.loc[s["frequency"] == 0, "monetary_value"].isna().all()  # missing, never zero
    # CDNOW holds 8 purchases worth $0: listed, counted as purchases (the published summary counts them)
    # and 21 records identical to an earlier one (customer, day, amount, quantity): flagged, not dropped —
    # same-day records are one transaction, so the published counts hold either way
    codes = cdnow_result.problems["code"].value_counts().to_dict()
    assert codes == {"duplicate_row": int(cdnow.duplicated().sum()), "zero_amount": 8} and cdnow_result.freq == "W"
    assert int(cdnow.duplicated().sum()) == 21
    assert set(cdnow_result.problems.loc[cdnow_result.problems["code"] == "duplicate_row", "action"]) == {"flagged"}


def test_same_day_purchases_count_once_and_are_summed():
    tx = pd.DataFrame(
        {
            "customer_id": ["a"] * 4,
            "date": ["2024-01-01", "2024-01-08", "2024-01-08", "2024-01-15"],
            "amount": [100.0, 3.0, 7.0, 20.0],
        }
    )
    s = summary_from_transactions(tx, "2024-01-15").table
    assert s.loc[0, "frequency"] == 2
    assert s.loc[0, "monetary_value"] == pytest.approx(15.0)  # (3 + 7) and 20: mean of two repeat days
    assert s.loc[0, "recency"] == pytest.approx(2.0) and s.loc[0, "T"] == pytest.approx(2.0)


def test_freq_days_and_months():
    tx = pd.DataFrame({"customer_id": ["a", "a"], "date": ["2024-01-01", "2024-01-15"], "amount": [1.0, 2.0]})
    d = summary_from_transactions(tx, "2024-01-10", freq="D").table
    assert (d.loc[0, "frequency"], d.loc[0, "recency"], d.loc[0, "T"], d.loc[0, "frequency_holdout"]) == (0, 0, 9, 1)
    m = summary_from_transactions(tx, "2024-01-15", freq="M").table
    assert m.loc[0, "recency"] == pytest.approx(14 / 30.4375)
    with pytest.raises(ParameterError, match="freq"):
        summary_from_transactions(tx, "2024-01-15", freq="Y")


def test_parquet_path_gives_the_same_summary(cdnow, cdnow_summary, tmp_path):
    path = tmp_path / "cdnow.parquet"
    cdnow[["customer_id", "date", "quantity", "amount"]].to_parquet(path)
    via_duckdb = summary_from_transactions(path, CAL, OBS).table
    pd.testing.assert_frame_equal(
        via_duckdb.reset_index(drop=True), cdnow_summary.reset_index(drop=True), check_dtype=False
    )
    # a folder of Parquet files (a dataset) too
    folder = tmp_path / "ds"
    folder.mkdir()
    half = len(cdnow) // 2
    cdnow.iloc[:half][["customer_id", "date", "amount"]].to_parquet(folder / "part-0.parquet")
    cdnow.iloc[half:][["customer_id", "date", "amount"]].to_parquet(folder / "part-1.parquet")
    from_folder = summary_from_transactions(folder, CAL, OBS).table
    assert from_folder["frequency"].sum() == cdnow_summary["frequency"].sum()


# ----------------------------------------------------------------------------- published figures


def test_bgnbd_matches_fader_hardie_lee_2005(cdnow_bgnbd):
    p = cdnow_bgnbd.params_
    # published: r = 0.2426, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.43
    assert round(p["r"], 4) == 0.2426
    assert round(p["alpha"], 3) == 4.414
    assert round(p["a"], 3) == 0.793
    assert round(p["b"], 3) == 2.426
    assert round(cdnow_bgnbd.log_likelihood_, 2) == -9582.43
    summary = cdnow_bgnbd.summary()
    assert list(summary["parameter"]) == ["r", "alpha", "a", "b"]
    assert (summary["se"] > 0).all() and (summary["ci_low"] < summary["estimate"]).all()


def test_gamma_gamma_matches_fader_hardie_lee_2005b(cdnow_summary):
    gg = GammaGammaModel().fit(frequency=cdnow_summary["frequency"], monetary_value=cdnow_summary["monetary_value"])
    # published on the 946 repeat buyers: p = 6.25, q = 3.74, gamma = 15.44
    assert gg.n_customers_ == 946
    assert round(gg.params_["p"], 2) == 6.25
    assert round(gg.params_["q"], 2) == 3.74
    assert round(gg.params_["gamma"], 2) == 15.44
    # the independence check: a weak correlation (Fader-Hardie report r = 0.11)
    pearson = gg.independence_.set_index("method").loc["pearson", "statistic"]
    assert round(pearson, 2) == 0.11


def _straightforward_fit(negll, start):
    """scipy's BFGS on the unaggregated sum with central-difference gradients (no analytic
    gradient, no aggregation, no scaling): the plain fit the fast one must agree with."""
    from scipy import optimize

    res = optimize.minimize(negll, np.log(start), jac="3-point", method="BFGS", options={"gtol": 1e-7, "maxiter": 5000})
    return np.exp(res.x), -res.fun


def test_fast_fits_agree_with_a_straightforward_fit_on_cdnow(cdnow_bgnbd, cdnow_summary):
    """Aggregation, analytic gradients, the per-customer scale and the moment start change the
    path, not the optimum: the estimates agree with a plain fit to 1e-6 (relative)."""
    x, tx, T = (cdnow_summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    one = np.ones(len(x))  # one row per customer: no aggregation
    theta, ll = _straightforward_fit(lambda z: -BetaGeoModel._loglik(np.exp(z), x, tx, T, one), [0.5, 5.0, 1.0, 3.0])
    np.testing.assert_allclose(cdnow_bgnbd.params_.to_numpy(), theta, rtol=1e-6)
    assert cdnow_bgnbd.log_likelihood_ == pytest.approx(ll, rel=1e-10)
    m = cdnow_summary["monetary_value"].to_numpy(dtype=float)
    use = x > 0
    theta, ll = _straightforward_fit(
        lambda z: -GammaGammaModel._loglik(np.exp(z), x[use], m[use]), [2.0, 3.0, float(np.mean(m[use]))]
    )
    gg = GammaGammaModel().fit(cdnow_summary)
    np.testing.assert_allclose(gg.params_.to_numpy(), theta, rtol=1e-6)
    assert gg.log_likelihood_ == pytest.approx(ll, rel=1e-10)


def test_fit_is_the_same_on_many_more_customers_per_history():
    """The objective is the mean per customer: the same histories repeated 1,000 times give the
    same estimates (the absolute gradient tolerance of a sum grew out of reach with n)."""
    s = summary_from_transactions(make_transactions(800, random_state=5), "2024-09-30").table
    big = pd.concat([s] * 1000, ignore_index=True)
    for model in (BetaGeoModel, GammaGammaModel):
        small_fit, big_fit = model().fit(s), model().fit(big)
        np.testing.assert_allclose(big_fit.params_.to_numpy(), small_fit.params_.to_numpy(), rtol=1e-6)
        assert big_fit.log_likelihood_ == pytest.approx(1000 * small_fit.log_likelihood_, rel=1e-9)
        np.testing.assert_allclose(big_fit.se_.to_numpy() * np.sqrt(1000), small_fit.se_.to_numpy(), rtol=1e-3)


def test_conditional_expectations_track_the_cdnow_holdout(cdnow_bgnbd, cdnow_summary):
    s = cdnow_summary
    expected = cdnow_bgnbd.expected_purchases(s["duration_holdout"], s["frequency"], s["recency"], s["T"]).sum()
    actual = s["frequency_holdout"].sum()
    assert actual == 1882
    # BG/NBD under-forecasts the CDNOW holdout a little (1,653 vs 1,882 repeat transactions)
    assert abs(expected - actual) / actual < 0.15
    # law of total expectation: the conditional forecasts add up to the cohort's unconditional one
    unconditional = tracking(load_cdnow(sample=True), cdnow_bgnbd, CAL, OBS).table
    assert expected == pytest.approx(unconditional.loc[unconditional["holdout"], "expected"].sum(), rel=0.02)
    table = holdout_comparison(s, cdnow_bgnbd)
    assert table["customers"].sum() == 2357
    # Fader-Hardie fig. 4: conditional expectations rise with calibration frequency
    assert table["expected"].is_monotonic_increasing


def test_tracking_plot_follows_the_cumulative_purchases(cdnow, cdnow_bgnbd, cdnow_summary):
    res = tracking(cdnow, cdnow_bgnbd, CAL, OBS)
    tr = res.table
    assert res.calibration_end == pd.Timestamp(CAL) and set(res.problems["code"]) == {"zero_amount", "duplicate_row"}
    assert len(tr) == 78  # 78 weeks, 1997-01-01 … 1998-06-30
    assert tr.loc[~tr["holdout"], "period_end"].iloc[-1] == pd.Timestamp(CAL)
    # the actual curve counts the same repeat transactions as the summary
    assert tr.loc[~tr["holdout"], "actual_cum"].iloc[-1] == cdnow_summary["frequency"].sum()
    assert tr["actual_cum"].iloc[-1] == cdnow_summary["frequency"].sum() + cdnow_summary["frequency_holdout"].sum()
    assert abs(tr["expected_cum"].iloc[-1] - tr["actual_cum"].iloc[-1]) / tr["actual_cum"].iloc[-1] < 0.05
    fig = tracking_figure(res, lang="en")
    assert [d.name for d in fig.data] == ["Actual", "BG/NBD model"]


# ----------------------------------------------------------------------------- synthetic truth


def test_synthetic_truth_is_recovered_within_standard_errors():
    tx = make_transactions(30000, random_state=11)
    truth = tx.attrs["truth"]
    s = summary_from_transactions(tx, "2024-09-30")
    m = BetaGeoModel().fit(s)
    g = GammaGammaModel().fit(s)
    for model in (m, g):
        for name in model.PARAMS:
            est, se = model.params_[name], model.se_[name]
            z = (np.log(est) - np.log(truth[name])) / (se / est)  # the fit's own (log) scale
            assert abs(z) < 3, f"{name}: estimate {est:.4f} ± {se:.4f} vs truth {truth[name]}"


def test_confidence_intervals_cover_the_truth_in_repeated_samples():
    covered = []
    for seed in range(10):
        tx = make_transactions(3000, random_state=200 + seed)
        summ = BetaGeoModel().fit(summary_from_transactions(tx, "2024-09-30")).summary(confidence=0.95)
        truth = np.array([tx.attrs["truth"][k] for k in BetaGeoModel.PARAMS])
        covered.append((summ["ci_low"].to_numpy() <= truth) & (truth <= summ["ci_high"].to_numpy()))
    rate = np.mean(covered, axis=0)
    assert (rate >= 0.7).all(), rate  # nominal 95 %; a broken SE would cover far less


def test_unconditional_expectation_matches_simulation():
    tx, truth = make_transactions(40000, cohort_days=1, random_state=5, return_truth=True)
    m = BetaGeoModel()
    m.params_ = pd.Series({k: tx.attrs["truth"][k] for k in m.PARAMS})
    # every customer starts on day 0 and is watched for 545 days (about 77.9 weeks)
    weeks = (545 - 0.5) / 7
    assert truth["n_repeat"].mean() == pytest.approx(m.expected_purchases_unconditional(weeks)[0], rel=0.05)


def test_gamma_gamma_expected_spend_recovers_customer_means():
    tx, truth = make_transactions(20000, random_state=6, return_truth=True)
    s = summary_from_transactions(tx, "2025-06-29").table.merge(truth, on="customer_id")
    g = GammaGammaModel().fit(s)
    rep = s[s["frequency"] >= 3]
    pred = g.conditional_expected_spend(rep["frequency"], rep["monetary_value"])
    # shrinkage towards the mean beats the raw repeat average as an estimate of p / nu
    err_model = np.mean((pred - rep["mean_spend"]) ** 2)
    err_raw = np.mean((rep["monetary_value"] - rep["mean_spend"]) ** 2)
    assert err_model < err_raw


# ----------------------------------------------------------------------------- CLV


def test_clv_without_discount_is_purchases_times_spend(cdnow_bgnbd, cdnow_summary):
    gg = GammaGammaModel().fit(cdnow_summary)
    out = clv(cdnow_summary, cdnow_bgnbd, gg, horizon_months=12, discount_rate=0.0, margin=1.0)
    np.testing.assert_allclose(out["clv"], out["expected_purchases"] * out["expected_spend"], rtol=1e-10)
    discounted = clv(cdnow_summary, cdnow_bgnbd, gg, horizon_months=12, discount_rate=0.15, margin=0.3)
    merged = out.merge(discounted, on="customer_id", suffixes=("", "_d"))
    assert (merged["clv_d"] <= merged["clv"] * 0.3 + 1e-12).all()
    assert out["clv"].is_monotonic_decreasing
    pyr = clv_pyramid(out, lang="en").table
    assert set(pyr["tier"]) <= {"super_heavy", "heavy", "sub_heavy", "light", "nonpositive"}
    assert len(clv_distribution_figure(out, lang="zh").data) == 1


def test_clv_rejects_bad_parameters(cdnow_bgnbd, cdnow_summary):
    gg = GammaGammaModel().fit(cdnow_summary)
    with pytest.raises(ParameterError, match="horizon_months"):
        clv(cdnow_summary, cdnow_bgnbd, gg, horizon_months=0)
    with pytest.raises(ParameterError, match="discount_rate"):
        clv(cdnow_summary, cdnow_bgnbd, gg, discount_rate=-2)


# ----------------------------------------------------------------------------- bad input


def _tx(**over):
    base = {
        "customer_id": ["a", "a", "b", "b", "c"],
        "date": ["2024-01-01", "2024-02-01", "2024-01-05", "2024-03-01", "2024-01-10"],
        "amount": [10.0, 20.0, 5.0, 7.0, 9.0],
    }
    base.update(over)
    return pd.DataFrame(base)


def test_calibration_end_outside_the_data():
    with pytest.raises(DataError, match="calibration_end 2023-12-31 is before the first transaction"):
        summary_from_transactions(_tx(), "2023-12-31")
    with pytest.raises(DataError, match="^(?!.*calibration_end).*observation_end 2023-12-31 is before"):
        summary_from_transactions(_tx(), observation_end="2023-12-31")  # names what was passed
    late = summary_from_transactions(_tx(), "2030-01-01")  # a cut-off after the last purchase is normal
    early = summary_from_transactions(_tx(), observation_end="2024-03-01")
    assert (late.table["T"] > early.table["T"]).all() and late.table["frequency"].equals(early.table["frequency"])
    with pytest.raises(ParameterError, match="before calibration_end"):
        summary_from_transactions(_tx(), "2024-02-01", "2024-01-20")
    with pytest.raises(ParameterError, match="calibration_end"):
        summary_from_transactions(_tx(), "not a date")


def test_unparseable_dates_and_missing_ids_are_listed():
    tx = _tx(
        date=["2024-01-01", "2024-02-30", "2024-01-05", "2024-03-01", "2024-01-10"],
        customer_id=["a", "a", None, "b", "c"],
    )
    with pytest.warns(DataWarning, match="excluded"):
        res = summary_from_transactions(tx, "2024-02-15")
    problems, s = res.problems, res.table
    assert {"not a date: expected e.g. 2024-03-31", "missing customer id"} <= set(problems["problem"])
    assert set(problems.loc[problems["action"] == "dropped", "row"]) == {2, 3}
    assert s.set_index("customer_id").loc["a", "frequency"] == 0


def test_returns_and_future_dates_are_excluded_and_listed():
    tx = _tx(
        amount=[10.0, -20.0, 5.0, 7.0, 9.0], date=["2024-01-01", "2024-02-01", "2024-01-05", "2099-03-01", "2024-01-10"]
    )
    with pytest.warns(DataWarning):
        res = summary_from_transactions(tx, "2024-01-20", today="2025-01-01")
    problems, s = res.problems, res.table
    assert "return (negative amount): not a purchase" in set(problems["problem"])
    assert any("after observation_end" in p for p in problems["problem"])
    assert res.observation_end == pd.Timestamp("2024-02-01")
    assert s.set_index("customer_id").loc["a", "frequency_holdout"] == 0  # the return is not a purchase


def test_customers_first_seen_after_calibration_are_listed():
    with pytest.warns(DataWarning, match="first purchase"):
        res = summary_from_transactions(_tx(), "2024-01-07")
    assert set(res.table["customer_id"]) == {"a", "b"}
    assert "c" in set(res.problems["value"])


def test_one_purchase_customers_only_cannot_fit():
    tx = pd.DataFrame({"customer_id": [f"c{i}" for i in range(30)], "date": ["2024-01-01"] * 30, "amount": [1.0] * 30})
    tx.loc[29, "date"] = "2024-03-01"
    s = summary_from_transactions(tx, "2024-03-01")
    with pytest.raises(DataError, match="repeat buyers"):
        BetaGeoModel().fit(s)
    with pytest.raises(DataError, match="repeat buyers"):
        GammaGammaModel().fit(s)


def test_non_convergence_says_so(cdnow_summary):
    with pytest.raises(ConvergenceError, match="did not converge"):
        BetaGeoModel(max_iter=2).fit(cdnow_summary)


def test_model_input_checks(cdnow_summary):
    with pytest.raises(ModelError, match="not fitted"):
        BetaGeoModel().probability_alive(1, 1, 2)
    with pytest.raises(NotFittedError):
        GammaGammaModel().summary()
    with pytest.raises(ParameterError, match="initial_params"):
        BetaGeoModel(initial_params={"r": -1}).fit(cdnow_summary)
    bad = cdnow_summary.copy()
    bad.loc[0, "recency"] = 99.0
    with pytest.raises(DataError, match="0 <= recency <= T"):
        BetaGeoModel().fit(bad)
    with pytest.raises(DataError, match="missing column"):
        BetaGeoModel().fit(cdnow_summary.drop(columns="T"))


def test_missing_amount_keeps_monetary_missing():
    tx = _tx(amount=[10.0, None, 5.0, 7.0, 9.0])
    s = summary_from_transactions(tx, "2024-03-01").table.set_index("customer_id")
    assert np.isnan(s.loc["a", "monetary_value"]) and s.loc["a", "frequency"] == 1
    assert s.loc["b", "monetary_value"] == 7.0


def test_probability_alive_properties(cdnow_bgnbd):
    pa = cdnow_bgnbd.probability_alive([0, 5, 5], [0, 38, 5], [39, 39, 39])
    assert pa[0] == 1.0 and pa[1] > pa[2]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(cdnow_bgnbd.probability_alive(500, 1, 78)).all()


# ------------------------------------------------------------------ 2F1 where scipy's series fails


def test_log_hyp2f1_integral_matches_scipy_where_scipy_works():
    from scipy import special

    from csworkbench.clv.bgnbd import _log_hyp2f1_integral

    for A, B, C, z in [(1.2, 50, 51.5, 0.9), (3, 10, 12, 0.5), (0.3, 2.4, 2.2, 0.97), (5.24, 52.4, 55.2, 0.8)]:
        assert _log_hyp2f1_integral(A, B, C, z) == pytest.approx(np.log(special.hyp2f1(A, B, C, z)), rel=1e-8)


def test_log_hyp2f1_where_scipy_fails_matches_the_series():
    """2F1(1, B; B + 1; z) = B Σ zⁿ / (B + n): scipy returns NaN at B = 1000, z = 0.99."""
    from scipy import special

    from csworkbench.clv.bgnbd import _log_hyp2f1

    B, z = 1000.0, 0.99
    assert not np.isfinite(special.hyp2f1(1.0, B, B + 1, z))  # the failure this guards against
    n = np.arange(200_000)
    assert float(_log_hyp2f1(1.0, B, B + 1, z)) == pytest.approx(np.log(B * np.sum(z**n / (B + n))), rel=1e-10)


def test_expectations_finite_and_sensible_for_a_large_b():
    """b = 1000 (hardly anyone drops out): E[X(t)] was NaN from t = 10 on; it must be finite,
    increasing in t, below the no-dropout NBD mean r·t/α and close to it for short horizons."""
    m = BetaGeoModel()
    m.params_ = pd.Series({"r": 1.0, "alpha": 1.0, "a": 2.0, "b": 1000.0})
    t = np.array([1.0, 10.0, 100.0, 1000.0])
    unconditional = m.expected_purchases_unconditional(t)
    assert np.isfinite(unconditional).all() and (np.diff(unconditional) > 0).all()
    assert (unconditional <= t).all() and unconditional[1] == pytest.approx(10.0, rel=0.03)
    conditional = m.expected_purchases(t, [5] * 4, [20.0] * 4, [30.0] * 4)
    assert np.isfinite(conditional).all() and (np.diff(conditional) > 0).all()


# ------------------------------------------------------------------ estimator contract


def test_models_follow_the_estimator_contract(cdnow_result, cdnow_bgnbd):
    from sklearn.base import clone

    for model in (BetaGeoModel(initial_params={"r": 0.5}, tol=1e-6), GammaGammaModel(max_iter=500)):
        twin = clone(model)
        assert twin.get_params() == model.get_params() and twin is not model
        assert not hasattr(twin, "params_")
    assert clone(cdnow_bgnbd).set_params(tol=1e-8).tol == 1e-8
    with pytest.raises(TypeError):
        BetaGeoModel({"r": 1.0})  # keyword-only parameters
    gg = GammaGammaModel().fit(cdnow_result)
    by_arrays = GammaGammaModel().fit(
        frequency=cdnow_result.table["frequency"], monetary_value=cdnow_result.table["monetary_value"]
    )
    pd.testing.assert_series_equal(gg.params_, by_arrays.params_)
    with pytest.raises(ParameterError, match="not both"):
        GammaGammaModel().fit(cdnow_result, frequency=[1, 2])
    with pytest.raises(ParameterError, match="recency"):
        BetaGeoModel().fit(frequency=[1, 2])


def test_summary_and_conf_int(cdnow_bgnbd):
    table = cdnow_bgnbd.summary()
    assert list(table.columns) == ["parameter", "estimate", "se", "ci_low", "ci_high"]
    assert table.attrs == {}
    wide, narrow = cdnow_bgnbd.conf_int(0.99), cdnow_bgnbd.conf_int(confidence=0.5)
    assert list(wide.columns) == ["parameter", "ci_low", "ci_high"]
    assert (wide["ci_low"] < narrow["ci_low"]).all() and (narrow["ci_high"] < wide["ci_high"]).all()
    np.testing.assert_allclose(cdnow_bgnbd.conf_int()["ci_low"], table["ci_low"])
    with pytest.raises(ParameterError, match="confidence"):
        cdnow_bgnbd.conf_int(1.5)


# ---------------------------------------------------------------- missing amounts in the CLV chain


def _gg_log(n: int, seed: int, p: float = 6.0, q: float = 4.0, g: float = 15.0) -> pd.DataFrame:
    """Gamma-Gamma buyers (known p, q, γ) whose repeat amounts are known on only some of their days."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 9, n)
    nu = rng.gamma(q, 1 / g, n)
    known = np.maximum(1, rng.binomial(x, 0.4))
    m = np.array([rng.gamma(p, 1 / v, k).mean() for v, k in zip(nu, known)])
    return pd.DataFrame({"frequency": x, "monetary_value": m, "monetary_days": known})


def test_gamma_gamma_weights_each_mean_by_its_known_days():
    s = _gg_log(4000, seed=7)
    right = GammaGammaModel().fit(s).params_
    # the same fit as on the arrays with the known days in place of frequency
    same = GammaGammaModel().fit(frequency=s["monetary_days"], monetary_value=s["monetary_value"]).params_
    np.testing.assert_allclose(right.to_numpy(), same.to_numpy(), rtol=1e-9)
    # ground truth p = 6, q = 4, γ = 15: weighting by frequency overstates how much each mean is
    # worth and biases p (about 4.2 here); weighting by the known days recovers it
    assert right["p"] == pytest.approx(6.0, rel=0.1) and right["q"] == pytest.approx(4.0, rel=0.1)
    wrong = GammaGammaModel().fit(s.drop(columns="monetary_days")).params_
    assert abs(wrong["p"] - 6.0) > 3 * abs(right["p"] - 6.0)
    with pytest.raises(DataError, match="monetary_days"):
        GammaGammaModel().fit(s.assign(monetary_days=s["frequency"] + 1))


def test_summary_counts_the_repeat_days_with_a_known_amount():
    tx = pd.DataFrame(
        {
            "customer_id": ["a"] * 4 + ["b"] * 3 + ["c"],
            "date": ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22", "2024-01-01", "2024-01-05", "2024-01-09"]
            + ["2024-01-03"],
            "amount": [10.0, np.nan, 30.0, 50.0, 5.0, np.nan, np.nan, 7.0],
        }
    )
    with pytest.warns(DataWarning):
        s = summary_from_transactions(tx, "2024-01-31", today="2025-01-01").table.set_index("customer_id")
    assert s["frequency"].tolist() == [3, 2, 0] and s["monetary_days"].tolist() == [2, 0, 0]
    assert s.loc["a", "monetary_value"] == 40.0 and np.isnan(s.loc["b", "monetary_value"])


def test_clv_states_where_each_expected_spend_comes_from():
    m = BetaGeoModel()
    m.params_ = pd.Series({"r": 0.2426, "alpha": 4.414, "a": 0.793, "b": 2.426})
    gg = GammaGammaModel()
    gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "gamma": 15.44})
    s = pd.DataFrame(
        {
            "customer_id": ["own", "one_of_three", "no_repeat", "unknown"],
            "frequency": [3, 3, 0, 2],
            "recency": [20.0, 20.0, 0.0, 10.0],
            "T": [30.0, 30.0, 30.0, 30.0],
            "monetary_value": [20.0, 20.0, np.nan, np.nan],
            "monetary_days": [3, 1, 0, 0],
        }
    )
    with pytest.warns(DataWarning, match=r"1 repeat buyer.*population mean spend.*: unknown"):
        out = clv(s, m, gg, horizon_months=12, annual_discount_rate=0.0).set_index("customer_id")
    p, q, g = 6.25, 3.74, 15.44
    assert out.loc["own", "expected_spend"] == pytest.approx(p * (g + 3 * 20.0) / (3 * p + q - 1))
    assert out.loc["one_of_three", "expected_spend"] == pytest.approx(p * (g + 1 * 20.0) / (p + q - 1))
    population = p * g / (q - 1)
    assert out.loc["no_repeat", "expected_spend"] == pytest.approx(population)
    assert out.loc["unknown", "expected_spend"] == pytest.approx(population)
    assert out["spend_basis"].to_dict() == {
        "own": "own",
        "one_of_three": "own",
        "no_repeat": "no_repeat_purchase",
        "unknown": "amounts_missing",
    }
    assert out.loc["unknown", "spend_basis_label"] == "总体平均（重复购买金额缺失）"
    with pytest.warns(DataWarning):
        en = clv(s, m, gg, lang="en").set_index("customer_id")
    assert en.loc["unknown", "spend_basis_label"] == "population mean (repeat amounts missing)"


def test_date_format_and_tz_reach_the_validation(tmp_path):
    tx = pd.DataFrame(
        {"customer_id": ["a", "a", "b"], "date": ["05/03/24", "20/03/24", "07/03/24"], "amount": [1.0, 2.0, 3.0]}
    )
    with pytest.raises(DataError, match="no valid transaction"):  # day/month order never guessed
        customer_value(tx, today="2025-01-01")
    cv = customer_value(tx, date_format="%d/%m/%y", today="2025-01-01")
    assert cv.table["first_purchase"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-05", "2024-03-07"]
    scores = rfm(tx, date_format="%d/%m/%y", today="2025-01-01", lang="en")
    assert scores.table["recency_days"].tolist() == [0, 13]
    s = summary_from_transactions(tx, "2024-03-31", date_format="%d/%m/%y", today="2025-01-01").table
    assert s["frequency"].tolist() == [1, 0] and s["recency"].tolist() == [15 / 7, 0.0]
    aware = pd.DataFrame({"customer_id": ["a"], "date": pd.to_datetime(["2024-03-01 23:30:00+00:00"]), "amount": [1.0]})
    aware.to_parquet(tmp_path / "aware.parquet")
    for source in (aware, tmp_path / "aware.parquet"):  # converted to Asia/Shanghai on every path
        shanghai = customer_value(source, today="2025-01-01")
        assert shanghai.table["first_purchase"].iloc[0] == pd.Timestamp("2024-03-02")
        assert shanghai.problems.empty
    utc = summary_from_transactions(aware, tz="UTC", today="2025-01-01")
    assert utc.table["first_purchase"].iloc[0] == pd.Timestamp("2024-03-01")
    assert rfm(aware, tz="UTC", today="2025-01-01", lang="en").as_of == pd.Timestamp("2024-03-01")
    model = BetaGeoModel()
    model.params_ = pd.Series({"r": 0.2426, "alpha": 4.414, "a": 0.793, "b": 2.426})
    track = tracking(tx, model, "2024-03-10", date_format="%d/%m/%y", today="2025-01-01")
    assert int(track.table["actual"].sum()) == 1  # a's repeat purchase on 20 March
