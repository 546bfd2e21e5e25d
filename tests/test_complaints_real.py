"""The complaint classifier on real Chinese customer text (bundled reviews_zh, sentiment labels).

The labels are sentiment (pos/neg), not complaint categories: this proves the character
n-gram model on real customer language after exact and near-duplicate removal.
"""

from __future__ import annotations

import pytest

from csworkbench.complaints import KeywordClassifier, evaluate, near_duplicate_groups
from csworkbench.datasets import load_reviews_zh


@pytest.fixture(scope="module")
def reviews():
    return load_reviews_zh()


@pytest.fixture(scope="module")
def result(reviews):
    # one fit per module: dedup → stratified 80/20 holdout → macro-F1 with a bootstrap CI
    return evaluate(
        reviews["text"],
        reviews["sentiment"],
        keyword=KeywordClassifier(scheme="sentiment"),
        n_boot=1000,
        random_state=0,
    )


def test_dedup_removed_duplicates(reviews, result):
    d = result.dedup.iloc[0]
    assert d["n_input"] == len(reviews) == 17363
    assert d["n_exact_duplicates"] > 0 and d["n_near_duplicates"] > 0
    assert d["n_kept"] == result.table["n_train"].iloc[0] + result.table["n_test"].iloc[0]


def test_no_near_duplicate_across_split(reviews, result):
    groups = near_duplicate_groups(reviews["text"])
    assert not set(groups[result.train_index]) & set(groups[result.test_index])


def test_macro_f1_on_deduplicated_holdout(result):
    table = result.table.set_index("model")
    clf = table.loc["classifier"]
    assert clf["macro_f1"] >= 0.85
    assert clf["ci_low"] < clf["macro_f1"] < clf["ci_high"] and clf["ci_high"] - clf["ci_low"] < 0.04
    # always beaten baselines, in the same table
    assert clf["ci_low"] > table.loc["keyword", "ci_high"]
    assert table.loc["majority", "macro_f1"] < 0.4


def test_top_terms_make_sense(result):
    terms = result.fitted.top_terms(15)
    neg = set(terms.loc[terms["label"] == "neg", "term"])
    pos = set(terms.loc[terms["label"] == "pos", "term"])
    assert {"差", "不"} & neg and {"不错", "好"} & pos


def test_probabilities_are_calibrated(reviews, result):
    # expected calibration error over 10 equal-width bins of P(pos), on the held-out texts
    import numpy as np

    test = reviews.iloc[result.test_index]
    model = result.fitted
    p = model.predict_proba(test["text"])[:, list(model.classes_).index("pos")]
    y = (test["sentiment"] == "pos").to_numpy()
    bins = np.minimum((p * 10).astype(int), 9)
    ece = sum(
        abs(p[bins == b].mean() - y[bins == b].mean()) * (bins == b).mean() for b in range(10) if (bins == b).any()
    )
    assert ece < 0.05
