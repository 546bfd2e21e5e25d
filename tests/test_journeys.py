"""Touchpoint experience and peak/end (lesson 13): against hand computation and a planted truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from csworkbench.datasets import make_touchpoint_journeys
from csworkbench.errors import DataError, ParameterError
from csworkbench.gaps import peak_end, touchpoint_scores

LOG = pd.DataFrame(
    {
        "customer_id": ["a", "a", "a", "b", "b", "c"],
        "step": [1, 2, 3, 1, 2, 1],
        "stage": ["购前", "购中", "购后", "购前", "购后", "购前"],
        "touchpoint": ["网站", "收银结账", "呼叫中心", "网站", "呼叫中心", "网站"],
        "score": [9, 7, 3, 8, np.nan, 6],
    }
)


def test_touchpoint_scores_by_hand():
    table = touchpoint_scores(LOG, low=4).set_index("touchpoint")
    web = np.array([9.0, 8.0, 6.0])
    q = stats.t.ppf(0.975, 2)
    se = web.std(ddof=1) / np.sqrt(3)
    assert table.loc["网站", "mean"] == pytest.approx(web.mean())
    assert table.loc["网站", "ci_low"] == pytest.approx(web.mean() - q * se)
    assert table.loc["网站", "ci_high"] == pytest.approx(web.mean() + q * se)
    assert table.loc["呼叫中心", ["contacts", "customers", "missing"]].tolist() == [2, 2, 1]
    assert table.loc["呼叫中心", "mean"] == 3.0  # the missing rating is left out, not read as 0
    assert table.loc["呼叫中心", "share_low"] == 1.0
    assert np.isnan(table.loc["呼叫中心", "ci_low"])  # one rating: no interval
    assert table["gap_to_best"].max() == 0.0
    assert list(table.index) == ["呼叫中心", "收银结账", "网站"]  # weakest first


def test_peak_end_by_hand():
    table = peak_end(LOG).set_index("customer_id")
    assert table.loc["a", ["contacts", "peak", "trough", "end"]].tolist() == [3, 9.0, 3.0, 3.0]
    assert table.loc["a", "trough_touchpoint"] == "呼叫中心"
    # b's last contact has no rating: the end is its last *rated* contact
    assert table.loc["b", ["contacts", "end", "mean"]].tolist() == [2, 8.0, 8.0]


def test_planted_weak_touchpoint_is_found():
    journeys = make_touchpoint_journeys(800, weak_touchpoint="售后维修", weak_penalty=2.0, random_state=11)
    table = touchpoint_scores(journeys)
    assert table.iloc[0]["touchpoint"] == "售后维修"
    others = table.iloc[1:]
    assert (others["ci_low"] > table.iloc[0]["ci_high"]).all()
    ends = peak_end(journeys)
    assert ends["trough_touchpoint"].value_counts().idxmax() == "售后维修"


def test_bad_input():
    with pytest.raises(DataError, match="score.*row 2"):
        touchpoint_scores(LOG.assign(score=["9", "n/a", "3", "8", None, "6"]))
    with pytest.raises(DataError, match="no column"):
        touchpoint_scores(LOG.drop(columns="touchpoint"))
    with pytest.raises(ParameterError):
        touchpoint_scores(LOG, confidence=95)


def test_service_style_quadrants_and_bad_input():
    from csworkbench.gaps import service_style

    units = pd.DataFrame(
        {"unit": list("abcde"), "procedural": [4.0, 4.0, 3.0, 3.0, None], "personal": [4.0, 3.0, 4.0, 3.5, 4.0]}
    )
    out = service_style(units, threshold=3.5, lang="en")
    assert out["style"].tolist()[:4] == ["quality", "by_the_book", "friendly", "indifferent"]
    assert out["style"].isna().tolist()[4]  # a missing score gives no style, not a guess
    assert service_style(units.iloc[:1])["style_label"].tolist() == ["优质服务型"]
    with pytest.raises(DataError, match="personal.*row 2"):
        service_style(units.assign(personal=["4", "x", "4", "3", "4"]))
