"""Kano / needs window, IPA, the five gaps, Grönroos and the figure builders, against planted truth."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from csworkbench.datasets.servqual import load_cem_example, make_kano_survey, make_servqual_survey
from csworkbench.errors import DataWarning, ModelError
from csworkbench.gaps import (
    cem_table,
    five_gaps,
    gap_bar_figure,
    ipa,
    ipa_figure,
    item_heatmap_figure,
    kano_classify,
    kano_figure,
    needs_window,
    perceived_quality,
    servqual,
)

# --------------------------------------------------------------------------- Kano

# Berger et al. (1993), the standard evaluation table, typed out independently of the module
STANDARD = """
     like must neutral live dislike
like    Q    A     A     A    O
must    R    I     I     I    M
neutral R    I     I     I    M
live    R    I     I     I    M
dislike R    R     R     R    Q
"""


def test_kano_evaluation_table_all_25_pairs():
    lines = [ln.split() for ln in STANDARD.strip().splitlines()[1:]]
    f, d, expected = [], [], []
    for i, row in enumerate(lines, start=1):
        for j, cat in enumerate(row[1:], start=1):
            f.append(i)
            d.append(j)
            expected.append(cat)
    df = pd.DataFrame({"feature": "x", "functional": f, "dysfunctional": d})
    assert kano_classify(df).answers["category"].tolist() == expected


def test_kano_words_in_both_languages():
    df = pd.DataFrame(
        {
            "feature": ["a", "b", "c"],
            "functional": ["喜欢", "like", "理所当然"],
            "dysfunctional": ["不喜欢", "neutral", "不喜欢"],
        }
    )
    assert kano_classify(df).answers["category"].tolist() == ["O", "A", "M"]


def test_kano_recovers_planted_categories_with_better_worse():
    planted = {"wifi": "A", "on_time": "O", "safety": "M", "logo": "I", "music": "R"}
    res = kano_classify(make_kano_survey(400, planted, random_state=8, noise=0.25), lang="en")
    s = res.features.set_index("feature")
    assert s["category"].to_dict() == planted
    assert s.loc["safety", "category_name"] == "Must-be"
    # Better high for A/O, |Worse| high for O/M
    assert s.loc["wifi", "better"] > 0.6 and abs(s.loc["wifi", "worse"]) < 0.3
    assert s.loc["on_time", "better"] > 0.6 and abs(s.loc["on_time", "worse"]) > 0.6
    assert s.loc["safety", "better"] < 0.3 and abs(s.loc["safety", "worse"]) > 0.6
    shares = s[["A", "O", "M", "I", "R", "Q"]].sum(axis=1)
    assert shares.to_numpy() == pytest.approx(np.ones(5))


def test_kano_better_worse_by_hand():
    # 2 A, 1 O, 1 M, 1 I, 1 R (R is not in the denominator)
    df = pd.DataFrame({"feature": "f", "functional": [1, 1, 1, 2, 3, 5], "dysfunctional": [3, 4, 5, 5, 3, 1]})
    s = kano_classify(df).features.iloc[0]
    assert s["better"] == pytest.approx(3 / 5) and s["worse"] == pytest.approx(-2 / 5)
    assert s["category"] == "A" and s["A"] == pytest.approx(2 / 6)


def test_needs_window_view():
    s = pd.DataFrame({"feature": ["safety", "on_time", "wifi", "logo", "music"], "category": ["M", "O", "A", "I", "R"]})
    w = needs_window(s, {"safety": True, "on_time": False, "wifi": True, "logo": True}, lang="zh")
    assert w["window"].tolist()[:4] == ["本该如此", "大势不好", "喜出望外", "多此一举"]
    assert pd.isna(w["window"].iloc[4]) and w["if_not_provided"].iloc[4] == "无伤大雅"
    assert w["wanted"].tolist() == [True, True, False, False, False]


# --------------------------------------------------------------------------- IPA


def test_ipa_mean_and_median_crosshairs_and_derived_importance():
    perf = pd.DataFrame({"attribute": list("abcde"), "performance": [6.0, 3.0, 6.5, 3.5, 10.0]})
    # a driver model's output with its own column names (e.g. relative weights)
    drivers = pd.DataFrame({"driver": list("abcde"), "raw_weight": [0.30, 0.25, 0.05, 0.10, 0.30]})
    mean = ipa(perf, drivers, importance_attribute="driver", importance_col="raw_weight", lang="en")
    assert mean["performance_cross"].iloc[0] == pytest.approx(5.8)
    assert mean["quadrant"].tolist() == ["keep_up", "concentrate", "overkill", "low_priority", "keep_up"]
    med = ipa(perf, drivers, importance_attribute="driver", importance_col="raw_weight", crosshair="median", lang="zh")
    assert med["performance_cross"].iloc[0] == 6.0 and med["importance_cross"].iloc[0] == 0.25
    assert med["quadrant"].tolist() == ["keep_up", "concentrate", "overkill", "low_priority", "keep_up"]
    assert med["quadrant_name"].iloc[1] == "重点改进区"


def test_ipa_reports_attributes_missing_from_one_table():
    perf = pd.DataFrame({"attribute": ["a", "b", "c"], "performance": [1, 2, 3]})
    imp = pd.DataFrame({"attribute": ["a", "b", "z"], "importance": [1, 2, 3]})
    with pytest.warns(DataWarning, match=r"\['c', 'z'\]"):
        out = ipa(perf, imp)
    assert out["attribute"].tolist() == ["a", "b"]


def test_ipa_on_servqual_dimensions_uses_stated_importance():
    res = servqual(make_servqual_survey(300, random_state=2))
    perf = res.dimensions.rename(columns={"dimension": "attribute", "perception": "performance"})
    out = ipa(perf, perf, lang="en")
    q = out.set_index("attribute")["quadrant"]
    # reliability: most important (32 points), worst gap → concentrate here
    assert q["reliability"] == "concentrate"


# --------------------------------------------------------------------------- the five gaps


def _five_gap_data(rng, planted, n_cust=200, n_mgr=30):
    """Measurements with planted gaps, numbered as the course numbers them (seed 000):
    1 促销 delivered − promised, 2 理解, 3 程序, 4 行为, 5 感受 perceived − delivered."""
    rows = []
    items = ["wait", "staff", "clean"]
    base = {"wait": 6.0, "staff": 5.5, "clean": 5.0}
    for it in items:
        ce = base[it]
        me = ce + planted[2]
        st = me + planted[3]
        de = st + planted[4]
        pr = de - planted[1]
        cp = de + planted[5]
        e = ce + rng.normal(0, 1, n_cust)
        rows += [(it, "customer_expectation", r, v) for r, v in zip(range(n_cust), e)]
        rows += [
            (it, "customer_perception", r, v) for r, v in zip(range(n_cust), e + (cp - ce) + rng.normal(0, 0.5, n_cust))
        ]
        rows += [(it, "management_estimate", None, v) for v in me + rng.normal(0, 0.5, n_mgr)]
        rows += [(it, "standard", None, v) for v in st + rng.normal(0, 0.2, 10)]
        rows += [(it, "delivered", None, v) for v in de + rng.normal(0, 0.5, 50)]
        rows += [(it, "promised", None, v) for v in pr + rng.normal(0, 0.1, 5)]
    return pd.DataFrame(rows, columns=["item", "source", "respondent", "score"])


def test_five_gaps_recovers_planted_gaps_and_ranks_causes():
    planted = {1: -1.2, 2: -0.8, 3: -0.2, 4: -0.5, 5: -0.4}
    planted[0] = planted[5] + planted[4] + planted[3] + planted[2]  # P − E along the chain
    df = _five_gap_data(np.random.default_rng(4), planted)
    res = five_gaps(df, lang="en")
    s = res.gaps.set_index("gap")
    for g, v in planted.items():
        assert s.loc[g, "mean_gap"] == pytest.approx(v, abs=0.12)
    covered = (
        (res.items["ci_low"] <= res.items["gap"].map(planted)) & (res.items["gap"].map(planted) <= res.items["ci_high"])
    ).mean()
    assert covered >= 0.8
    # the provider's gaps ⑴–⑷ ranked by size: promotion 1.2, understanding 0.8, behaviour 0.5, procedure 0.2
    assert s["rank"].tolist()[:4] == [1, 2, 4, 3] and s.loc[[5, 0], "rank"].isna().all()
    assert s.loc[1, "name"] == "Promotion gap"


def test_five_gaps_follow_the_course_order_and_meanings():
    """Seed 000 (服务质量差距): ⑴ 促销差距 ⑵ 理解差距 ⑶ 程序差距 ⑷ 行为差距 ⑸ 感受差距: 顾客感受到的服务水平和实际
    提供的服务水平之间的差距 — perceived − delivered, not perception − expectation (which is row 0)."""
    res = five_gaps(_five_gap_data(np.random.default_rng(2), {1: -1, 2: -0.5, 3: 0.3, 4: -0.6, 5: -0.7}), lang="zh")
    g = res.gaps
    assert g["name"].tolist()[:5] == ["促销差距", "理解差距", "程序差距", "行为差距", "感受差距"]
    assert g["gap"].tolist() == [1, 2, 3, 4, 5, 0] and g.loc[5, "key"] == "service_quality"
    assert g.loc[5, "name"] == "服务质量差距（感知 − 期望）"
    # exact arithmetic on one item: perceived 4, delivered 5, expected 6 → 感受差距 −1, P − E −2
    df = pd.DataFrame(
        {
            "item": ["x"] * 5,
            "respondent": [1, 1, None, None, None],
            "source": ["customer_expectation", "customer_perception", "delivered", "standard", "management_estimate"],
            "score": [6.0, 4.0, 5.0, 5.5, 5.0],
        }
    )
    est = five_gaps(df, lang="en").items.set_index("key")["estimate"]
    assert est["perception"] == -1.0 and est["service_quality"] == -2.0
    assert est["perception"] + est["behaviour"] + est["procedure"] + est["understanding"] == est["service_quality"]


def test_five_gaps_chain_adds_up_to_p_minus_e():
    res = five_gaps(_five_gap_data(np.random.default_rng(7), {1: 0.2, 2: -0.4, 3: 0.1, 4: -0.3, 5: -0.6}), lang="en")
    est = res.items.pivot(index="item", columns="key", values="estimate")
    chain = est[["perception", "behaviour", "procedure", "understanding"]].sum(axis=1)
    np.testing.assert_allclose(chain.to_numpy(), est["service_quality"].to_numpy(), atol=1e-9)


def test_five_gaps_says_which_cannot_be_computed():
    df = _five_gap_data(np.random.default_rng(1), {1: 0, 2: 0, 3: 0, 4: 0, 5: -1})
    df = df[df["source"].isin(["customer_expectation", "customer_perception", "delivered"])]
    s = five_gaps(df, lang="zh").gaps.set_index("gap")
    assert s["computable"].tolist() == [False, False, False, False, True, True]
    assert "promised" in s.loc[1, "reason"] and "management_estimate" in s.loc[2, "reason"]
    assert "standard" in s.loc[4, "reason"] and s.loc[5, "reason"] == "" and s.loc[0, "reason"] == ""
    assert s.loc[5, "name"] == "感受差距"


# --------------------------------------------------------------------------- Grönroos


def _gronroos_data(seed, n=600, b_int=-0.4):
    rng = np.random.default_rng(seed)
    tq, fq, im = rng.normal(5, 1, n), rng.normal(5, 1, n), rng.normal(5, 1, n)
    frame = pd.DataFrame({f"t{i}": tq + rng.normal(0, 0.3, n) for i in (1, 2, 3)})
    for i in (1, 2, 3):
        frame[f"f{i}"] = fq + rng.normal(0, 0.3, n)
    frame["img1"], frame["img2"] = im + rng.normal(0, 0.3, n), im + rng.normal(0, 0.3, n)
    scores = pd.DataFrame(
        {
            "t": frame[["t1", "t2", "t3"]].mean(axis=1),
            "f": frame[["f1", "f2", "f3"]].mean(axis=1),
            "i": frame[["img1", "img2"]].mean(axis=1),
        }
    )
    c = scores - scores.mean()
    frame["overall"] = 4 + 0.5 * c["t"] + 0.8 * c["f"] + 0.3 * c["i"] + b_int * c["f"] * c["i"] + rng.normal(0, 0.5, n)
    return frame


def test_gronroos_recovers_the_image_interaction():
    frame = _gronroos_data(0)
    res = perceived_quality(
        frame,
        technical=["t1", "t2", "t3"],
        functional=["f1", "f2", "f3"],
        image=["img1", "img2"],
        overall="overall",
        lang="en",
    )
    c = res.coefficients.set_index("term")
    truth = {"technical": 0.5, "functional": 0.8, "image": 0.3, "functional:image": -0.4, "technical:image": 0.0}
    for term, v in truth.items():  # within 3 standard errors (5 terms: a 95 % CI would miss one in 4 seeds)
        assert abs(c.loc[term, "estimate"] - v) < 3 * c.loc[term, "se"], term
    assert c.loc["functional:image", "ci_high"] < 0  # the planted filter effect is found
    assert "filter" in res.reading and "functional quality" in res.reading
    zh = perceived_quality(
        frame,
        technical=["t1", "t2", "t3"],
        functional=["f1", "f2", "f3"],
        image=["img1", "img2"],
        overall="overall",
        lang="zh",
    )
    assert "缓冲" in zh.reading and "功能质量" in zh.reading


def test_gronroos_no_moderation_and_too_few_rows():
    frame = _gronroos_data(1, b_int=0.0)
    res = perceived_quality(frame, technical=["t1"], functional=["f1"], image="img1", overall="overall", lang="en")
    if (res.coefficients.set_index("term").loc[["technical:image", "functional:image"], "p_value"] > 0.05).all():
        assert "no moderating effect" in res.reading
    frame.loc[:3, "t1"] = np.nan
    with pytest.warns(DataWarning, match="rows 1, 2, 3, 4"):
        perceived_quality(frame, technical=["t1"], functional=["f1"], image="img1", overall="overall")
    with pytest.raises(ModelError), pytest.warns(DataWarning):
        perceived_quality(frame.head(6), technical=["t1"], functional=["f1"], image="img1", overall="overall")


# --------------------------------------------------------------------------- figures


def test_figures_are_plotly_figures_with_labels():
    res = servqual(make_servqual_survey(60, random_state=3, segments=["A", "B"]), groups=["segment"])
    fig = gap_bar_figure(res.dimensions, lang="zh", color="segment")
    assert isinstance(fig, go.Figure) and len(fig.data) == 2 and "可靠性" in fig.data[0].x
    assert fig.data[0].error_y.array is not None
    heat = item_heatmap_figure(res.items, lang="en", columns="segment")
    assert heat.data[0].z.shape == (22, 2)
    single = servqual(make_servqual_survey(60, random_state=3))
    assert item_heatmap_figure(single.items, lang="en").data[0].z.shape == (22, 3)
    perf = single.dimensions.rename(columns={"dimension": "attribute", "perception": "performance"})
    assert isinstance(ipa_figure(ipa(perf, perf, lang="en"), lang="en"), go.Figure)
    kano = kano_classify(make_kano_survey(50, random_state=1))
    kf = kano_figure(kano.features, lang="en")
    assert kf.layout.xaxis.title.text == "|Worse|" and len(kf.data[0].x) == 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cem_table(load_cem_example())


# --------------------------------------------------------------------------- summary() and conf_int() (api-conventions)


def _widths(frame):
    return (frame["ci_high"] - frame["ci_low"]).to_numpy(dtype=float)


def _assert_narrower(ci90, ci95):
    """Same rows and estimates; every finite 90 % interval inside the 95 % one and strictly narrower."""
    assert len(ci90) == len(ci95)
    np.testing.assert_array_equal(ci90["estimate"].to_numpy(), ci95["estimate"].to_numpy())
    w90, w95 = _widths(ci90), _widths(ci95)
    finite = np.isfinite(w95)
    assert finite.any()
    np.testing.assert_array_equal(np.isfinite(w90), finite)
    assert (w90[finite] < w95[finite]).all()
    assert (ci90["ci_low"].to_numpy()[finite] > ci95["ci_low"].to_numpy()[finite]).all()


def test_gaps_results_have_no_summary_field_but_summary_and_conf_int_methods():
    from dataclasses import fields

    from csworkbench.gaps import FiveGapsResult, GapScoresResult, GronroosResult, KanoResult, ServqualResult

    for cls in (GapScoresResult, ServqualResult, FiveGapsResult, KanoResult, GronroosResult):
        assert "summary" not in {f.name for f in fields(cls)}, cls.__name__
        assert callable(cls.summary) and callable(cls.conf_int), cls.__name__
    assert {"attributes", "confidence"} <= {f.name for f in fields(GapScoresResult)}
    assert {"items", "gaps", "confidence"} <= {f.name for f in fields(FiveGapsResult)}
    assert "features" in {f.name for f in fields(KanoResult)}
    assert "confidence" in {f.name for f in fields(GronroosResult)}


def test_gap_scores_summary_and_conf_int():
    from csworkbench.errors import ParameterError
    from csworkbench.gaps import gap_scores

    survey = make_servqual_survey(120, random_state=5, segments=["A", "B"])
    answers = survey[survey["kind"] != "I"]
    res = gap_scores(answers, groups=["segment"])
    assert res.confidence == 0.95
    summ = res.summary()
    pd.testing.assert_frame_equal(summ, res.attributes)
    summ.loc[0, "gap"] = 99.0  # a copy: the result is not mutated
    assert res.attributes.loc[0, "gap"] != 99.0
    for ci in (res.conf_int(), res.conf_int(0.95)):
        assert list(ci.columns) == ["segment", "attribute", "estimate", "ci_low", "ci_high"]
        np.testing.assert_array_equal(ci["estimate"].to_numpy(), res.attributes["gap"].to_numpy())
        np.testing.assert_array_equal(ci["ci_low"].to_numpy(), res.attributes["ci_low"].to_numpy())
        np.testing.assert_array_equal(ci["ci_high"].to_numpy(), res.attributes["ci_high"].to_numpy())
    ci90 = res.conf_int(0.90)
    _assert_narrower(ci90, res.conf_int())
    # recomputed = what gap_scores reports when run at 0.90
    direct = gap_scores(answers, groups=["segment"], confidence=0.90)
    assert direct.confidence == 0.90
    np.testing.assert_allclose(
        ci90[["ci_low", "ci_high"]].to_numpy(),
        direct.attributes[["ci_low", "ci_high"]].to_numpy(),
        rtol=1e-12,
        atol=1e-12,
    )
    with pytest.raises(ParameterError, match="confidence"):
        res.conf_int(1.5)


def test_servqual_summary_and_conf_int_of_items_dimensions_overall():
    from csworkbench.errors import ParameterError

    survey = make_servqual_survey(150, random_state=6)
    res = servqual(survey)
    pd.testing.assert_frame_equal(res.summary(), res.dimensions)
    assert res.summary() is not res.dimensions
    direct = servqual(survey, confidence=0.90)
    keys = {"items": ["dimension", "item"], "dimensions": ["dimension"], "overall": ["score"]}
    for of, ids in keys.items():
        table = getattr(res, of)
        for ci in (res.conf_int(of=of), res.conf_int(0.95, of=of)):
            assert list(ci.columns) == [*ids, "estimate", "ci_low", "ci_high"]
            np.testing.assert_array_equal(
                ci[["estimate", "ci_low", "ci_high"]].to_numpy(), table[["gap", "ci_low", "ci_high"]].to_numpy()
            )
        ci90 = res.conf_int(0.90, of=of)
        _assert_narrower(ci90, res.conf_int(of=of))
        np.testing.assert_allclose(
            ci90[["ci_low", "ci_high"]].to_numpy(),
            getattr(direct, of)[["ci_low", "ci_high"]].to_numpy(),
            rtol=1e-12,
            atol=1e-12,
        )
    pd.testing.assert_frame_equal(res.conf_int(), res.conf_int(of="dimensions"))
    with pytest.raises(ParameterError, match="of must be one of"):
        res.conf_int(of="reliability")


def test_five_gaps_summary_and_conf_int():
    from dataclasses import replace

    from csworkbench.errors import ParameterError

    df = _five_gap_data(np.random.default_rng(4), {1: -1.2, 2: -0.8, 3: -0.2, 4: -0.5, 5: -0.4})
    res = five_gaps(df, lang="en")
    pd.testing.assert_frame_equal(res.summary(), res.gaps)
    ci = res.conf_int()
    assert list(ci.columns) == ["gap", "key", "name", "item", "estimate", "ci_low", "ci_high"]
    np.testing.assert_array_equal(
        ci[["estimate", "ci_low", "ci_high"]].to_numpy(), res.items[["estimate", "ci_low", "ci_high"]].to_numpy()
    )
    pd.testing.assert_frame_equal(res.conf_int(0.95), ci)
    # degrees of freedom: paired n − 1 for P − E (row 0), Welch (between the smaller n − 1 and n_a + n_b − 2)
    # otherwise, also for ⑸ perceived − delivered here (the delivered audits carry no respondent ids)
    five = res.items["gap"] == 0
    assert (res.items.loc[five, "df"] == res.items.loc[five, "n_later"] - 1).all()
    welch = res.items.loc[~five]
    assert (
        (welch["df"] >= welch[["n_later", "n_earlier"]].min(axis=1) - 1 - 1e-9)
        & (welch["df"] <= welch["n_later"] + welch["n_earlier"] - 2 + 1e-9)
    ).all()
    ci90 = res.conf_int(0.90)
    _assert_narrower(ci90, ci)
    direct = five_gaps(df, lang="en", confidence=0.90)
    np.testing.assert_allclose(
        ci90[["ci_low", "ci_high"]].to_numpy(), direct.items[["ci_low", "ci_high"]].to_numpy(), rtol=1e-10, atol=1e-12
    )
    # a result without the degrees of freedom cannot give another level: run the model again
    bare = replace(res, items=res.items.drop(columns="df"))
    pd.testing.assert_frame_equal(bare.conf_int(), ci)
    with pytest.raises(ParameterError, match=r"run five_gaps\(\.\.\., confidence=0\.9\) again"):
        bare.conf_int(0.90)


def test_gronroos_summary_and_conf_int():
    frame = _gronroos_data(2)
    kw = dict(technical=["t1", "t2"], functional=["f1", "f2"], image=["img1", "img2"], overall="overall", lang="en")
    res = perceived_quality(frame, **kw)
    assert res.confidence == 0.95
    pd.testing.assert_frame_equal(res.summary(), res.coefficients)
    ci = res.conf_int()
    assert list(ci.columns) == ["term", "estimate", "ci_low", "ci_high"]
    np.testing.assert_array_equal(
        ci[["estimate", "ci_low", "ci_high"]].to_numpy(), res.coefficients[["estimate", "ci_low", "ci_high"]].to_numpy()
    )
    ci90 = res.conf_int(0.90)
    _assert_narrower(ci90, ci)
    np.testing.assert_allclose(ci90[["ci_low", "ci_high"]].to_numpy(), res.model.conf_int(0.10).to_numpy(), rtol=1e-10)
    direct = perceived_quality(frame, confidence=0.90, **kw)
    np.testing.assert_allclose(
        ci90[["ci_low", "ci_high"]].to_numpy(), direct.coefficients[["ci_low", "ci_high"]].to_numpy(), rtol=1e-10
    )


def test_kano_summary_without_intervals():
    from csworkbench.errors import ParameterError

    res = kano_classify(make_kano_survey(60, random_state=2), lang="en")
    pd.testing.assert_frame_equal(res.summary(), res.features)
    with pytest.raises(ParameterError, match="no confidence intervals"):
        res.conf_int()
    with pytest.raises(ParameterError, match="no confidence intervals"):
        res.conf_int(0.90)
    # the result itself works where the feature table does; a forgotten () is named
    pd.testing.assert_frame_equal(needs_window(res, lang="en"), needs_window(res.features, lang="en"))
    assert len(kano_figure(res, lang="en").data[0].x) == len(res.features)
    with pytest.raises(ParameterError, match=r"call it \(e\.g\. result\.summary\(\)\)"):
        kano_figure(res.summary, lang="en")
