"""tiers.uplift_tree: the course's bank experiment with a control group, on data with planted segments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from csworkbench.datasets.transactions import BANK_UPLIFT_SEGMENTS, make_bank_customers
from csworkbench.errors import DataError, DataWarning, ParameterError
from csworkbench.tiers import uplift_figure, uplift_tree

FEATURES = ["age", "salary", "owns_car", "children", "married", "liquid_assets", "pays_on_time"]


@pytest.fixture(scope="module")
def bank() -> pd.DataFrame:
    return make_bank_customers(20000, random_state=0)


@pytest.fixture(scope="module")
def result(bank):
    return uplift_tree(
        bank,
        "treatment",
        "response",
        FEATURES,
        max_depth=3,
        value_per_response=200,
        cost_per_contact=5,
        random_state=0,
        lang="en",
    )


def test_groups_are_balanced(result):
    assert result.balance["balanced"].all()
    assert set(result.balance["feature"]) == set(FEATURES)


def test_planted_segments_are_recovered(result, bank):
    leaves = result.leaves
    best = leaves.iloc[0]
    # the best leaf is the planted segment: age < 40, salary > 30,000, owns a car
    assert "age <= 39.5" in best["rule"] and "owns_car > 0.5" in best["rule"]
    assert "salary > 30050" in best["rule"]
    truth = BANK_UPLIFT_SEGMENTS["age < 40 and salary > 30000 and owns_car"]
    assert best["ci_low"] <= truth <= best["ci_high"]
    second = leaves.iloc[1]
    assert "owns_car <= 0.5" in second["rule"] and second["ci_low"] <= 0.15 <= second["ci_high"]
    # every other leaf holds customers whose true uplift is 0.02 and its interval covers it
    rest = leaves.iloc[2:]
    covered = ((rest["ci_low"] <= 0.02) & (0.02 <= rest["ci_high"])).mean()
    assert covered >= 0.75
    # the leaf's customers really are the planted segment (leaf purity)
    leaf_of = result.tree.apply(bank[FEATURES].to_numpy())
    members = bank[leaf_of == best["leaf"]]
    assert (members["segment"] == "age < 40 and salary > 30000 and owns_car").mean() > 0.95
    assert best["benefit"] == pytest.approx((best["uplift"] * 200 - 5) * best["customers"])


def test_rules_are_printed_in_both_languages(bank):
    zh = uplift_tree(
        bank,
        "treatment",
        "response",
        ["age", "salary", "owns_car"],
        lang="zh",
        feature_labels={"age": "年龄", "salary": "年薪", "owns_car": "有车"},
    )
    assert "年龄 <= 39.5" in zh.rules and "实验组响应率" in zh.rules
    assert " 且 " in zh.leaves.loc[0, "rule"]
    en = uplift_tree(bank, "treatment", "response", ["age", "salary", "owns_car"], lang="en")
    assert "uplift" in en.rules and " and " in en.leaves.loc[0, "rule"]
    assert uplift_figure(en, lang="en").data[0].type == "bar"
    assert len(uplift_figure(en, lang="zh").data) == 1


def test_unbalanced_groups_are_flagged(bank):
    skewed = bank.copy()
    skewed.loc[skewed["age"] < 40, "treatment"] = 1
    with pytest.warns(DataWarning, match="differ on"):
        res = uplift_tree(skewed, "treatment", "response", ["age", "salary"])
    assert not res.balance.set_index("feature").loc["age", "balanced"]


def test_bad_input(bank):
    with pytest.raises(DataError, match="no column"):
        uplift_tree(bank, "group", "response", FEATURES)
    bad = bank.assign(treatment=bank["treatment"].astype(float))
    bad.loc[5, "treatment"] = np.nan
    with pytest.raises(DataError, match="row 6"):
        uplift_tree(bad, "treatment", "response", FEATURES)
    with pytest.raises(DataError, match="0/1"):
        uplift_tree(bank.assign(response=bank["response"] * 2), "treatment", "response", FEATURES)
    with pytest.raises(DataError, match="numeric"):
        uplift_tree(bank, "treatment", "response", ["gender"])
    with pytest.raises(DataError, match="at least 20"):
        uplift_tree(bank.head(30), "treatment", "response", FEATURES)
    with pytest.raises(ParameterError, match="confidence"):
        uplift_tree(bank, "treatment", "response", FEATURES, confidence=95)


def test_confidence_sets_the_interval_width(bank, result):
    narrow = uplift_tree(
        bank,
        "treatment",
        "response",
        FEATURES,
        max_depth=3,
        value_per_response=200,
        cost_per_contact=5,
        random_state=0,
        lang="en",
        confidence=0.5,
    )
    pd.testing.assert_series_equal(narrow.leaves["uplift"], result.leaves["uplift"])  # same tree, same seed
    assert (
        (narrow.leaves["ci_high"] - narrow.leaves["ci_low"]) < (result.leaves["ci_high"] - result.leaves["ci_low"])
    ).all()
    assert len(result.train_rows) + len(result.holdout_rows) == int(bank["treatment"].sum())
