"""Key-driver analysis (csworkbench.drivers) against published figures and known truth.

Published figures used:

* R ``datasets::attitude``, ``summary(lm(rating ~ ., data = attitude))`` (the example of R's
  ``?attitude`` help page): R² 0.7326, coefficients intercept 10.78708, complaints 0.61319,
  privileges −0.07305, learning 0.32033, raises 0.08173, critical 0.03838, advance −0.21706.
* R ``dominanceanalysis`` README (clbustos/dominanceAnalysis, ``print(da.attitude)`` and
  ``averageContribution(da.attitude)``): average contribution (general dominance) complaints
  0.371, privileges 0.051, learning 0.156, raises 0.120, critical 0.007, advance 0.028;
  complaints completely dominates all others, learning completely dominates privileges,
  raises, critical and advance, privileges and raises completely dominate critical; and
  subset R² values from ``summary(da.attitude)`` (complaints 0.681, complaints+learning 0.708,
  learning+raises+advance 0.552, …).
* R ``rwa`` documentation (martinctc.github.io/rwa/articles/regression-methods.html):
  ``rwa_multiregress(mtcars, "mpg", c("cyl", "disp", "hp", "wt"))`` gives raw weights
  0.2096904, 0.1883043, 0.1799590, 0.2706812, rescaled 24.70914, 22.18908, 21.20570, 31.89607,
  R² 0.8486, all signs negative.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from csworkbench.config import RAW_DIR
from csworkbench.drivers import (
    DominanceResult,
    KeyDriversResult,
    RelativeWeightsResult,
    composite_scores,
    dominance,
    importance_figure,
    key_drivers,
    relative_weights,
)
from csworkbench.errors import DataError, DataWarning, ModelError, ParameterError

ATT_X = ["complaints", "privileges", "learning", "raises", "critical", "advance"]
MT_X = ["cyl", "disp", "hp", "wt"]


@pytest.fixture(scope="module")
def attitude() -> pd.DataFrame:
    return pd.read_csv(RAW_DIR / "drivers" / "attitude.csv")


@pytest.fixture(scope="module")
def mtcars() -> pd.DataFrame:
    return pd.read_csv(RAW_DIR / "drivers" / "mtcars.csv")


# ----------------------------------------------------------------------------- key_drivers


def test_ols_matches_r_lm_on_attitude(attitude):
    res = key_drivers(attitude, "rating", ATT_X, standardize=False)
    assert isinstance(res, KeyDriversResult)
    assert round(res.r2, 4) == 0.7326
    r_coef = [0.61319, -0.07305, 0.32033, 0.08173, 0.03838, -0.21706]
    np.testing.assert_allclose(res.coefficients["estimate"], r_coef, atol=6e-6)
    assert list(res.coefficients.columns) == ["predictor", "estimate", "se", "ci_low", "ci_high", "p_value", "vif"]
    assert res.n == 30
    assert (res.method, res.standardize, res.target, res.confidence) == ("ols", False, "rating", 0.95)
    assert np.isnan(res.pseudo_r2) and res.r2_adj < res.r2
    # conf_int: estimate ± z·se, the intervals statsmodels gives with a robust covariance
    pd.testing.assert_frame_equal(res.conf_int(), res.coefficients[["predictor", "estimate", "ci_low", "ci_high"]])
    narrow = key_drivers(attitude, "rating", ATT_X, standardize=False, confidence=0.8).coefficients
    np.testing.assert_allclose(res.conf_int(0.8)[["ci_low", "ci_high"]], narrow[["ci_low", "ci_high"]], atol=1e-12)
    with pytest.raises(AttributeError):
        res.r2 = 0.5  # frozen result


def test_standardized_coefficients_and_hc3(attitude):
    raw = key_drivers(attitude, "rating", ATT_X, standardize=False).coefficients
    std = key_drivers(attitude, "rating", ATT_X).coefficients
    sd = attitude.std()
    np.testing.assert_allclose(std["estimate"], raw["estimate"] * sd[ATT_X].to_numpy() / sd["rating"], rtol=1e-10)
    # HC3 sandwich computed by hand
    X = np.column_stack([np.ones(len(attitude)), attitude[ATT_X].to_numpy()])
    y = attitude["rating"].to_numpy()
    XtXi = np.linalg.inv(X.T @ X)
    e = y - X @ (XtXi @ X.T @ y)
    h = np.einsum("ij,jk,ik->i", X, XtXi, X)
    cov = XtXi @ (X.T * (e / (1 - h)) ** 2) @ X @ XtXi
    np.testing.assert_allclose(raw["se"], np.sqrt(np.diag(cov))[1:], rtol=1e-8)
    assert (raw["ci_low"] < raw["estimate"]).all() and (raw["estimate"] < raw["ci_high"]).all()


def test_vif_is_one_over_one_minus_r2(attitude):
    import statsmodels.api as sm

    res = key_drivers(attitude, "rating", ATT_X).coefficients
    for i, x in enumerate(ATT_X):
        others = [c for c in ATT_X if c != x]
        r2 = sm.OLS(attitude[x], sm.add_constant(attitude[others])).fit().rsquared
        assert res.loc[i, "vif"] == pytest.approx(1 / (1 - r2), rel=1e-8)


def test_ordinal_logit_recovers_known_coefficients():
    rng = np.random.default_rng(5)
    n = 4000
    x1, x2 = rng.standard_normal(n), rng.standard_normal(n)
    latent = 0.8 * x1 - 0.5 * x2 + rng.logistic(size=n)
    rating = np.digitize(latent, [-2.0, -0.7, 0.7, 2.0]) + 1  # 1..5
    data = pd.DataFrame({"overall": rating, "x1": x1, "x2": x2})
    fit = key_drivers(data, "overall", ["x1", "x2"], method="ordinal", standardize=False)
    res = fit.coefficients
    est = res.set_index("predictor")["estimate"]
    assert est["x1"] == pytest.approx(0.8, abs=0.08)
    assert est["x2"] == pytest.approx(-0.5, abs=0.08)
    assert (res["ci_low"] < [0.8, -0.5]).all() and (res["ci_high"] > [0.8, -0.5]).all()
    assert 0 < fit.pseudo_r2 < 1 and np.isnan(fit.r2)


# ----------------------------------------------------------------------------- relative weights


def test_relative_weights_match_published_rwa_mtcars(mtcars):
    result = relative_weights(mtcars, "mpg", MT_X, n_boot=0)
    assert isinstance(result, RelativeWeightsResult) and result.n == 32 and len(result.samples) == 0
    rw = result.weights
    np.testing.assert_allclose(rw["raw_weight"], [0.2096904, 0.1883043, 0.1799590, 0.2706812], atol=5e-7)
    np.testing.assert_allclose(rw["rescaled"], [24.70914, 22.18908, 21.20570, 31.89607], atol=5e-5)
    assert round(result.r2, 4) == 0.8486
    assert (rw["sign"] == "-").all()
    assert rw["raw_weight"].sum() == pytest.approx(key_drivers(mtcars, "mpg", MT_X).r2, abs=1e-12)


def test_relative_weights_bootstrap_is_seeded(mtcars):
    res_a = relative_weights(mtcars, "mpg", MT_X, n_boot=400, random_state=3)
    a = res_a.weights
    b = relative_weights(mtcars, "mpg", MT_X, n_boot=400, random_state=3).weights
    pd.testing.assert_frame_equal(a, b)
    c = relative_weights(mtcars, "mpg", MT_X, n_boot=400, random_state=4).weights
    assert not np.allclose(a["ci_low"], c["ci_low"])
    pd.testing.assert_frame_equal(res_a.conf_int(0.95), a[["predictor", "raw_weight", "ci_low", "ci_high"]])
    assert ((a["ci_low"] < a["raw_weight"]) & (a["raw_weight"] < a["ci_high"])).all()
    assert ((a["rescaled_ci_low"] < a["rescaled"]) & (a["rescaled"] < a["rescaled_ci_high"])).all()
    assert relative_weights(mtcars, "mpg", MT_X, n_boot=0).weights["ci_low"].isna().all()
    # the defaults: 1000 resamples, random_state=0 (deterministic)
    d1, d2 = relative_weights(mtcars, "mpg", MT_X), relative_weights(mtcars, "mpg", MT_X)
    assert d1.n_boot == 1000 and len(d1.samples) == 1000
    pd.testing.assert_frame_equal(d1.weights, d2.weights)


def test_bootstrap_correlations_equal_resampled_rows(mtcars):
    """The count-weighted correlation of a resample equals the correlation of the resampled rows."""
    from csworkbench.drivers.common import boot_corr, complete_frame

    frame = complete_frame(mtcars, "mpg", MT_X)
    R = next(boot_corr(frame, 3, np.random.default_rng(9)))
    counts = np.random.default_rng(9).multinomial(len(frame), np.full(len(frame), 1 / len(frame)), size=3)
    rows = frame.iloc[np.repeat(np.arange(len(frame)), counts[1])]
    expected = rows[MT_X + ["mpg"]].corr().to_numpy()
    np.testing.assert_allclose(R[1], expected, atol=1e-12)


# ----------------------------------------------------------------------------- dominance


def test_general_dominance_matches_published_attitude(attitude):
    res = dominance(attitude, "rating", ATT_X, n_boot=0)
    assert isinstance(res, DominanceResult) and (res.n, res.target, res.n_boot) == (30, "rating", 0)
    gen = res.general.set_index("predictor")["general_dominance"]
    published = {
        "complaints": 0.371,
        "privileges": 0.051,
        "learning": 0.156,
        "raises": 0.120,
        "critical": 0.007,
        "advance": 0.028,
    }
    for k, v in published.items():
        assert round(gen[k], 3) == v
    assert res.exact and res.general["error_bound"].eq(0).all()
    assert gen.sum() == pytest.approx(0.7326019925, abs=1e-9)
    assert res.general["share"].sum() == pytest.approx(100)
    assert res.general.set_index("predictor")["rank"].to_dict() == {
        "complaints": 1,
        "learning": 2,
        "raises": 3,
        "privileges": 4,
        "advance": 5,
        "critical": 6,
    }


def test_complete_and_conditional_dominance_match_published(attitude):
    res = dominance(attitude, "rating", ATT_X, n_boot=0)
    comp = res.complete.set_index(["predictor", "other"])["complete"]
    dominated = {
        "complaints": {"privileges", "learning", "raises", "critical", "advance"},
        "privileges": {"critical"},
        "learning": {"privileges", "raises", "critical", "advance"},
        "raises": {"critical"},
        "critical": set(),
        "advance": set(),
    }
    for i, others in dominated.items():
        wins = {j for j in ATT_X if j != i and comp[(i, j)] == 1.0}
        assert wins == others, i
    cond = res.complete.set_index(["predictor", "other"])["conditional"]
    assert {j for j in ATT_X if j != "learning" and cond[("learning", j)] == 1} == dominated["learning"]
    gen = res.complete.set_index(["predictor", "other"])["general"]
    assert {j for j in ATT_X if j != "raises" and gen[("raises", j)] == 1} == {"privileges", "critical", "advance"}
    # conditional contributions: k = 0 is the single-predictor R² (README: 0.681, 0.389)
    c = res.conditional.set_index(["predictor", "k"])["contribution"]
    assert round(c[("complaints", 0)], 3) == 0.681 and round(c[("learning", 0)], 3) == 0.389


def test_subset_r2_match_published_table(attitude):
    from csworkbench.drivers.common import complete_frame, corr_target_last
    from csworkbench.drivers.shapley import subset_r2

    R = corr_target_last(complete_frame(attitude, "rating", ATT_X))
    sub = subset_r2(R[None])[0]
    bit = {x: 1 << i for i, x in enumerate(ATT_X)}
    published = {
        ("complaints", "learning"): 0.708,
        ("learning", "raises", "advance"): 0.552,
        ("privileges", "learning", "raises", "advance"): 0.563,
        ("critical", "advance"): 0.038,
    }
    for names, value in published.items():
        assert round(sub[sum(bit[n] for n in names)], 3) == value


def test_general_dominance_equals_lmg_by_refitting(mtcars):
    """lmg = average over all orderings of the R² increments, each model refitted by statsmodels."""
    import statsmodels.api as sm

    def r2(cols):
        if not cols:
            return 0.0
        return sm.OLS(mtcars["mpg"], sm.add_constant(mtcars[list(cols)])).fit().rsquared

    cache: dict[frozenset, float] = {}
    lmg = dict.fromkeys(MT_X, 0.0)
    for order in itertools.permutations(MT_X):
        for i, x in enumerate(order):
            before, after = frozenset(order[:i]), frozenset(order[: i + 1])
            for s in (before, after):
                if s not in cache:
                    cache[s] = r2(sorted(s))
            lmg[x] += (cache[after] - cache[before]) / math.factorial(len(MT_X))
    res = dominance(mtcars, "mpg", MT_X, n_boot=0).general.set_index("predictor")["general_dominance"]
    for x in MT_X:
        assert res[x] == pytest.approx(lmg[x], abs=1e-10)


def test_identities_on_random_data():
    rng = np.random.default_rng(21)
    n, p = 300, 7
    X = rng.standard_normal((n, p)) @ rng.standard_normal((p, p))
    y = X @ rng.standard_normal(p) + 3 * rng.standard_normal(n)
    cols = [f"x{i}" for i in range(p)]
    data = pd.DataFrame(X, columns=cols).assign(y=y)
    r2 = key_drivers(data, "y", cols).r2
    res = dominance(data, "y", cols, n_boot=0)
    assert res.r2 == pytest.approx(r2, abs=1e-10)
    assert res.general["general_dominance"].sum() == pytest.approx(r2, abs=1e-10)
    assert relative_weights(data, "y", cols, n_boot=0).weights["raw_weight"].sum() == pytest.approx(r2, abs=1e-10)
    cond = res.conditional.pivot(index="predictor", columns="k", values="contribution")
    np.testing.assert_allclose(cond.mean(axis=1)[cols], res.general.set_index("predictor")["general_dominance"][cols])
    # k = p-1: usefulness, R² lost when the predictor is dropped
    for x in cols[:2]:
        without = key_drivers(data, "y", [c for c in cols if c != x]).r2
        assert cond.loc[x, p - 1] == pytest.approx(r2 - without, abs=1e-10)


def test_sampled_permutations_agree_with_exact_within_bound(attitude):
    exact = dominance(attitude, "rating", ATT_X, n_boot=0).general.set_index("predictor")
    sampled = dominance(attitude, "rating", ATT_X, exact_max=3, n_permutations=20000, n_boot=0, random_state=2)
    assert not sampled.exact
    s = sampled.general.set_index("predictor")
    assert (s["error_bound"] > 0).all() and (s["error_bound"] < 0.01).all()
    assert (np.abs(s["general_dominance"] - exact["general_dominance"]) < 2 * s["error_bound"]).all()
    assert sampled.complete["complete"].isna().all()
    again = dominance(attitude, "rating", ATT_X, exact_max=3, n_permutations=20000, n_boot=0, random_state=2)
    pd.testing.assert_frame_equal(sampled.general, again.general)
    from csworkbench.errors import CSWWarning

    with pytest.warns(CSWWarning, match="no bootstrap intervals"):
        dominance(attitude, "rating", ATT_X, exact_max=3, n_permutations=1000, n_boot=10, random_state=2)


def test_dominance_bootstrap_intervals(attitude):
    res = dominance(attitude, "rating", ATT_X, n_boot=100, random_state=1)
    g = res.general
    assert (g["ci_low"] <= g["general_dominance"]).all() and (g["general_dominance"] <= g["ci_high"]).all()
    assert res.n_boot == 100 and res.samples.shape == (100, 6) and res.confidence == 0.95
    pd.testing.assert_frame_equal(res.conf_int(), g[["predictor", "general_dominance", "ci_low", "ci_high"]])


def test_twenty_predictors_use_sampling_quickly():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 20))
    data = pd.DataFrame(X, columns=[f"x{i}" for i in range(20)]).assign(
        y=X[:, :5].sum(axis=1) + rng.standard_normal(500)
    )
    res = dominance(data, "y", [f"x{i}" for i in range(20)], n_permutations=2000, n_boot=0, random_state=0)
    assert not res.exact
    top = set(res.general.nsmallest(5, "rank")["predictor"])
    assert top == {"x0", "x1", "x2", "x3", "x4"}
    assert res.general["general_dominance"].sum() == pytest.approx(res.r2, abs=1e-10)  # each permutation sums to R²


# ----------------------------------------------------------------------------- bad input


def test_missing_column_is_named(attitude):
    with pytest.raises(DataError) as err:
        relative_weights(attitude, "rating", ["complaints", "bonus"], n_boot=0)
    assert err.value.column == "bonus"


def test_constant_and_non_numeric_columns(attitude):
    with pytest.raises(ModelError, match="critical.*constant"):
        dominance(attitude.assign(critical=5), "rating", ATT_X, n_boot=0)
    bad = attitude.astype({"raises": object})
    bad.loc[7, "raises"] = "many"
    with pytest.raises(DataError) as err:
        key_drivers(bad, "rating", ATT_X)
    assert err.value.column == "raises" and err.value.row == 8


def test_missing_values_are_reported(attitude):
    data = attitude.copy()
    data.loc[0, "learning"] = np.nan
    with pytest.warns(DataWarning, match="1 of 30 rows"):
        res = key_drivers(data, "rating", ATT_X)
    assert res.n == 29


def test_bad_arguments(attitude):
    with pytest.raises(ParameterError, match="method"):
        key_drivers(attitude, "rating", ATT_X, method="probit")
    with pytest.raises(ParameterError, match="target"):
        dominance(attitude, "rating", ["rating", "complaints"])
    with pytest.raises(ParameterError, match="n_boot"):
        relative_weights(attitude, "rating", ATT_X, n_boot=1)
    with pytest.raises(ParameterError, match="confidence"):
        dominance(attitude, "rating", ATT_X, confidence=1.5)
    with pytest.raises(ModelError, match="complete rows"):
        key_drivers(attitude.head(5), "rating", ATT_X)


# ----------------------------------------------------------------------------- helpers, figures


def test_composite_scores_keep_missing():
    data = pd.DataFrame({"s1": [1.0, 2.0, np.nan], "s2": [3.0, 4.0, 5.0]})
    out = composite_scores(data, {"SAT": ["s1", "s2"]})
    assert out["SAT"].tolist()[:2] == [2.0, 3.0] and np.isnan(out["SAT"].iloc[2])


def test_importance_figure(mtcars, attitude):
    fig = importance_figure(relative_weights(mtcars, "mpg", MT_X, n_boot=50, random_state=0), lang="en")
    assert list(fig.data[0].y) == ["hp", "disp", "cyl", "wt"]
    assert fig.data[0].error_x.array is not None
    dom = dominance(attitude, "rating", ATT_X, n_boot=30, random_state=0)
    gen = dom.general
    fig2 = importance_figure(dom, value="share", lang="zh")
    assert max(fig2.data[0].x) == pytest.approx(gen["share"].max())
    assert fig2.data[0].error_x.array is not None


def test_packages_import_lazily():
    """``import csworkbench.drivers`` / ``csworkbench.pls`` load neither scikit-learn, plotly nor ipywidgets."""
    import subprocess
    import sys

    code = (
        "import sys, csworkbench.drivers, csworkbench.pls\n"
        "from csworkbench.drivers import dominance, relative_weights\n"
        "from csworkbench.pls import ecsi_model\n"
        "print(sorted(m for m in ('sklearn', 'plotly', 'ipywidgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    import csworkbench.drivers as drivers
    import csworkbench.pls as pls

    for module in (drivers, pls):
        for name in module.__all__:
            assert getattr(module, name) is not None
    assert callable(drivers.dominance)  # the function, not its submodule (drivers/shapley.py)
