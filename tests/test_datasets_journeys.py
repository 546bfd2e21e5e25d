"""Synthetic CRM and journey data (lessons 12–13): the documented truths hold."""

from __future__ import annotations

import pytest

from csworkbench.datasets import TOUCHPOINTS, make_relationship_log, make_touchpoint_journeys
from csworkbench.errors import ParameterError


def test_relationship_log_recovers_its_rates():
    log = make_relationship_log(20000, retention=0.6, referral_share=0.3, new_share=0.4, random_state=5)
    kept = log.loc[log["active_last_year"], "active_this_year"].mean()
    new = log["acquired_year"].eq("今年")
    assert kept == pytest.approx(0.6, abs=0.015)
    assert new.mean() == pytest.approx(0.4, abs=0.015)
    assert log.loc[new, "referred_by"].notna().mean() == pytest.approx(0.3, abs=0.015)
    # a referrer is always an existing (last year's) customer; revenue only when active
    assert set(log["referred_by"].dropna()) <= set(log.loc[~new, "customer_id"])
    assert (log.loc[~log["active_this_year"], "revenue_this_year"] == 0).all()
    assert log["customer_id"].str.fullmatch(r"H\d{5}").all()


def test_touchpoint_journeys_plant_the_weak_touchpoint():
    j = make_touchpoint_journeys(2000, weak_touchpoint="送货安装", weak_penalty=2.0, random_state=3)
    means = j.groupby("touchpoint")["score"].mean()
    assert means.idxmin() == "送货安装"
    assert means.drop("送货安装").mean() - means["送货安装"] == pytest.approx(2.0, abs=0.25)
    assert j["score"].between(1, 10).all()
    order = {stage: i for i, stage in enumerate(TOUCHPOINTS)}
    ranks = j["stage"].map(order)
    assert (ranks.groupby(j["customer_id"]).diff().dropna() >= 0).all(), "stages out of order"
    assert j.groupby("customer_id")["stage"].nunique().eq(3).all()


@pytest.mark.parametrize(
    "call",
    [
        lambda: make_relationship_log(10),
        lambda: make_relationship_log(100, retention=1.2),
        lambda: make_touchpoint_journeys(100, weak_touchpoint="前台"),
        lambda: make_touchpoint_journeys(100, weak_penalty=-1),
    ],
)
def test_bad_parameters_are_parameter_errors(call):
    with pytest.raises(ParameterError):
        call()
