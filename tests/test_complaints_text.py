"""Complaint text beyond character n-grams: jieba words, cross-validation, topics, escalation patterns.

Real text: a 2,000-review subsample of the bundled reviews_zh (the full 17k run is
bench/bench_complaints_text.py); categories: synthetic complaints with a known truth.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from nbtext import run_notebook
from scipy import stats

from csworkbench.complaints import (
    TRUSTED_TYPES,
    CharNgramTfidf,
    CharWordTfidf,
    ComplaintClassifier,
    JiebaWordTfidf,
    cross_validate_classifier,
    escalation_level,
)
from csworkbench.datasets import load_reviews_zh
from csworkbench.errors import ModelError, ParameterError


@pytest.fixture(scope="module")
def reviews():
    return load_reviews_zh().sample(2000, random_state=0).reset_index(drop=True)


# ------------------------------------------------------------------ jieba words


def test_jieba_is_lazy_silent_and_initialised_once():
    code = (
        "import sys\n"
        "import csworkbench.complaints as cx\n"
        "assert 'jieba' not in sys.modules\n"
        "cx.ComplaintClassifier(min_df=1, calibration=None).fit(['快递慢', '质量差'], ['a', 'b'])\n"
        "assert 'jieba' not in sys.modules  # character features never load it\n"
        "from csworkbench.complaints import text\n"
        "print(cx.segment_words(['物流太慢了，质量也很差']))\n"
        "first = text._tokenizer()\n"
        "cx.segment_words(['再分一次'])\n"
        "assert text._tokenizer() is first and first.initialized\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""  # no "Building prefix dict …" / "Loading model cost …"
    assert out.stdout.strip() == "[['物流', '太慢', '了', '质量', '也', '很', '差']]"


def test_word_tfidf_vocabulary_and_unseen_words():
    v = JiebaWordTfidf(min_df=1, min_length=2).fit(["快递太慢了", "快递很快，质量不错"])
    names = v.get_feature_names_out().tolist()
    assert names == sorted(names) and set(names) == {"太慢", "很快", "快递", "质量", "不错"}
    X = v.transform(["快递员态度好", "完全陌生"])
    assert X.shape == (2, len(v.vocabulary_)) and X[1].nnz == 0
    np.testing.assert_allclose(np.asarray(X[0].multiply(X[0]).sum()), 1.0, rtol=1e-5)
    bi = JiebaWordTfidf(ngram_range=(1, 2), min_df=1).fit(["快递太慢了"])
    assert "快递 太慢" in set(bi.get_feature_names_out())
    with pytest.raises(ModelError, match="not fitted"):
        JiebaWordTfidf().transform(["x"])


def test_char_word_union_rows_are_unit_length_and_names_line_up():
    texts = ["快递太慢了", "快递很快", "质量不错", "质量很差"] * 2
    v = CharWordTfidf(min_df=2, word_min_df=2)
    X = v.fit_transform(texts)
    names = v.get_feature_names_out()
    assert X.shape[1] == len(names) == len(v.idf_)
    np.testing.assert_allclose(np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel()), 1.0, rtol=1e-5)
    assert {"快递", "质量"} <= set(names[len(v.char_.idf_) :])  # the word block follows the characters
    # word_weight=0 is the character block alone (rows re-scaled to unit length: the same)
    zero = CharWordTfidf(word_weight=0.0).fit(texts)
    np.testing.assert_allclose(
        zero.transform(texts)[:, : len(zero.char_.idf_)].toarray(), CharNgramTfidf().fit_transform(texts).toarray()
    )


def test_char_word_classifier_explains_with_words_and_saves(reviews, tmp_path):
    train = reviews.iloc[:1500]
    clf = ComplaintClassifier(features="char+word", calibration=None).fit(train["text"], train["sentiment"])
    terms = clf.top_terms(20)
    words = set(clf.vectorizer_.word_.vocabulary_)
    for label in ("neg", "pos"):
        top = terms.loc[terms["label"] == label, "term"]
        assert (top.str.len() >= 2).any() and set(top) & words, label
    assert {"失望", "不错", "满意", "差"} & set(terms["term"])
    assert clf.summary()["n_terms"].iloc[0] == len(clf.vectorizer_.get_feature_names_out())
    for model in (clf, ComplaintClassifier(features="word", cv=2).fit(train["text"], train["sentiment"])):
        back = ComplaintClassifier.load(model.save(tmp_path / f"{model.features}.skops"))
        test = reviews["text"].iloc[1500:1700]
        np.testing.assert_allclose(back.predict_proba(test), model.predict_proba(test))
        assert back.features == model.features
    assert {"csworkbench.complaints.text.CharWordTfidf", "csworkbench.complaints.text.JiebaWordTfidf"} <= set(
        TRUSTED_TYPES
    )


def test_features_parameter_is_checked():
    with pytest.raises(ParameterError, match="features"):
        ComplaintClassifier(features="words").fit(["a", "b"], ["x", "y"])


# ------------------------------------------------------------------ cross-validation


def test_cross_validation_on_real_reviews(reviews):
    res = cross_validate_classifier(
        reviews["text"],
        reviews["sentiment"],
        models={
            "char": ComplaintClassifier(calibration=None),
            "char+word": ComplaintClassifier(features="char+word", calibration=None),
        },
        cv=3,
    )
    d = res.dedup.iloc[0]
    assert d["n_input"] == 2000 and d["n_kept"] < 2000 and d["split"] == "3-fold"
    folds = res.folds
    assert len(folds) == 6 and (folds.groupby("model")["n_test"].sum() == d["n_kept"]).all()  # each text tested once
    table = res.table.set_index("model")
    assert (table["macro_f1"] > 0.75).all()  # 2,000 reviews: below the 0.85 of the full 17k
    # the interval by hand: t(k-1) with the Nadeau–Bengio corrected variance
    s = folds.loc[folds["model"] == "char", "macro_f1"].to_numpy()
    ratio = (folds["n_test"] / folds["n_train"]).mean()
    se = s.std(ddof=1) * np.sqrt(1 / 3 + ratio)
    q = stats.t.ppf(0.975, 2)
    assert table.loc["char", "se"] == pytest.approx(se)
    assert table.loc["char", "ci_low"] == pytest.approx(max(s.mean() - q * se, 0))
    assert table.loc["char", "ci_high"] == pytest.approx(min(s.mean() + q * se, 1))
    diff = res.differences.iloc[0]
    paired = folds.pivot(index="fold", columns="model", values="macro_f1")
    assert diff["model"] == "char+word" and diff["reference"] == "char"
    assert diff["difference"] == pytest.approx((paired["char+word"] - paired["char"]).mean())
    assert diff["ci_low"] < diff["difference"] < diff["ci_high"]
    narrow = res.conf_int(0.5).set_index("model")
    assert (narrow["ci_high"] - narrow["ci_low"] < table["ci_high"] - table["ci_low"]).all()
    assert res.summary() is res.table


def test_cross_validation_bad_input():
    texts, labels = ["快递慢", "质量差", "态度差", "太贵了"] * 3, ["a", "b"] * 6
    with pytest.raises(ParameterError, match="cv"):
        cross_validate_classifier(texts, labels, cv=1)
    with pytest.raises(ParameterError, match="confidence"):
        cross_validate_classifier(texts, labels, confidence=95)
    with pytest.raises(ModelError, match="per class"):
        cross_validate_classifier(texts, labels, cv=5, models=ComplaintClassifier(min_df=1, calibration=None))


# ------------------------------------------------------------------ escalation patterns


@pytest.mark.parametrize(
    "story, level, evidence",
    [
        ("再也不买了", 2, "再也不买"),
        ("再也不来了！", 2, "再也不来"),
        ("这种服务，再也不在你们家买了", 2, "再也不在你们家买"),
        ("再也不会光顾了", 2, "再也不会光顾"),
        ("以后不在你家买了", 2, "以后不在你家买"),
        ("以后不在你们家买", 2, "以后不在你们家买"),
        ("给了个差评", 3, "给了个差评"),
        ("我要发到微博上", 3, "发到微博"),
        ("我要去工商局告你们", 4, "工商局, 去工商, 告你们"),
        ("我会打12315告你们", 4, "12315, 告你们"),
        ("去消协告你们", 4, "消协, 告你们"),
        ("我要告你们", 4, "告你们"),
        ("一定要曝光你们", 4, "曝光"),
        ("我会找媒体", 4, "媒体"),
        ("我会投诉到底", 4, "投诉到底"),
        ("已经发了律师函", 5, "律师函"),
        ("我要去法院起诉你们", 5, "起诉, 法院"),
        ("准备去法院告你们", 5, "法院"),  # a court makes 告你们 legal action
        ("see you in court", 5, "see you in court"),
        ("I will never shop here again", 2, "never shop"),
    ],
)
def test_escalation_patterns_pinned(story, level, evidence):
    got = escalation_level(pd.Series([story])).iloc[0]
    assert (got["level"], got["evidence"]) == (level, evidence)


@pytest.mark.parametrize(
    "story",
    [
        "不会去12315投诉",
        "我不会去工商局告你们",
        "没有去消协告你们",
        "我不打算曝光",
        "我没有给差评",
        "不想发到网上",
        "我不会发律师函",
        "I will not report you to the regulator",
        # look-alikes that are no cue at all
        "工商银行的卡被多扣了钱",
        "我向领导报告你们的问题",
        "广告你们做得很好",
    ],
)
def test_negated_and_look_alike_patterns_are_not_cues(story):
    assert escalation_level(pd.Series([story]))["level"].tolist() == [1]


def test_negation_is_per_clause_for_patterns():
    got = escalation_level(pd.Series(["我不会起诉，但再也不在你们家买了", "我没有投诉，以后不在你家买了"]))
    assert got["level"].tolist() == [2, 2]


def test_a_record_received_through_a_complaint_channel_is_a_complaint():
    """Seed 000: 向企业、顾客权益保护机构、舆论媒体等表示不满或提出要求 is level 4 — a record that reached the firm,
    a consumer body or the media is at least 4 whatever its text says; a survey answer is judged by its text."""
    log = pd.DataFrame(
        {
            "story": [
                "再也不买了",
                "东西一般",
                "不会去12315投诉",
                "已委托律师起诉",
                "朋友圈说了",
                "东西一般",
                "东西一般",
            ],
            "channel": ["12315", "12315", "12315", "hotline", "court", "court", "survey"],
            "lvl": [None, None, None, None, None, 3, None],
        }
    )
    got = escalation_level(log, level="lvl")
    assert got["level"].tolist() == [4, 4, 4, 5, 5, 5, 1]
    assert got["source"].tolist() == ["channel", "channel", "channel", "text", "channel", "channel", "none"]
    assert got["evidence"].iloc[0] == "12315 + 再也不买" and got["evidence"].iloc[1] == "12315"
    # without a text column the channel still tells how the customer expressed it
    assert escalation_level(log.drop(columns="story"))["level"].tolist() == [4, 4, 4, 4, 5, 5, 1]


def test_lexicon_patterns_are_checked(tmp_path):
    from csworkbench.errors import DataError

    bad = tmp_path / "lex.yml"
    bad.write_text('escalation:\n  "4":\n    zh: ["re:告(你们"]\n', encoding="utf-8")
    with pytest.raises(DataError, match="regular expression"):
        escalation_level(pd.Series(["告你们"]), lexicon_path=bad)
    own = tmp_path / "own.yml"
    own.write_text('escalation:\n  "4":\n    zh: ["re:找{clause}{0,3}领导"]\n', encoding="utf-8")
    assert escalation_level(pd.Series(["我要找你们领导", "我要找，领导"]), lexicon_path=own)["level"].tolist() == [4, 1]


# ------------------------------------------------------------------ topics


def _purity(truth: np.ndarray, found: np.ndarray) -> float:
    codes = np.unique(truth, return_inverse=True)[1]
    return sum(np.bincount(codes[found == c]).max() for c in np.unique(found)) / truth.size


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_topics_recover_synthetic_categories(lang):
    from sklearn.metrics import adjusted_rand_score

    from csworkbench.complaints import complaint_topics, mask_complaints
    from csworkbench.datasets import make_complaints

    log = mask_complaints(make_complaints(600, lang=lang, random_state=5))
    truth = log["category"].to_numpy()
    res = complaint_topics(log["story"], n_topics=7)
    found = res.assignments["topic"].to_numpy()
    # measured: zh ARI 0.33, purity 0.70; en ARI 0.34, purity 0.65 — one cluster would have
    # purity 0.32 (the largest category) and ARI 0
    assert adjusted_rand_score(truth, found) > 0.25 and _purity(truth, found) > 0.6
    assert res.topics.columns.tolist() == ["topic", "rank", "term", "weight"]
    assert res.topics.groupby("topic").size().max() == 10 and res.topics["topic"].nunique() == 7
    assert {"topic", "text", "weight"} <= set(res.examples.columns) and (
        res.examples.groupby("topic").size() <= 3
    ).all()
    # no escalation cue, date or masked digits among the terms
    assert not res.topics["term"].str.contains(r"[\d*]|投诉|曝光|律师|起诉").any()
    summary = res.summary()
    assert summary["n_texts"].sum() == 600 and summary["share"].sum() == pytest.approx(1.0)
    again = complaint_topics(log["story"], n_topics=7)
    pd.testing.assert_frame_equal(again.topics, res.topics)  # deterministic


def test_topics_char_word_and_bad_input():
    from csworkbench.complaints import complaint_topics
    from csworkbench.datasets import make_complaints
    from csworkbench.errors import DataError

    log = make_complaints(150, random_state=3)
    res = complaint_topics(log["story"], n_topics=4, features="char+word", n_terms=5)
    assert res.features == "char+word" and res.topics["topic"].nunique() == 4
    with pytest.raises(ParameterError, match="n_topics"):
        complaint_topics(log["story"], n_topics=1)
    with pytest.raises(ParameterError, match="features"):
        complaint_topics(log["story"], features="chars")
    with pytest.raises(DataError):
        complaint_topics(log["story"].head(2), n_topics=3)


@pytest.mark.notebook
def test_report_notebook_shows_topics_only_without_labels(tmp_path):
    import json
    from pathlib import Path

    from csworkbench.datasets import make_complaints

    notebook = Path(__file__).resolve().parent.parent / "notebooks" / "analysis" / "complaints.ipynb"
    path = tmp_path / "log.csv"
    make_complaints(200, lang="zh", random_state=7).drop(columns=["category"]).to_csv(path, index=False)
    nb = run_notebook(notebook, tmp_path, {"data_path": str(path), "lang": "en", "n_topics": 6})
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    text = "\n".join(json.dumps(o.get("data", {}), ensure_ascii=False) for c in nb.cells for o in c.get("outputs", []))
    assert "Complaint topics (the data have no category labels)" in text and "Top words" in text
    assert not re.search(r"1[3-9]\d{9}", text)  # topic examples are masked like every other text
