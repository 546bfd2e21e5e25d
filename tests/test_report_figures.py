"""Chart titles that state the finding, capped long tails, Pareto axes (issue 16, item 8)."""

from __future__ import annotations

import pandas as pd

from csworkbench import complaints as cx
from csworkbench import tiers
from csworkbench.clv.figures import clv_distribution_figure, tracking_figure
from csworkbench.plots import pareto_figure


def test_pareto_axis_is_0_to_100_with_a_labelled_80_line_and_a_legend():
    fig = pareto_figure(pd.DataFrame({"k": list("abc"), "n": [6, 3, 1]}), "k", "n", lang="zh")
    assert list(fig.layout.yaxis2.tickvals) == [0, 20, 40, 60, 80, 100] and fig.layout.yaxis2.range[0] == 0
    assert fig.layout.annotations[0].text.startswith("80% 线") and fig.layout.shapes[0].y0 == 80
    # the label sits at the right end, above the short bars (at the left it ran into the tallest)
    assert (fig.layout.annotations[0].x, fig.layout.annotations[0].xanchor) == (1.0, "right")
    assert fig.layout.showlegend and "lasso2d" in fig.layout.modebar.remove


def test_the_cumulative_line_stays_visible_across_the_vital_few_bars():
    """The vital few are drawn in the warning colour, the cumulative line's default colour: the
    line vanished where it crossed them (seen in a rendered page)."""
    fig = cx.pareto_figure(cx.complaint_pareto(pd.DataFrame({"category": ["delivery"] * 7 + ["billing"] * 3})))
    bars, line = fig.data[0], fig.data[1]
    assert line.line.color not in set(bars.marker.color)


def test_complaint_charts_state_their_finding():
    log = pd.DataFrame({"category": ["delivery"] * 7 + ["billing"] * 2 + ["environment"]})
    pareto = cx.complaint_pareto(log)
    fig = cx.pareto_figure(pareto, lang="en")
    # delivery 70 % then billing (cumulative 90 %) make the vital few (the category crossing 80 % included)
    assert fig.layout.title.text == "The vital few — Delivery, Pricing and billing — make 90% of complaints"
    assert [d.name for d in fig.data[2:]] == ["Vital few", "Other categories"]
    chart = pd.DataFrame(
        {
            "period": ["2025-01", "2025-02"],
            "value": [3.0, 9.0],
            "center": [4.0, 4.0],
            "lcl": [0.0, 0.0],
            "ucl": [8.0, 8.0],
            "signal": [False, True],
        }
    )
    zh = cx.control_chart_figure(chart, lang="zh")
    assert zh.layout.title.text == "投诉数超出控制上限的期间：2025年2月" and list(zh.data[0].x) == [
        "2025年1月",
        "2025年2月",
    ]
    sla = pd.DataFrame(
        {
            "step": ["acknowledged_at", "resolved_at"],
            "target_hours": [24.0, 168.0],
            "median_hours": [5.0, 90.0],
            "p90_hours": [20.0, 200.0],
            "within_sla": [0.95, 0.7],
        }
    )
    assert cx.sla_figure(sla, lang="en").layout.title.text.startswith("Only 70% of complaints meet the 168-hour")


def test_tier_chart_titles_are_computed():
    values = pd.Series([50.0, 20, 10, 10, 5, 5], index=list("abcdef"))
    pyramid = tiers.customer_pyramid(values, cuts=(0.2, 0.2, 0.2, 0.4))
    assert tiers.pyramid_figure(pyramid, lang="en").layout.title.text.endswith("hold 70% of the value")
    # 3 of 6 customers bring 80 %; Gini of (5,5,10,10,20,50) = 2·485/600 − 7/6 = 0.45
    assert tiers.lorenz_figure(tiers.lorenz(values), lang="en").layout.title.text == (
        "50% of customers bring 80% of the value (Gini 0.45)"
    )


def test_clv_distribution_caps_the_tail_and_tracking_states_the_holdout():
    fig = clv_distribution_figure(pd.DataFrame({"clv": list(range(1, 100)) + [10_000.0]}), lang="zh", currency="¥")
    assert max(fig.data[0].x) < 10_000 and fig.layout.annotations[0].text.startswith("1 位顾客 ≥ ¥")
    assert fig.layout.xaxis.title.text.endswith("（¥）")
    frame = pd.DataFrame(
        {
            "period_end": pd.date_range("2024-01-07", periods=4, freq="7D"),
            "t": [1.0, 2, 3, 4],
            "actual": [1.0, 2, 3, 3],
            "expected": [1.0, 2, 2, 2],
            "actual_cum": [1.0, 3, 6, 9],
            "expected_cum": [1.0, 3, 5, 7],
            "holdout": [False, False, True, True],
        }
    )
    fig = tracking_figure(frame, lang="en")
    # after the calibration end: 9 − 3 = 6 actual against 7 − 3 = 4 expected → +50 %
    assert fig.layout.title.text == "After the calibration end: 6 repeat purchases against 4 expected (+50%)"
    assert tracking_figure(frame, lang="zh").layout.xaxis.tickformat == "%Y年%-m月"


def test_result_tables_read_in_the_page_language():
    from unittest import mock

    from csworkbench.reporting import display
    from csworkbench.reporting.result_tables import show_result

    shown = []
    wide = pd.DataFrame({"period": ["2025-01", "2025-02"], "after_sales": [1, 2], "delivery": [0, 3], "total": [1, 5]})
    pareto = cx.complaint_pareto(pd.DataFrame({"category": ["delivery"] * 3 + ["billing"]}))
    summary = tiers.tier_summary(tiers.customer_pyramid(pd.Series([5.0, 3, 1, 1]), cuts=(0.25, 0.25, 0.25, 0.25)))
    with mock.patch.object(display, "_display", lambda bundle: shown.append(bundle[display.TABLE_MIME])):
        show_result(wide, lang="en")
        show_result(pareto, lang="zh")
        show_result(summary, lang="zh", currency="¥")
    assert shown[0]["columns"] == ["Period", "After-sales service", "Delivery", "Total"]
    assert shown[0]["cells"][0] == ["Jan 2025", "1", "0", "1"]
    # percent columns (0–100) are shown as shares, not 7,500 %
    assert shown[1]["cells"][0][:4] == ["物流配送", "3", "75.0%", "75.0%"] and shown[1]["kinds"][2] == "share"
    assert "价值（¥）" in shown[2]["columns"] and shown[2]["cells"][0][2] == "25.0%"  # no index column
