"""Tests of csworkbench.complaints on synthetic data with known truth and hand-computed figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from csworkbench import errors
from csworkbench.complaints import (
    CATEGORIES,
    DEPARTMENT_OF,
    CharNgramTfidf,
    ComplaintClassifier,
    KeywordClassifier,
    complaint_counts,
    complaint_examples,
    complaint_pareto,
    control_chart,
    escalation_funnel,
    escalation_level,
    evaluate,
    luhn_ok,
    macro_f1,
    mask_complaints,
    mask_pii,
    near_duplicate_groups,
    normalize_text,
    repeat_complainers,
    resolution_sla,
    silent_dissatisfied,
    suggest_labels,
    valid_id_number,
)
from csworkbench.complaints.evaluation import bootstrap_macro_f1
from csworkbench.datasets.complaints import STEP_MEAN_HOURS, make_complaints
from csworkbench.errors import DataError, ModelError
from csworkbench.i18n import t


@pytest.fixture(scope="module", params=["zh", "en"])
def log(request):
    return make_complaints(600, lang=request.param, random_state=5)


# ------------------------------------------------------------------ text features


def test_char_ngram_tfidf_equals_scikit_learn():
    texts = ["快递太慢了！！", "质量 很差，坏了", "Delivery was LATE", "ＡＢＣ全角", "送货慢", "质量差"] * 3 + ["x"]
    mine = CharNgramTfidf(ngram_range=(1, 3), min_df=2)
    X = mine.fit_transform(texts).toarray()
    ref = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, preprocessor=lambda d: normalize_text([d])[0]
    )
    R = ref.fit_transform(texts)
    names = ref.get_feature_names_out()
    assert sorted(mine.get_feature_names_out()) == sorted(names)
    order = pd.Index(names).get_indexer(mine.get_feature_names_out())
    np.testing.assert_allclose(X, R[:, order].toarray(), atol=1e-6)
    # unseen n-grams are ignored, not an error
    assert mine.transform(["完全陌生的字"]).shape == (1, X.shape[1])


def test_near_duplicates_grouped():
    texts = [
        "房间很大，早餐很差，服务员也不热情",
        "1. 房间很大, 早餐很差, 服务员也不热情!",
        "房间很大，早餐很差，服务员也不热情，下次不来了",
        "电脑散热很好，键盘手感一般",
        "电脑散热很好，键盘手感一般",
    ]
    g = near_duplicate_groups(texts)
    assert g[0] == g[1] == g[2]
    assert g[3] == g[4] != g[0]


# ------------------------------------------------------------------ privacy


def test_mask_pii_formats():
    s = "张三 13812345678 / +86 139-1234-5678 ID 11010519491231002X card 4111 1111 1111 1111 mail zhang.san@corp.cn"
    assert valid_id_number("11010519491231002X") and luhn_ok("4111111111111111")
    out = mask_pii(s, names="张三")
    for secret in ("张三", "13812345678", "139-1234-5678", "11010519491231002X", "4111 1111", "zhang.san@"):
        assert secret not in out
    assert "138****5678" in out and "139****5678" in out and "1101**********002X" in out
    assert "************1111" in out and "z***@corp.cn" in out
    # an 18-digit number with a wrong check digit is no ID; a 16-digit number failing Luhn is no card
    assert mask_pii("编号110105194912310021") == "编号110105194912310021"
    assert mask_pii("order 1234567890123456") == "order 1234567890123456"
    assert pd.isna(mask_pii(pd.Series(["a", None])).iloc[1])


def test_synthetic_pii_masked_everywhere(log):
    rows = log.attrs["truth"]["pii_rows"]
    assert len(rows) > 80
    masked = mask_complaints(log)
    for i in rows[:40]:
        raw, safe = log.loc[i, "story"], masked.loc[i, "story"]
        assert log.loc[i, "complainant"] in raw and log.loc[i, "complainant"] not in safe
        digits = [tok for tok in pd.Series(raw).str.findall(r"\d{11,19}[0-9X]?").iloc[0]]
        assert digits and not any(d in safe for d in digits)
    assert not masked["contact"].str.contains(r"\d{11}").any()


# ------------------------------------------------------------------ records and escalation


def test_synthetic_truth_structure(log):
    assert (log["department"] == log["category"].map(DEPARTMENT_OF)).all()
    assert set(log["category"]) <= set(CATEGORIES)
    assert log["story"].notna().all() and log["date"].is_monotonic_increasing


def test_escalation_recovered(log):
    got = escalation_level(log)
    assert (got["level"].to_numpy() == log["escalation_level"].to_numpy()).mean() == 1.0
    assert set(got.loc[log["escalation_level"] == 1, "source"]) == {"none"}
    lv5 = got[log["escalation_level"] == 5]
    assert (lv5["evidence"] != "").all()


@pytest.mark.parametrize(
    "story, level",
    [
        ("我不会起诉", 1),  # negated legal threat
        ("我不会起诉，但会去消协投诉", 4),  # negation ends at the clause: level 4 stays
        ("没有去消协投诉", 1),  # the trigger's scope covers both cues
        ("暂时不打算曝光", 1),
        ("不然我就起诉", 5),  # pseudo-negation: "otherwise"
        ("不得不起诉", 5),  # "have to sue"
        ("没办法只能打官司", 5),  # "no choice but"
        ("没人理我要投诉", 4),  # "nobody" is not a negation of the cue
        ("服务不好我要投诉", 4),  # 不 alone negates 好, not 投诉
        ("如果不解决我就起诉", 5),
        ("我不会再买了", 2),  # a trigger inside a cue is the cue
        ("已经告诉朋友了，不会再来", 3),
        ("I will not sue you", 1),
        ("we won't sue the company", 1),
        ("we won\u2019t sue the company", 1),
        ("I will not hesitate to sue you", 5),
        ("I will sue you", 5),
        ("the snot lawyer", 5),  # "snot" is not "not"
    ],
)
def test_escalation_negation(story, level):
    assert escalation_level(pd.Series([story]))["level"].tolist() == [level]


def test_received_complaints_are_at_least_level_4_and_levels_1_to_3_are_non_complaints():
    """Seed 000 (2.3 顾客抱怨): 1 虽然内心不满，但不采取任何行动, 2 不再重复购买, 3 向亲友传递不满信息 are 非投诉型抱怨;
    4 向企业、顾客权益保护机构、舆论媒体等表示不满或提出要求 and 5 采取法律行动 are 投诉型抱怨.  A record the firm
    received is a complaint (≥ 4); levels 1–3 come only from surveys, interviews or social media."""
    neutral = "东西一般，有点失望"
    log = pd.DataFrame(
        {
            "story": [neutral] * 7 + ["再也不买了"],
            "channel": ["hotline", "门店", "email", "consumer_association", "lawyer_letter", "survey", "微博", "app"],
        }
    )
    got = escalation_level(log)
    assert got["level"].tolist() == [4, 4, 4, 4, 5, 1, 3, 4]
    # a log without a channel column: received=True says every row reached the firm
    assert escalation_level(log.drop(columns="channel"), received=True)["level"].min() == 4
    assert escalation_level(log.drop(columns="channel"))["level"].tolist() == [1] * 7 + [2]
    labels = [t(f"complaints.level.{k}", "zh") for k in range(1, 6)]
    assert labels[0].endswith("虽然内心不满，但不采取任何行动") and labels[1].endswith("不再重复购买")
    assert labels[2].endswith("向亲友传递不满信息") and labels[4].startswith("5 采取法律行动")
    assert labels[3].endswith("向企业、顾客权益保护机构、舆论媒体等表示不满或提出要求")


def test_synthetic_products_fit_their_category_and_story(log):
    """Issue 17: no "床垫：座位不够…停车位太少" — the product comes from its category's own list and every phrase of
    the story fits both the category and that product."""
    from csworkbench.datasets.complaints import _STORIES

    lang = "zh" if log["story"].str.contains("。").any() else "en"
    every_phrase = {
        cat: {ph for _, _, phrases in groups for ph in phrases.split("|")} for cat, groups in _STORIES[lang].items()
    }
    for row in log.itertuples():
        groups = [g for g in _STORIES[lang][row.category] if row.product in g[1].split("|")]
        assert groups, (row.category, row.product)
        fitting = {ph for _, _, phrases in groups for ph in phrases.split("|")}
        found = {ph for ph in every_phrase[row.category] if ph in row.story}
        used = {ph for ph in found if not any(ph != o and ph in o for o in found)}  # 退款… inside 押金退款…
        assert used and used <= fitting, (row.product, row.story)
        others = {ph for cat, phs in every_phrase.items() if cat != row.category for ph in phs if len(ph) > 8}
        assert not any(ph in row.story for ph in others - every_phrase[row.category]), row.story
    # a mattress is never about seats or parking, a hotel never "bought"
    zh = make_complaints(800, lang="zh", random_state=21)
    mattress = zh.loc[zh["product"] == "床垫", "story"]
    assert len(mattress) > 0 and not mattress.str.contains("座位|停车|电梯").any()
    assert not zh["story"].str.contains("买了酒店|购买的酒店|买了会员卡|购买的会员卡").any()
    assert not zh.loc[zh["category"] == "facilities", "product"].isin(["床垫", "手机", "电饭煲"]).any()


def test_synthetic_log_levels_1_to_3_never_come_through_a_complaint_channel(log):
    from csworkbench.codes import CHANNEL_LEVEL

    complaint_channel = log["channel"].map(lambda c: (CHANNEL_LEVEL.get(c) or 0) >= 4)
    assert (log.loc[complaint_channel, "escalation_level"] >= 4).all()
    assert (log.loc[log["escalation_level"] >= 4, "channel"].map(CHANNEL_LEVEL) >= 4).all()
    assert set(log.loc[log["escalation_level"] <= 3, "channel"]) <= {"survey", "interview", "social_media"}


def test_escalation_recorded_and_bad_level():
    df = pd.DataFrame({"story": ["一般", "一般"], "lvl": [3, 7]})
    with pytest.raises(DataError, match="row 2"):
        escalation_level(df, level="lvl")
    ok = escalation_level(df.iloc[:1], level="lvl")
    assert ok["level"].tolist() == [3] and ok["source"].tolist() == ["recorded"]


# ------------------------------------------------------------------ classifiers


def test_synthetic_categories_recovered(log):
    ev = evaluate(log["story"], log["category"], split="group", groups=log["customer_id"], n_boot=200)
    table = ev.table.set_index("model")
    assert table.loc["classifier", "macro_f1"] >= 0.93 and table.loc["classifier", "accuracy"] >= 0.95
    assert table.loc["classifier", "macro_f1"] > table.loc["majority", "macro_f1"] + 0.5
    assert table.loc["keyword", "macro_f1"] >= 0.8
    # grouped split: no customer on both sides
    cust = log["customer_id"].to_numpy()
    assert not set(cust[ev.train_index]) & set(cust[ev.test_index])
    # department is a label too, and recovered as well
    dep = evaluate(
        log["story"], log["department"], model=ComplaintClassifier(calibration=None), keyword=None, n_boot=100
    )
    assert dep.table["macro_f1"].iloc[0] >= 0.95
    terms = ev.fitted.top_terms(5)
    assert set(terms["label"]) == set(log["category"]) and (terms.groupby("label").size() == 5).all()


def test_temporal_split_trains_on_earlier_months():
    log = make_complaints(350, lang="zh", random_state=9)
    ev = evaluate(log["story"], log["category"], split="temporal", dates=log["date"], n_boot=100)
    assert log["date"].iloc[ev.train_index].max() < log["date"].iloc[ev.test_index].min()
    assert ev.table["macro_f1"].iloc[0] >= 0.9


def test_evaluation_never_leaks_near_duplicates():
    rng = np.random.default_rng(0)
    base = make_complaints(200, lang="zh", pii_share=0, random_state=11)
    # every story twice more: once verbatim, once with a prefix and punctuation changed
    texts = pd.concat([base["story"], base["story"], "1. " + base["story"].str.replace("，", ",")], ignore_index=True)
    labels = pd.concat([base["category"]] * 3, ignore_index=True)
    order = rng.permutation(len(texts))
    texts, labels = texts.iloc[order].reset_index(drop=True), labels.iloc[order].reset_index(drop=True)
    ev = evaluate(texts, labels, n_boot=50, keyword=None)
    groups = near_duplicate_groups(texts)
    assert not set(groups[ev.train_index]) & set(groups[ev.test_index])
    assert ev.dedup["n_kept"].iloc[0] <= 200
    assert ev.dedup["n_exact_duplicates"].iloc[0] + ev.dedup["n_near_duplicates"].iloc[0] >= 400
    raw = evaluate(texts, labels, n_boot=50, keyword=None, dedup=False)
    assert raw.table["n_test"].iloc[0] > ev.table["n_test"].iloc[0]


def test_keyword_classifier_evidence_and_fallback():
    kw = KeywordClassifier(lang="zh").fit(["x", "y", "z"], ["billing", "billing", "delivery"])
    out = kw.explain(["快递一直没收到，物流不更新", "今天天气很好"])
    assert out["label"].tolist() == ["delivery", "billing"]
    assert "快递" in out["matched"].iloc[0] and out["n_matches"].iloc[1] == 0


def test_save_load_roundtrip_and_refuses_untrusted(tmp_path):
    log = make_complaints(120, lang="en", random_state=3)
    clf = ComplaintClassifier(cv=2).fit(log["story"], log["category"])
    path = clf.save(tmp_path / "m.skops")
    back = ComplaintClassifier.load(path)
    np.testing.assert_allclose(back.predict_proba(log["story"]), clf.predict_proba(log["story"]))
    import skops.io as sio

    class Evil:  # a type that is not on the trusted list
        pass

    sio.dump({"model": Evil()}, tmp_path / "evil.skops")
    with pytest.raises(ModelError, match="not trusted"):
        ComplaintClassifier.load(tmp_path / "evil.skops")


def test_probabilities_and_suggest_labels():
    log = make_complaints(300, lang="zh", random_state=4)
    clf = ComplaintClassifier().fit(log["story"].iloc[:200], log["category"].iloc[:200])
    proba = clf.predict_proba(log["story"].iloc[200:])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    assert (clf.predict(log["story"].iloc[200:]) == clf.classes_[proba.argmax(1)]).all()
    texts = log["story"].iloc[200:].tolist() + ["完全不相关的一句话"]
    sug = suggest_labels(clf, texts, n=5)
    p = np.sort(clf.predict_proba(texts), axis=1)
    margins = p[:, -1] - p[:, -2]
    assert sug["position"].tolist() == np.argsort(margins, kind="stable")[:5].tolist()


def test_classifier_bad_input():
    with pytest.raises(DataError, match="row 2"):
        ComplaintClassifier().fit(["a", None, "c"], ["x", "y", "x"])
    with pytest.raises(ModelError, match="two classes"):
        ComplaintClassifier().fit(["a", "b"], ["x", "x"])
    with pytest.raises(ModelError, match="not fitted"):
        ComplaintClassifier().predict(["a"])


def test_macro_f1_and_bootstrap_against_scikit_learn():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(1)
    y = rng.choice(list("abc"), 400)
    p = np.where(rng.random(400) < 0.7, y, rng.choice(list("abc"), 400))
    assert macro_f1(y, p) == pytest.approx(f1_score(y, p, average="macro"))
    f1 = bootstrap_macro_f1(y, p, n_boot=500)
    est, lo, hi = f1.estimate, f1.ci_low, f1.ci_high
    assert lo < est < hi and hi - lo < 0.15


# ------------------------------------------------------------------ analytics


def test_pareto_vital_few():
    df = pd.DataFrame({"category": ["a"] * 50 + ["b"] * 25 + ["c"] * 15 + ["d"] * 10})
    p = complaint_pareto(df)
    assert p["count"].tolist() == [50, 25, 15, 10]
    assert p["cumulative_percent"].tolist() == [50.0, 75.0, 90.0, 100.0]
    assert p["vital"].tolist() == [True, True, True, False]


def test_counts_by_month_and_quarter(log):
    m = complaint_counts(log, "department")
    assert m["count"].sum() == len(log) and m["period"].nunique() == 12
    q = complaint_counts(log, "region", period="Q", wide=True)
    assert len(q) == 4 and q["total"].sum() == len(log)


def test_c_chart_limits_by_hand_and_spike_detected():
    counts = [4, 6, 5, 5, 20]
    df = pd.DataFrame({"date": pd.date_range("2025-01-01", periods=5, freq="MS").repeat(counts)})
    cc = control_chart(df)
    cbar = np.mean(counts)
    assert cc["center"].iloc[0] == pytest.approx(cbar)
    assert cc["ucl"].iloc[0] == pytest.approx(cbar + 3 * np.sqrt(cbar))
    assert cc["lcl"].iloc[0] == pytest.approx(max(cbar - 3 * np.sqrt(cbar), 0))
    assert cc["signal"].tolist() == [False, False, False, False, True]
    spiked = make_complaints(1200, spike={"category": "delivery", "month": 10, "factor": 5}, random_state=2)
    p = control_chart(spiked, kind="p", where=spiked["category"] == "delivery")
    assert p.loc[p["signal"], "period"].tolist() == ["2025-10"]
    pbar = (spiked["category"] == "delivery").mean()
    n1 = p["n"].iloc[0]
    assert p["ucl"].iloc[0] == pytest.approx(pbar + 3 * np.sqrt(pbar * (1 - pbar) / n1))


def test_sla_recovers_known_delays():
    log = make_complaints(3000, open_share=0.0, random_state=6)
    sla = resolution_sla(log).set_index("step")
    # acknowledgement delay ~ Exp(12 h): median 12 ln 2, share within 24 h = 1 − e^−2
    assert sla.loc["acknowledged_at", "median_hours"] == pytest.approx(12 * np.log(2), rel=0.08)
    assert sla.loc["acknowledged_at", "within_sla"] == pytest.approx(1 - np.exp(-2), abs=0.02)
    mean_resolve = sum(STEP_MEAN_HOURS[s] for s in ("acknowledged_at", "cause_found_at", "resolved_at"))
    assert ((log["resolved_at"] - log["date"]).dt.total_seconds() / 3600).mean() == pytest.approx(
        mean_resolve, rel=0.05
    )
    open_log = make_complaints(300, open_share=0.3, random_state=6)
    s2 = resolution_sla(open_log).set_index("step")
    assert s2.loc["resolved_at", "n_open"] == open_log["resolved_at"].isna().sum() > 0
    assert s2.loc["resolved_at", "n"] == 300


def test_evaluate_on_few_texts_with_many_classes_does_not_crash():
    """30 labelled texts in 7 classes: a stratified 20 % test part (6 texts) cannot hold every class, so the
    split is a plain shuffle instead of scikit-learn's ValueError (a one-month report history hit this)."""
    log = make_complaints(400, lang="en", random_state=1)
    small = log.drop_duplicates("story").groupby("category", group_keys=False).head(4)
    assert small["category"].nunique() == 7 and (small["category"].value_counts() == 4).all()
    with pytest.raises(ValueError, match="should be greater or equal to the number of classes"):
        from sklearn.model_selection import StratifiedShuffleSplit

        next(StratifiedShuffleSplit(1, test_size=0.2, random_state=0).split(small["story"], small["category"]))
    ev = evaluate(small["story"], small["category"], n_boot=50)
    assert ev.table["n_test"].iloc[0] + ev.table["n_train"].iloc[0] <= 28 and ev.table["n_test"].iloc[0] >= 1


def test_funnel_repeats_silent():
    f = escalation_funnel([1, 1, 2, 4, 4, 4, 5])
    assert f["at_least"].tolist() == [7, 5, 4, 4, 1]
    # seed 000: 1–3 非投诉型抱怨, 4–5 投诉型抱怨; at_least at level 4 counts the complaints (4 of 7)
    assert f["kind"].tolist() == ["non_complaint"] * 3 + ["complaint"] * 2
    assert f.set_index("level").loc[4, "at_least"] == 4 and f["kind_label"].iloc[0] == "非投诉型抱怨"
    assert escalation_funnel([4], lang="en")["label"].iloc[0] == "1 Dissatisfied but takes no action"
    sd = silent_dissatisfied(1).set_index("quantity")["value"]
    assert sd["reach_per_unhappy"] == 67 and sd["dissatisfied"] == 20 and sd["silent"] == 19
    assert silent_dissatisfied(100, silent_share=0.9).set_index("quantity")["value"]["dissatisfied"] == 1000
    log = make_complaints(400, random_state=8)
    rep = repeat_complainers(log)
    truth = log.groupby("contact").size()
    assert rep["n_complaints"].sum() == truth[truth >= 2].sum()
    assert not rep["contact"].str.contains(r"\d{11}").any()
    ex = complaint_examples(log, n=2)
    assert (ex.groupby("category").size() == 2).all()
    assert not ex["text"].str.contains(r"1[3-9]\d{9}").any()


def test_analytics_bad_input():
    with pytest.raises(DataError, match="column 'nope'"):
        complaint_pareto(pd.DataFrame({"a": [1]}), by="nope")
    with pytest.raises(DataError, match="row 2"):
        complaint_counts(pd.DataFrame({"date": ["2025-01-01", "bad"], "category": ["a", "b"]}))


def test_classify_log_modes(tmp_path):
    from csworkbench.complaints import classify_log

    log = make_complaints(240, lang="zh", random_state=12)
    hidden = log.assign(category=log["category"].where(log.index % 4 > 0))
    data, quality, model = classify_log(hidden)
    assert (data["category_source"] == "model").sum() == 60 and data["category"].notna().all()
    assert (
        data.loc[data["category_source"] == "model", "category"] == log["category"][log.index % 4 == 0]
    ).mean() >= 0.85
    assert quality["model"].tolist() == ["classifier", "majority", "keyword"]
    path = model.save(tmp_path / "m.skops")
    d2, q2, _ = classify_log(hidden, model_path=str(path))
    assert q2["model"].tolist() == ["classifier"] and q2["macro_f1"].iloc[0] > 0.9
    d3, q3, _ = classify_log(log.drop(columns=["category"]), keyword_mode=True, lang="zh")
    assert q3 is None and (d3["category"] == log["category"]).mean() > 0.9


@pytest.mark.parametrize("rare", [1, 2])
def test_classify_log_with_a_rare_category_does_not_fail(rare):
    """A real log can hold a category with one or two labelled complaints: the evaluation
    calibrates with fewer folds (or none) instead of raising, and the rare texts keep their label."""
    from csworkbench.complaints import classify_log

    log = make_complaints(300, lang="zh", random_state=12)
    facilities = log.index[log["category"] == "facilities"]
    log = log.drop(facilities[rare:]).reset_index(drop=True)
    with pytest.raises(ModelError, match="calibration"):  # the model itself stays strict
        ComplaintClassifier().fit(log["story"], log["category"])
    data, quality, model = classify_log(log, n_boot=50)
    assert quality["model"].tolist() == ["classifier", "majority", "keyword"]
    assert (data["category"] == log["category"]).all()
    assert (data["category_source"] == "recorded").all()
    assert "facilities" in set(model.classes_)


def test_load_complaints_with_chinese_headers(tmp_path):
    from csworkbench.datasets import load_complaints

    log = make_complaints(60, lang="zh", random_state=13)
    raw = log.rename(
        columns={
            "complaint_id": "投诉编号",
            "date": "日期",
            "story": "投诉内容",
            "department": "责任部门",
            "customer_id": "客户号",
        }
    )
    raw["日期"] = raw["日期"].dt.strftime("%Y-%m-%d %H:%M").astype(object)
    raw.loc[3, "日期"] = "不是日期"
    path = tmp_path / "投诉.csv"
    raw.to_csv(path, index=False, encoding="gb18030")
    clean, problems = load_complaints(path)
    assert {"complaint_id", "date", "story", "department"} <= set(clean.columns)
    assert len(clean) == 59 and problems["row"].tolist() == [4] and problems["column"].tolist() == ["date"]
    assert clean["story"].iloc[0] == log["story"].iloc[0]


def test_classifiers_follow_the_estimator_contract():
    from sklearn.base import clone

    from csworkbench.estimators import NotFittedError

    model = ComplaintClassifier(C=2.0, cv=2)
    assert clone(model).get_params() == model.get_params() and model.get_params(deep=True)["C"] == 2.0
    assert model.set_params(C=3.0) is model and model.C == 3.0
    with pytest.raises(NotFittedError):
        model.predict(["送货太慢"])
    kw = KeywordClassifier(lexicon={"delivery": ["快递"]})
    with pytest.raises(NotFittedError):  # explain() never fits itself
        kw.explain(["快递没到"])
    assert not hasattr(kw, "lexicon_")
    assert kw.fit().explain(["快递没到"])["label"].tolist() == ["delivery"]
    with pytest.raises(errors.ParameterError):
        ComplaintClassifier(C=-1).fit(["a", "b", "c", "d"], ["x", "y", "x", "y"])
