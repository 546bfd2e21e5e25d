"""clv beyond the BG/NBD: Pareto/NBD, MBG/NBD, BG/BB against their published figures; P(X(t) = n);
analytic gradients; model comparison; per-customer intervals and their coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, optimize, stats
from sklearn.base import clone

from csworkbench.clv import (
    BetaGeoBetaBinomModel,
    BetaGeoModel,
    GammaGammaModel,
    ModifiedBetaGeoModel,
    ParetoNBDModel,
    calibration_holdout_figure,
    clv,
    compare_models,
    holdout_comparison,
    summary_from_transactions,
)
from csworkbench.datasets import load_cdnow, load_donations
from csworkbench.errors import DataError, ParameterError
from csworkbench.estimators import NotFittedError

CAL, OBS = "1997-09-30", "1998-06-30"
FH_PARETO = {"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562}  # R BTYD walkthrough's estimate


@pytest.fixture(scope="module")
def cdnow_result():
    return summary_from_transactions(load_cdnow(sample=True), CAL, OBS)


@pytest.fixture(scope="module")
def cdnow_summary(cdnow_result) -> pd.DataFrame:
    return cdnow_result.table


@pytest.fixture(scope="module")
def pareto(cdnow_summary) -> ParetoNBDModel:
    return ParetoNBDModel().fit(cdnow_summary)


@pytest.fixture(scope="module")
def donations() -> pd.DataFrame:
    return load_donations()


def _with(model, params: dict):
    model.params_ = pd.Series(params)
    return model


# ----------------------------------------------------------------------------- published figures


def test_pareto_nbd_matches_fader_hardie_2005(pareto):
    """Fader & Hardie (2005), "A note on deriving the Pareto/NBD model and related expressions":
    CDNOW sample, calibration 1997-01-01 … 1997-09-30 in weeks: r = 0.5533, α = 10.5776,
    s = 0.6061, β = 11.6650, LL = −9594.98 (lifetimes' test: 0.553, 10.578, 0.606, 11.669)."""
    published = {"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67}
    for name, value in published.items():
        assert pareto.params_[name] == pytest.approx(value, rel=1e-2), name
    assert round(pareto.log_likelihood_, 2) == -9594.98
    assert list(pareto.summary()["parameter"]) == ["r", "alpha", "s", "beta"]
    assert (pareto.se_ > 0).all()


def test_pareto_nbd_expressions_match_r_btyd():
    """R BTYD walkthrough (via lifetimes' tests): with r, α, s, β = 0.5534, 10.5802, 0.6061,
    11.6562, P(alive | x = 26, tₓ = 30.86, T = 31) = 0.9979 and E[Y(52) | same] = 25.46."""
    m = _with(ParetoNBDModel(), FH_PARETO)
    assert m.probability_alive(26, 30.86, 31)[0] == pytest.approx(0.9979, abs=1e-3)
    assert m.expected_purchases(52, 26, 30.86, 31)[0] == pytest.approx(25.46, abs=0.01)
    # lifetimes' underflow guard: a tiny change of frequency changes the forecast a little
    left, right = m.expected_purchases(10, [132, 133], 200, 200)
    assert abs(left - right) < 0.05
    # both orderings of alpha and beta give probabilities in [0, 1]
    for params in (FH_PARETO, {"r": 10.465, "alpha": 7.98565181e-03, "s": 3.0516, "beta": 2.820}):
        p = _with(ParetoNBDModel(), params).probability_alive([40.0, 50, 50, 0], [5.0, 1, 4, 0], [6.0, 37, 37, 37])
        assert np.all((p >= 0) & (p <= 1)) and np.isfinite(p).all()


def test_mbgnbd_matches_btydplus(cdnow_summary):
    """lifetimes' tests/test_estimation.py, TestModifiedBetaGeoFitter.test_params_out_is_close_to_BTYDplus:
    on the CDNOW summary r, α, a, b = 0.525, 6.183, 0.891, 1.614 (R BTYDplus; decimal=3)."""
    m = ModifiedBetaGeoModel().fit(cdnow_summary)
    expected = np.array([0.525, 6.183, 0.891, 1.614])
    np.testing.assert_allclose(m.params_.to_numpy(), expected, atol=1.5e-3)
    # customers without repeat purchases are not all alive (the MBG/NBD's difference)
    assert m.probability_alive(0, 0, 38.86)[0] < 1


def test_bgbb_matches_fader_hardie_shang_2010(donations):
    """Fader, Hardie & Shang (2010), Marketing Science 29(6): α = 1.204, β = 0.750, γ = 0.657,
    δ = 2.783, LL = −33,225.6; table 6 P(alive in 2002) 0.11, 0.59, 0.93; Hardie's BG/BB
    spreadsheet (lifetimes' tests): Σ E[X(6, 11)] = 12,884.2, P(X(6) = 0)·N = 3,454.9 and
    P(X(6) = 6)·N = 1,253.1."""
    assert int(donations["weights"].sum()) == 11104 and len(donations) == 22
    m = BetaGeoBetaBinomModel().fit(donations)
    published = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
    for name, value in published.items():
        assert m.params_[name] == pytest.approx(value, abs=1e-3), name
    assert round(m.log_likelihood_, 1) == -33225.6
    assert m.n_customers_ == 11104
    d = donations
    alive = m.probability_alive(d["frequency"], d["recency"], d["n_periods"])
    picks = [((d["frequency"] == f) & (d["recency"] == r)).to_numpy() for f, r in ((0, 0), (2, 4), (6, 6))]
    np.testing.assert_allclose([alive[p][0] for p in picks], [0.11, 0.59, 0.93], atol=5e-3)
    total = (m.expected_purchases(5, d["frequency"], d["recency"], d["n_periods"]) * d["weights"]).sum()
    assert total == pytest.approx(12884.2, abs=0.5)
    np.testing.assert_allclose(m.probability_of_n_purchases(6, [0, 6]) * 11104, [3454.9, 1253.1], atol=0.5)
    # weights are the same as repeated rows
    exploded = d.loc[d.index.repeat(d["weights"])].drop(columns="weights")
    m2 = BetaGeoBetaBinomModel().fit(exploded)
    np.testing.assert_allclose(m2.params_, m.params_, rtol=1e-5)


def test_bgnbd_probability_of_n_purchases_matches_r_btyd():
    """R BTYD (via lifetimes' test_probability_of_n_purchases_up_to_time_same_as_R_BTYD):
    with r, α, a, b = 0.243, 4.414, 0.793, 2.426: P(X(2) = 10) = 1.07869e-07,
    P(X(39) = 0) = 0.5737864, P(X(30) = 11…20) as below."""
    m = _with(BetaGeoModel(), {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    assert m.probability_of_n_purchases(2, 10)[0] == pytest.approx(1.07869e-07, rel=1e-4)
    assert m.probability_of_n_purchases(39, 0)[0] == pytest.approx(0.5737864, abs=1e-7)
    pmf = [0.0019995214, 0.0015170236, 0.0011633150, 0.0009003148, 0.0007023638]
    pmf += [0.0005517902, 0.0004361913, 0.0003467171, 0.0002769613, 0.0002222260]
    np.testing.assert_allclose(m.probability_of_n_purchases(30, np.arange(11, 21)), pmf, atol=1e-9)
    p = m.probability_of_n_purchases(30, np.arange(400))
    assert p.sum() == pytest.approx(1.0, abs=1e-9)
    assert (np.arange(400) * p).sum() == pytest.approx(m.expected_purchases_unconditional(30)[0], rel=1e-6)


@pytest.mark.parametrize(
    "params",
    [FH_PARETO, {"r": 0.8, "alpha": 5.0, "s": 1.3, "beta": 20.0}, {"r": 2.0, "alpha": 3.0, "s": 0.5, "beta": 1.0}],
    ids=["cdnow", "alpha<beta", "alpha>beta"],
)
def test_pareto_probability_of_n_purchases_matches_its_integral(params):
    """P(X(t) = n) = S(t)·NBD(n; t) + ∫₀ᵗ f(τ) NBD(n; τ) dτ (lifetime τ ~ Pareto II(s, β)),
    integrated numerically, against Fader & Hardie's (2006) closed form — in both α ≥ β and α < β."""
    m = _with(ParetoNBDModel(), params)
    r, alpha, s, beta = (params[k] for k in ("r", "alpha", "s", "beta"))
    for t in (1.0, 39.0):
        for n in (0, 1, 4):

            def nbd(u, n=n):
                return stats.nbinom.pmf(n, r, alpha / (alpha + u))

            def died(u, nbd=nbd):
                return s / beta * (1 + u / beta) ** (-(s + 1)) * nbd(u)

            truth = (beta / (beta + t)) ** s * nbd(t) + integrate.quad(died, 0, t, epsabs=1e-13)[0]
            assert m.probability_of_n_purchases(t, n)[0] == pytest.approx(truth, abs=1e-9)
    p = m.probability_of_n_purchases(39, np.arange(300))
    assert p.sum() == pytest.approx(1.0, abs=1e-6)
    assert (np.arange(300) * p).sum() == pytest.approx(m.expected_purchases_unconditional(39)[0], rel=1e-4)


# ----------------------------------------------------------------------------- analytic gradients


def test_analytic_gradients_match_finite_differences(cdnow_summary, donations):
    s = cdnow_summary
    x, tx, T = (s[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    w = np.ones(len(x))
    cases = [
        (ModifiedBetaGeoModel, np.array([0.5, 6.0, 0.9, 1.6]), (x, tx, T, w)),
        (ModifiedBetaGeoModel, np.array([2.0, 1.0, 3.0, 0.4]), (x, tx, T, w)),
    ]
    d = [donations[c].to_numpy(dtype=float) for c in ("frequency", "recency", "n_periods", "weights")]
    cases += [(BetaGeoBetaBinomModel, np.array([1.1, 0.8, 0.7, 2.5]), tuple(d))]
    cases += [(BetaGeoBetaBinomModel, np.array([0.3, 4.0, 1.0, 0.2]), tuple(d))]
    for cls, theta, data in cases:
        analytic = cls._gradient(theta, *data)
        numeric = optimize.approx_fprime(
            np.log(theta), lambda lt, cls=cls, data=data: cls._loglik(np.exp(lt), *data), 1e-6
        )
        np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-3, err_msg=cls.__name__)


# ----------------------------------------------------------------------------- comparison and figure


def test_compare_models_on_cdnow(cdnow_result, cdnow_summary):
    models = {"BG/NBD": BetaGeoModel(), "Pareto/NBD": ParetoNBDModel(), "MBG/NBD": ModifiedBetaGeoModel()}
    table = compare_models(cdnow_result, models)
    assert list(table.columns) == [
        "model",
        "n_params",
        "n_customers",
        "log_likelihood",
        "aic",
        "bic",
        "actual",
        "expected",
        "aggregate_error",
        "mae",
        "rmse",
    ]
    assert table["model"].tolist() == list(models)
    assert not any(hasattr(m, "params_") for m in models.values())  # clones were fitted
    by = table.set_index("model")
    assert round(by.loc["BG/NBD", "log_likelihood"], 2) == -9582.43
    assert round(by.loc["Pareto/NBD", "log_likelihood"], 2) == -9594.98
    assert by.loc["BG/NBD", "aic"] == pytest.approx(2 * 9582.43 + 8, abs=0.01)
    assert by.loc["BG/NBD", "bic"] == pytest.approx(2 * 9582.43 + 4 * np.log(2357), abs=0.01)
    assert (by["actual"] == 1882).all()
    # all three under-forecast the CDNOW holdout by 10-20 %
    assert by["aggregate_error"].between(-0.2, -0.1).all()
    assert (by["mae"] < by["rmse"]).all()
    no_holdout = compare_models(cdnow_summary, [ParetoNBDModel()], holdout=False)
    assert no_holdout["model"].tolist() == ["ParetoNBDModel"] and "mae" not in no_holdout.columns
    with pytest.raises(ParameterError, match="continuous-time"):
        compare_models(cdnow_summary, [BetaGeoBetaBinomModel()])
    with pytest.raises(DataError, match="holdout"):
        compare_models(cdnow_summary.drop(columns="duration_holdout"), [BetaGeoModel()], holdout=True)
    per_model = {name: holdout_comparison(cdnow_summary, m.fit(cdnow_summary)) for name, m in models.items()}
    fig = calibration_holdout_figure(per_model, lang="en")
    assert [d.name for d in fig.data] == ["Actual", "BG/NBD", "Pareto/NBD", "MBG/NBD"]
    assert len(fig.data[0].x) == 8


# ----------------------------------------------------------------------------- uncertainty


def _simulate_bgnbd(params: dict, n: int, rng: np.random.Generator):
    """(x, tₓ, T) of n customers drawn from the BG/NBD with ``params`` (T 20-39 weeks)."""
    lam = rng.gamma(params["r"], 1 / params["alpha"], n)
    p = rng.beta(params["a"], params["b"], n)
    T = rng.integers(20, 40, n).astype(float)
    x, tx, now = np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        now[active] += rng.exponential(1 / lam[active])
        buys = active & (now <= T)
        x[buys] += 1
        tx[buys] = now[buys]
        active = buys & (rng.random(n) >= p)
    return x, tx, T


def test_predict_interval_covers_the_truth_in_repeated_samples():
    """Intervals from parameter draws cover E[Y(t) | history] and P(alive | history) at the true
    parameters in about 95 % of synthetic calibration samples."""
    truth = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}
    profiles = (np.array([0.0, 2, 6]), np.array([0.0, 30, 15]), np.array([39.0, 39, 39]))
    true_model = _with(BetaGeoModel(), truth)
    targets = {
        "expected_purchases": true_model.expected_purchases(39, *profiles),
        "probability_alive": true_model.probability_alive(*profiles),
    }
    rng = np.random.default_rng(7)
    hits = []
    for _ in range(16):
        x, tx, T = _simulate_bgnbd(truth, 1500, rng)
        m = BetaGeoModel().fit(frequency=x, recency=tx, T=T)
        for what, target in targets.items():
            iv = m.predict_interval(39, *profiles, what=what, n_draws=300, random_state=rng)
            live = target < 1  # P(alive) of a customer without repeats is 1 exactly
            hits.extend(((iv["ci_low"] <= target) & (target <= iv["ci_high"]))[live])
    rate = np.mean(hits)
    assert 0.8 <= rate <= 1.0, rate


def test_predict_interval_frame_and_arguments(pareto):
    iv = pareto.predict_interval(39, [0, 2, 10], [0, 30.43, 35], 38.86, n_draws=200)
    assert list(iv.columns) == ["estimate", "se", "ci_low", "ci_high"]
    assert ((iv["ci_low"] <= iv["estimate"]) & (iv["estimate"] <= iv["ci_high"])).all()
    again = pareto.predict_interval(39, [0, 2, 10], [0, 30.43, 35], 38.86, n_draws=200)
    pd.testing.assert_frame_equal(iv, again)  # random_state=0 by default
    wider = pareto.predict_interval(39, [0, 2, 10], [0, 30.43, 35], 38.86, n_draws=200, confidence=0.99)
    assert (wider["ci_high"] - wider["ci_low"] >= iv["ci_high"] - iv["ci_low"]).all()
    with pytest.raises(ParameterError, match="what"):
        pareto.predict_interval(39, 1, 2, 3, what="clv")
    with pytest.raises(ParameterError, match="n_draws"):
        pareto.predict_interval(39, 1, 2, 3, n_draws=1)
    with pytest.raises(ParameterError, match="confidence"):
        pareto.predict_interval(39, 1, 2, 3, confidence=95)


def test_clv_interval_and_discount_units(cdnow_summary):
    m = BetaGeoModel().fit(cdnow_summary)
    gg = GammaGammaModel().fit(cdnow_summary)
    head = cdnow_summary.head(50)
    out = clv(head, m, gg, n_draws=100)
    assert ((out["ci_low"] <= out["clv"]) & (out["clv"] <= out["ci_high"])).all()
    annual = clv(head, m, gg, annual_discount_rate=0.12)["clv"]
    same_monthly = clv(head, m, gg, monthly_discount_rate=1.12 ** (1 / 12) - 1)["clv"]
    former_name = clv(head, m, gg, discount_rate=0.12)["clv"]
    np.testing.assert_allclose(annual, same_monthly, rtol=1e-12)
    np.testing.assert_allclose(annual, former_name, rtol=1e-12)
    with pytest.raises(ParameterError, match="not both"):
        clv(head, m, gg, annual_discount_rate=0.1, monthly_discount_rate=0.01)
    # the other purchase models plug into clv as well
    assert clv(head, ParetoNBDModel().fit(cdnow_summary), gg)["clv"].notna().all()


# ----------------------------------------------------------------------------- estimator contract


@pytest.mark.parametrize("cls", [ParetoNBDModel, ModifiedBetaGeoModel, BetaGeoBetaBinomModel])
def test_not_fitted_and_clone(cls):
    m = cls(tol=1e-6)
    for method, args in (("probability_alive", (1, 2, 5)), ("expected_purchases", (1, 1, 2, 5))):
        with pytest.raises(NotFittedError):
            getattr(m, method)(*args)
    with pytest.raises(NotFittedError):
        m.predict_interval(1, 1, 2, 5)
    twin = clone(m)
    assert type(twin) is cls and twin.get_params() == m.get_params()


def test_bad_histories_are_data_errors(donations):
    with pytest.raises(DataError, match="inconsistent"):
        ParetoNBDModel().fit(frequency=[1, 0] * 10, recency=[0.0, 0] * 10, T=[5.0, 5] * 10)
    bad = donations.copy()
    bad.loc[0, "recency"] = 7
    with pytest.raises(DataError, match="inconsistent"):
        BetaGeoBetaBinomModel().fit(bad)
    with pytest.raises(ParameterError):
        _with(ParetoNBDModel(), FH_PARETO).probability_of_n_purchases(5, -1)
