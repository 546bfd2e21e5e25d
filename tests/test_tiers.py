"""tiers: customer value, pyramid, Pareto/Lorenz, ABC care plan, RFM, value classes, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csworkbench.datasets import load_cdnow
from csworkbench.datasets.transactions import make_transactions
from csworkbench.errors import DataError, DataWarning, ParameterError
from csworkbench.i18n import t
from csworkbench.tiers import (
    PYRAMID_TIERS,
    RFM_SEGMENTS,
    RFMClusters,
    abc_tiers,
    care_budget,
    care_plan,
    customer_pyramid,
    customer_value,
    differentiation_matrix,
    lorenz,
    lorenz_figure,
    pareto_curve,
    pyramid_figure,
    retention_economics,
    rfm,
    rfm_figure,
    strategic_score,
    strategy_matrix,
    tier_summary,
    value_classes,
)


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return load_cdnow(sample=True)


@pytest.fixture(scope="module")
def cdnow_value(cdnow) -> pd.DataFrame:
    return customer_value(cdnow)


# ----------------------------------------------------------------------------- customer value


def test_customer_value_on_cdnow_matches_the_source_totals(cdnow_value):
    cv = cdnow_value.table
    # SOURCES.md: 2,357 customers, total amount 244,091.94
    assert len(cv) == 2357
    assert cv["revenue"].sum() == pytest.approx(244091.94, abs=0.005)
    assert cv["records"].sum() == 6919
    assert cdnow_value.as_of == pd.Timestamp("1998-06-30")
    c = cv.set_index("customer_id").loc["00004"]
    assert (c["orders"], c["first_purchase"], c["last_purchase"]) == (
        4,
        pd.Timestamp("1997-01-01"),
        pd.Timestamp("1997-12-12"),
    )
    assert c["recency_days"] == (pd.Timestamp("1998-06-30") - pd.Timestamp("1997-12-12")).days


def test_customer_value_margin_returns_and_as_of():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "date": ["2024-01-01", "2024-01-05", "2024-02-01", "2024-01-03"],
            "amount": [100.0, -30.0, 50.0, 10.0],
            "m": [40.0, -12.0, 20.0, 2.0],
        }
    )
    cv = customer_value(tx, margin="m").table.set_index("customer_id")
    assert cv.loc["a", "revenue"] == 120.0 and cv.loc["a", "returns"] == -30.0
    assert cv.loc["a", "margin"] == 48.0 and cv.loc["a", "orders"] == 2
    with pytest.warns(DataWarning, match="after as_of"):
        early = customer_value(tx, margin_rate=0.5, as_of="2024-01-10").table.set_index("customer_id")
    assert early.loc["a", "revenue"] == 70.0 and early.loc["a", "margin"] == 35.0
    assert early.loc["a", "recency_days"] == 9  # last purchase 01-01: the return is not a purchase
    with pytest.raises(ParameterError, match="either a margin column or a margin_rate"):
        customer_value(tx, margin="m", margin_rate=0.2)


def test_parquet_path_equals_pandas(tmp_path):
    tx = make_transactions(3000, random_state=9)
    path = tmp_path / "tx.parquet"
    tx.to_parquet(path)
    a = customer_value(tx)
    b = customer_value(path)
    pd.testing.assert_frame_equal(a.table, b.table, check_dtype=False)
    pd.testing.assert_frame_equal(rfm(tx).table, rfm(path).table, check_dtype=False)


def test_parquet_bad_input_is_listed(tmp_path):
    raw = pd.DataFrame(
        {
            "customer_id": ["a", None, "b", "c", "c"],
            "date": ["2024-01-01", "2024-01-02", "not a date", "2024-01-03", "2024-01-04"],
            "amount": [1.0, 2.0, 3.0, -4.0, 5.0],
        }
    )
    path = tmp_path / "bad.parquet"
    raw.to_parquet(path)
    with pytest.warns(DataWarning, match="excluded"):
        cv = customer_value(path)
    problems = cv.problems
    assert dict(zip(problems["problem"], problems["row"])) == {
        "missing customer id": 2,
        "not a date: expected e.g. 2024-03-31": 3,
        "negative amount: treated as a return": 4,
    }
    assert list(cv.table["customer_id"]) == ["a", "c"]
    with pytest.raises(DataError, match="needs column 'value'"):
        customer_value(path, amount="value")
    (tmp_path / "x.csv").write_text("customer_id,date,amount\n007,2024-01-01,1\n")
    assert customer_value(tmp_path / "x.csv").table["customer_id"].tolist() == ["007"]  # a CSV file, ids as text
    with pytest.raises(DataError, match="no such file"):
        customer_value(tmp_path / "nothing.parquet")


def test_nan_ids_and_unparseable_dates_in_frames_are_listed():
    tx = pd.DataFrame(
        {"customer_id": ["a", None, "b"], "date": ["2024-01-01", "2024-01-02", "2024-13-45"], "amount": [1.0, 2.0, 3.0]}
    )
    with pytest.warns(DataWarning):
        cv = customer_value(tx)
    assert list(cv.table["customer_id"]) == ["a"]
    assert set(cv.problems["row"]) == {2, 3}


# ----------------------------------------------------------------------------- pyramid


def test_pyramid_default_cuts_on_distinct_values():
    v = pd.Series(np.arange(1000, 0, -1, dtype=float), index=[f"c{i}" for i in range(1000)])
    p = customer_pyramid(v, lang="en").table
    counts = p["tier"].value_counts()
    assert [counts[k] for k in PYRAMID_TIERS] == [10, 40, 150, 800]
    assert p["tier_label"].iloc[0] == "Super-heavyweight"
    assert customer_pyramid(v, lang="zh").table["tier_label"].iloc[-1] == "轻量级"
    s = tier_summary(p, lang="zh")
    assert s["customers"].iloc[-1] == 1000 and s["value_share"].iloc[:-1].sum() == pytest.approx(1.0)
    top = s.set_index("tier").loc["super_heavy"]
    assert top["value"] == sum(range(991, 1001)) and top["customer_share"] == 0.01


def test_pyramid_ties_go_to_the_upper_tier():
    # 100 customers; values 10 for the first 3, then 5 for 10 customers, then 1
    v = pd.Series([10.0] * 3 + [5.0] * 10 + [1.0] * 87)
    p = customer_pyramid(v, cuts=(0.01, 0.04, 0.15, 0.80)).table
    tiers = p.groupby("value")["tier"].unique()
    assert all(len(x) == 1 for x in tiers)  # never split
    assert tiers[10.0][0] == "super_heavy"  # first member at share 0 %: all 3 (3 % > nominal 1 %)
    assert tiers[5.0][0] == "heavy"  # first member at 3 %, inside 1 %–5 %
    assert tiers[1.0][0] == "sub_heavy"  # first member at 13 %, inside 5 %–20 %: the light tier stays empty


@given(st.lists(st.integers(min_value=0, max_value=6), min_size=5, max_size=60))
def test_pyramid_never_splits_ties(values):
    v = pd.Series(np.asarray(values, dtype=float) + 1)
    p = customer_pyramid(v).table
    assert (p.groupby("value")["tier"].nunique() == 1).all()
    order = {k: i for i, k in enumerate(PYRAMID_TIERS)}
    # higher value never in a lower tier
    ranks = p.assign(o=p["tier"].map(order)).sort_values("value", ascending=False)["o"]
    assert ranks.is_monotonic_increasing


def test_pyramid_thresholds_zero_negative_and_missing():
    v = pd.Series({"a": 500.0, "b": 120.0, "c": 60.0, "d": 5.0, "e": 0.0, "f": -10.0, "g": np.nan})
    with pytest.warns(DataWarning, match="missing value"):
        res = customer_pyramid(v, thresholds=(400, 100, 50), lang="en")
    p = res.table.set_index("customer_id")
    assert p.loc[["a", "b", "c", "d"], "tier"].tolist() == list(PYRAMID_TIERS)
    assert p.loc[["e", "f"], "tier"].tolist() == ["nonpositive", "nonpositive"]
    assert pd.isna(p.loc["g", "tier"])
    assert res.problems["value"].tolist() == ["g"] and res.problems["action"].tolist() == ["no tier"]
    with pytest.warns(DataWarning):
        light = customer_pyramid(v, nonpositive="light").table.set_index("customer_id")
    assert light.loc["f", "tier"] == "light"
    with pytest.raises(DataError, match="value <= 0"):
        customer_pyramid(v.dropna(), nonpositive="error")


def test_pyramid_bad_input():
    with pytest.raises(DataError, match="every customer's value is zero"):
        customer_pyramid(pd.Series([0.0, 0.0, 0.0]))
    with pytest.raises(ParameterError, match="sum"):
        customer_pyramid(pd.Series([1.0, 2.0]), cuts=(0.1, 0.1, 0.1, 0.1))
    with pytest.raises(ParameterError, match="descending"):
        customer_pyramid(pd.Series([1.0, 2.0]), thresholds=(1, 2, 3))
    frame = pd.DataFrame({"customer_id": ["a", None], "value": [1.0, 2.0]})
    with pytest.raises(DataError, match="customer id"):
        customer_pyramid(frame)
    with pytest.raises(DataError, match="more than once"):
        customer_pyramid(pd.DataFrame({"customer_id": ["a", "a"], "value": [1.0, 2.0]}))


def test_pyramid_on_cdnow_and_chart(cdnow_value):
    p = customer_pyramid(cdnow_value, value="revenue", lang="en")
    s = tier_summary(p, lang="en")
    cv = cdnow_value.table
    # CDNOW is concentrated: the top 5 % of customers hold about a third of the revenue
    top5 = s.set_index("tier").loc[["super_heavy", "heavy"], "value_share"].sum()
    assert 0.25 < top5 < 0.45
    assert (p.table["tier"] == "nonpositive").sum() == (cv["revenue"] <= 0).sum()
    fig = pyramid_figure(p, lang="en")
    assert list(fig.data[0].y)[0] == "Super-heavyweight"


# ----------------------------------------------------------------------------- Pareto / Lorenz


def test_gini_and_8020_figures_on_known_values():
    assert lorenz(pd.Series([5.0, 5, 5, 5])).gini == 0.0
    assert lorenz(pd.Series([1.0, 2, 3, 4, 5])).gini == pytest.approx(4 / 15)  # textbook value
    res = lorenz(pd.Series([80.0] + [20.0 / 4] * 4))  # 1 of 5 holds 80 %
    assert res.top20_share == pytest.approx(0.8) and res.share_for_80 == pytest.approx(0.2)
    curve = pareto_curve(pd.Series([3.0, 1, 6]))
    assert curve["value_share"].tolist() == pytest.approx([0, 0.6, 0.9, 1.0])
    assert res.top_share(0.4) == pytest.approx(0.85)
    summary = res.summary("zh")
    assert summary.loc[0, "measure_label"] == "基尼系数"


def test_lorenz_on_cdnow(cdnow_value):
    cv = cdnow_value.table
    res = lorenz(cv.assign(revenue=cv["revenue"].clip(lower=0)), value="revenue")
    assert 0.5 < res.gini < 0.8
    assert 0.55 < res.top20_share < 0.75
    fig = lorenz_figure(res, lang="en")
    assert len(fig.data) == 3


def test_lorenz_bad_input():
    with pytest.raises(DataError, match=">= 0"):
        lorenz(pd.Series([1.0, -1.0]))
    with pytest.raises(DataError, match="every value is zero"):
        lorenz(pd.Series([0.0, 0.0]))
    with pytest.warns(DataWarning, match="1 customer\\(s\\) with a missing value left out"):
        assert pareto_curve(pd.Series([1.0, np.nan]))["value_share"].tolist() == [0.0, 1.0]
    with pytest.warns(DataWarning):
        res = lorenz(pd.Series([3.0, np.nan, 1.0], index=["a", "b", "c"]))
    assert res.n_customers == 2 and res.problems[["value", "code", "action"]].values.tolist() == [
        ["b", "missing_value", "left out of the curve"]
    ]


# ----------------------------------------------------------------------------- ABC and care


def test_abc_and_care_plan_budget():
    v = pd.Series(np.arange(100, 0, -1, dtype=float), index=[f"k{i}" for i in range(100)])
    abc = abc_tiers(v, lang="zh")
    assert abc.table["tier"].value_counts().to_dict() == {"A": 20, "B": 30, "C": 50}
    assert abc.table.loc[0, "tier_label"] == t("tier.abc_A", "zh")
    plan = care_plan(abc, lang="zh")
    assert (plan.loc[plan["tier"] == "A", "budget"] <= 500).all()
    assert (plan.loc[plan["tier"] != "A", "budget"] <= 100).all()
    assert "年度旅游" in plan.loc[0, "activities"]
    budget = care_budget(plan, lang="en").set_index("tier")
    assert budget.loc["total", "budget"] == pytest.approx(20 * 460 + 30 * 85 + 50 * 5)
    assert budget.loc["total", "budget"] == pytest.approx(plan["budget"].sum())


def test_care_plan_caps_the_budget_and_checks_tiers():
    tiers = pd.DataFrame({"customer_id": ["a", "b"], "tier": ["A", "B"]})
    rich = {"A": [("trip", 2, 400.0)], "B": [("holiday_gift", 3, 25.0)]}
    with pytest.warns(DataWarning, match="exceeds the cap"):
        plan = care_plan(tiers, programme=rich)
    assert plan["budget"].tolist() == [500.0, 75.0] and plan["capped"].tolist() == [True, False]
    with pytest.raises(DataError, match="no care programme"):
        care_plan(pd.DataFrame({"customer_id": ["a"], "tier": ["D"]}))
    with pytest.raises(ParameterError, match="sum"):
        abc_tiers(pd.Series([1.0, 2.0]), shares=(0.5, 0.5, 0.5))


# ----------------------------------------------------------------------------- RFM


def test_rfm_quintiles_tie_rule_and_segments():
    n = 100
    cv = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "revenue": np.arange(1.0, n + 1),
            "orders": [1] * 60 + list(range(2, 42)),
            "recency_days": np.arange(n),
        }
    )
    out = rfm(cv, lang="en").table
    # 60 one-time buyers tie: all get the same (lowest) F score, never split
    assert out.loc[:59, "F"].nunique() == 1 and out.loc[0, "F"] == 1
    assert out["M"].value_counts().to_dict() == {5: 20, 4: 20, 3: 20, 2: 20, 1: 20}
    assert out.loc[0, "R"] == 5 and out.loc[99, "R"] == 1
    last = out.iloc[-1]
    assert last["rfm_cell"] == "155" and last["segment"] == RFM_SEGMENTS[(1, 5)] == "cant_lose"
    assert out.iloc[0]["segment_label"] == t("rfm.new_customer", "en")
    assert len(set(RFM_SEGMENTS.values())) == 10
    assert len(rfm_figure(out, lang="zh").data) == 1


def test_rfm_from_cdnow_transactions(cdnow):
    out = rfm(cdnow, lang="zh").table
    assert len(out) == 2357 and out[["R", "F", "M"]].notna().all().all()
    assert set(out["segment_label"]) <= {t(f"rfm.{k}", "zh") for k in set(RFM_SEGMENTS.values())}


def test_rfm_clusters_recover_planted_groups():
    rng = np.random.default_rng(1)
    sizes = [150, 200, 250]
    frame = pd.DataFrame(
        {
            "recency_days": np.r_[rng.integers(1, 15, 150), rng.integers(60, 120, 200), rng.integers(300, 500, 250)],
            "frequency": np.r_[rng.integers(20, 40, 150), rng.integers(4, 8, 200), rng.integers(1, 2, 250)],
            "monetary": np.r_[rng.uniform(2000, 4000, 150), rng.uniform(200, 400, 200), rng.uniform(10, 30, 250)],
        }
    )
    truth = np.repeat([0, 1, 2], sizes)
    model = RFMClusters(k_range=range(2, 7), random_state=0).fit(frame)
    assert model.k_ == 3
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand_score(truth, model.labels_) == 1.0
    prof = model.summary()
    assert prof["customers"].tolist() == sizes  # cluster 0 = highest monetary
    assert prof["monetary"].is_monotonic_decreasing
    assert (model.predict(frame.iloc[:5]) == 0).all()
    again = RFMClusters(k_range=range(2, 7), random_state=0).fit(frame)
    assert (again.labels_ == model.labels_).all()  # seeded
    with pytest.raises(DataError, match=">= 0"):
        RFMClusters().fit(frame.assign(monetary=-1.0))
    with pytest.raises(ParameterError, match="k_range"):
        RFMClusters(k_range=[1]).fit(frame)


# ----------------------------------------------------------------------------- value classes


def test_value_classes_and_matrices():
    d = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(10)],
            "current_value": [100.0, 90, 50, 40, 30, 20, 10, 5, -5, -50],
            "potential_value": [110.0, 95, 55, 200, 35, 300, 12, 6, 0, 0],
            "needs": [7, 2, 6, 1, 5, 2, 6, 1, 3, 2],
        }
    )
    vc = value_classes(d, lang="zh").set_index("customer_id")
    assert vc.loc[["c0", "c1"], "value_class"].tolist() == ["mvc", "mvc"]
    assert set(vc.index[vc["value_class"] == "mgc"]) == {"c5", "c3"}  # largest growth among the rest
    assert vc.loc[["c8", "c9"], "value_class"].tolist() == ["bzc", "bzc"]
    assert vc.loc["c0", "action"] == "retain" and vc.loc["c5", "action"] == "expand"
    assert vc.loc["c0", "value_class_label"] == "最具价值客户"
    sm = strategy_matrix("zh")
    assert sm["strategy"].tolist() == ["retain", "expand", "acquire", "diversify"] and sm["risk"].max() == 4
    # seed 004 (客户战略选择矩阵) names the four strategies exactly so
    assert sm["strategy_label"].tolist() == ["客户忠诚战略", "客户扩充战略", "客户获得战略", "客户多样化战略"]


def _customer_base(rng, n, value_sigma, needs_low, needs_high):
    return pd.DataFrame(
        {"current_value": rng.lognormal(6, value_sigma, n), "needs": rng.uniform(needs_low, needs_high, n)}
    )


def test_differentiation_matrix_places_customer_bases_not_customers():
    """Seed 001: Peppers & Rogers 针对顾客需求差异程度以及顾客价值差异程度高低将之分成四个区块 — the matrix places a
    customer base by how much its customers differ, so every customer of one base gets the same block."""
    rng = np.random.default_rng(3)
    planted = {  # value sigma (CV = sqrt(exp(s²) − 1)), needs range (sd = range / sqrt(12))
        "utility": (0.1, 3.5, 4.5, "mass_market"),
        "airline": (1.0, 3.5, 4.5, "value_differ"),
        "builder": (0.1, 1.0, 7.0, "needs_differ"),
        "software": (1.0, 1.0, 7.0, "one_to_one"),
    }
    d = pd.concat(
        [_customer_base(rng, 400, s, lo, hi).assign(firm=f) for f, (s, lo, hi, _) in planted.items()], ignore_index=True
    )
    res = differentiation_matrix(d, base="firm", lang="zh")
    tab = res.table.set_index("base")
    assert tab["quadrant"].to_dict() == {f: q for f, (*_, q) in planted.items()}
    assert tab.loc["software", "approach"].startswith("一对一") and tab.loc["utility", "approach"].startswith(
        "大众营销"
    )
    # the spreads are the stated measures, recomputed by hand
    air = d.loc[d["firm"] == "airline"]
    assert tab.loc["airline", "value_spread"] == pytest.approx(air["current_value"].std() / air["current_value"].mean())
    assert tab.loc["builder", "needs_spread"] == pytest.approx(d.loc[d["firm"] == "builder", "needs"].std())
    assert res.quadrants["bases"].tolist() == [1, 1, 1, 1] and (tab["customers"] == 400).all()
    # the old per-customer reading (high-value customers → one-to-one) is gone: one base, one block
    one = differentiation_matrix(d.loc[d["firm"] == "utility"], lang="en")
    assert len(one.table) == 1 and one.table.loc[0, "base"] == "All customers"
    assert one.table.loc[0, "quadrant"] == "mass_market"
    # Gini of value: 0 for equal values; the same bases with the Gini measure and its default cut
    gini = differentiation_matrix(d, base="firm", value_measure="gini").table.set_index("base")
    assert gini["quadrant"].to_dict() == tab["quadrant"].to_dict()
    flat = pd.DataFrame({"current_value": [5.0] * 4, "needs": [1, 2, 3, 4]})
    assert differentiation_matrix(flat, value_measure="gini").table.loc[0, "value_spread"] == 0.0


def test_differentiation_matrix_lists_what_it_cannot_place():
    d = pd.DataFrame(
        {"firm": ["a"] * 3 + ["b"] * 2, "current_value": [1.0, np.nan, 3, -5, 5], "needs": [1, 2, 7, 1, 7]}
    )
    with pytest.warns(DataWarning, match="1 customer"):
        tab = differentiation_matrix(d, base="firm").table.set_index("base")
    assert tab.loc["a", "n_missing"] == 1 and tab.loc["a", "customers"] == 2
    assert np.isnan(tab.loc["b", "value_spread"]) and pd.isna(tab.loc["b", "quadrant"])  # CV needs a positive mean
    with pytest.raises(ParameterError, match="value_measure"):
        differentiation_matrix(d, value_measure="range")
    with pytest.raises(DataError, match="no column 'segment'"):
        differentiation_matrix(d, base="segment")


def test_strategic_score_weights():
    from csworkbench.tiers import STRATEGIC_CRITERIA

    d = pd.DataFrame({"customer_id": ["x", "y", "z"], **{c: [3, 3, 3] for c in STRATEGIC_CRITERIA}})
    d.loc[0, "size"], d.loc[1, "influence"] = 5, 5
    equal = strategic_score(d).table
    assert equal["score"].tolist() == pytest.approx([3 + 2 / 7, 3 + 2 / 7, 3.0])
    size_res = strategic_score(d, weights={"size": 3, "influence": 1})
    size_first = size_res.table.set_index("customer_id")
    assert size_first.loc["x", "rank"] == 1 and size_first.loc["x", "score"] == pytest.approx(4.5)
    weights = size_res.weights.set_index("criterion")["weight"]
    assert weights["size"] == 0.75 and weights.sum() == pytest.approx(1.0)
    d.loc[2, "size"] = np.nan
    assert np.isnan(strategic_score(d).table.set_index("customer_id").loc["z", "score"])  # missing stays missing
    with pytest.raises(ParameterError, match="unknown criteria"):
        strategic_score(d, weights={"price": 1})
    with pytest.raises(DataError, match="missing column"):
        strategic_score(d.drop(columns="stability"))


def test_retention_economics_reproduces_the_course_figures():
    r = retention_economics(1, lang="zh").set_index("item")
    assert r.loc["people_per_unhappy", "value"] == 67  # 1 + 11 + 55
    # seed 001: 于是就有67(1十11+55)个人在说你企业的坏话 — people speaking ill, the customer included
    assert "people_hearing" not in r.index
    assert r.loc["people_speaking_ill", "item_label"] == "说企业坏话的人数"
    assert r.loc["people_speaking_ill", "value"] == 67 + 19 * 10  # 19 silent unhappy customers tell 10 each
    assert r.loc["unhappy_customers", "value"] == 20  # 95 % never complain
    r = retention_economics(50, churn_share=0.4, retention_cost=200, customer_value=1500).set_index("item")["value"]
    assert r["customers_lost"] == pytest.approx(400)
    assert r["replacement_cost"] == pytest.approx(400 * 200 * 3)
    assert r["value_at_risk"] == pytest.approx(400 * 1500)
    with pytest.raises(ParameterError, match="silent_share"):
        retention_economics(1, silent_share=1.0)


def test_report_tables_and_negative_values():
    from csworkbench.tiers import display_table, rfm_summary

    v = pd.Series({"a": 10.0, "b": -5.0, "c": 0.0, "d": 5.0})
    with pytest.warns(DataWarning, match="negative value counted as 0"):
        res = lorenz(v, negative="zero")
    assert res.total == 15.0 and res.n_customers == 4
    p = customer_pyramid(v, cuts=(0.5, 0.5, 0.0, 0.0), lang="en")
    shown = display_table(tier_summary(p, lang="zh"), "zh")
    assert list(shown.columns[:3]) == ["层级", "客户数", "客户占比"] and "tier" not in shown.columns
    assert shown.attrs == {}
    scores = rfm(
        pd.DataFrame(
            {
                "customer_id": list("abcdef"),
                "revenue": [1.0, 2, 3, 4, 5, 6],
                "orders": [1, 1, 2, 3, 4, 5],
                "recency_days": [50, 40, 30, 20, 10, 0],
            }
        ),
        lang="zh",
    )
    summary = rfm_summary(scores, lang="zh")
    assert scores.as_of is None and scores.problems.empty
    assert summary["customers"].sum() == 6 and summary["customer_share"].sum() == pytest.approx(1.0)
    assert summary["monetary_share"].sum() == pytest.approx(1.0)
    assert set(summary["segment_label"]) <= {t(f"rfm.{k}", "zh") for k in set(RFM_SEGMENTS.values())}


def test_results_can_be_saved_to_parquet(tmp_path):
    tx = pd.DataFrame(
        {"customer_id": ["a", None, "b"], "date": ["2024-01-01", "2024-01-02", "2024-01-03"], "amount": [1.0, 2.0, 3.0]}
    )
    with pytest.warns(DataWarning):
        cv = customer_value(tx)
    cv.table.to_parquet(tmp_path / "cv.parquet")
    cv.problems.to_parquet(tmp_path / "problems.parquet")  # the problem table is a plain frame too
    assert pd.read_parquet(tmp_path / "problems.parquet")["row"].tolist() == [2]


def test_rfm_clusters_follow_the_estimator_contract():
    from sklearn.base import clone

    from csworkbench.estimators import NotFittedError

    model = RFMClusters(k_range=range(2, 5), n_init=3, random_state=np.random.default_rng(3))
    twin = clone(model)
    assert twin.get_params()["k_range"] == range(2, 5) and twin.get_params()["n_init"] == 3
    assert twin.set_params(n_init=5) is twin and twin.n_init == 5
    with pytest.raises(NotFittedError):
        twin.predict(pd.DataFrame({"recency_days": [1.0], "frequency": [1], "monetary": [1.0]}))
    with pytest.raises(TypeError):
        RFMClusters(range(2, 4))  # keyword-only parameters


def test_care_plan_trip_outside_the_gift_cap_and_own_activity_names():
    # the course: daily gifts ≤ 500 yuan per key customer; the yearly trip is budgeted separately
    tiers = pd.DataFrame({"customer_id": ["a", "b"], "tier": ["A", "B"]})
    programme = {"A": [("trip", 1, 900.0, False), ("专属客服回访", 4, 150.0)], "B": [("holiday_gift", 3, 25.0)]}
    with pytest.warns(DataWarning, match="exceeds the cap"):
        plan = care_plan(tiers, programme=programme, lang="zh")
    a = plan.set_index("customer_id").loc["a"]
    assert a["uncapped_cost"] == 900.0 and a["budget"] == 500.0 + 900.0 and bool(a["capped"])
    assert "专属客服回访" in a["activities"]  # the user's own activity name, shown as written
    default = care_plan(tiers, lang="en").set_index("customer_id").loc["a"]
    assert default["uncapped_cost"] == 380.0 and default["budget"] == 460.0
    with pytest.raises(ParameterError, match="unit cost"):
        care_plan(tiers, programme={"A": [("trip", 1, -5.0)], "B": [("holiday_gift", 3, 25.0)]})
