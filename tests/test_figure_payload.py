"""Report figures carry only what they draw (issue 16, page weight).

The Pareto curve of 2,357 CDNOW customers shipped one point per customer (64 kB of a 186 kB
page) and the CLV and revenue histograms every customer's value for plotly to bin (27 kB
each).  The curve is now drawn through a few points within 0.002 of the full curve, and the
histograms are counted in Python: these tests hold the drawn pictures to the full ones.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from csworkbench import plots, tiers
from csworkbench.clv.figures import clv_distribution_figure
from csworkbench.datasets import load_cdnow
from csworkbench.i18n import t
from csworkbench.reporting import overview
from csworkbench.tiers.figures import curve_points

MAX_POINTS = 500  # no trace of a report figure carries more


@pytest.fixture(scope="module")
def cdnow_revenue() -> pd.Series:
    tx = load_cdnow()
    return tx.groupby("customer_id")["amount"].sum().clip(lower=0)


def _data_bytes(fig: go.Figure) -> int:
    return len(pio.to_json({"data": fig.to_plotly_json()["data"]}, validate=False))


def _points(trace) -> int:
    return max(len(np.atleast_1d(getattr(trace, k))) for k in ("x", "y") if getattr(trace, k) is not None)


@pytest.mark.parametrize("kind", ["cdnow", "lognormal", "equal"])
def test_pareto_curve_is_drawn_within_0_002_of_the_full_curve(kind, cdnow_revenue):
    values = {
        "cdnow": cdnow_revenue,
        "lognormal": pd.Series(np.random.default_rng(3).lognormal(3, 2.0, 20_000)),
        "equal": pd.Series(np.ones(5_000)),
    }[kind]
    res = tiers.lorenz(values)
    fig = tiers.lorenz_figure(res, lang="en")
    full_x, full_y = res.pareto["customer_share"].to_numpy(), res.pareto["value_share"].to_numpy()
    x, y = np.asarray(fig.data[0].x), np.asarray(fig.data[0].y)
    assert len(x) <= MAX_POINTS < len(full_x)
    # drawn points lie on the full curve, so the largest distance is at a full curve's vertex
    assert np.isin(x, full_x).all() and (x[0], y[0], x[-1], y[-1]) == (0.0, 0.0, 1.0, full_y[-1])
    assert np.abs(np.interp(full_x, x, y) - full_y).max() <= 0.002
    # the marked points are unchanged and the drawn curve passes through them
    marks = fig.data[2]
    assert list(marks.x) == [0.2, res.share_for_80] and list(marks.y) == [res.top20_share, 0.8]
    assert np.interp(res.share_for_80, x, y) == pytest.approx(0.8, abs=1e-12)
    assert np.interp(0.2, x, y) == pytest.approx(res.top20_share, abs=1e-12)
    # title, legend names and axis formats as before
    assert fig.layout.title.text.endswith(f"(Gini {res.gini:.2f})")
    assert [d.name for d in fig.data] == [t(k, "en") for k in ("tier.pareto_curve", "tier.equality", "tier.markers")]
    assert fig.layout.xaxis.tickformat == ".0%" and fig.layout.yaxis.tickformat == ".0%"


def test_curve_points_keeps_the_requested_points_and_small_curves():
    x = np.linspace(0, 1, 2001)
    y = 1 - (1 - x) ** 8
    drawn = curve_points(x, y, keep=[1234, 5000, -1])
    assert 1234 in drawn and drawn[0] == 0 and drawn[-1] == 2000
    assert np.abs(np.interp(x, x[drawn], y[drawn]) - y).max() <= 2e-4
    assert curve_points(x, y, tolerance=0.0).tolist() != []  # exact: every needed vertex
    assert curve_points(np.array([0.0, 1.0]), np.array([0.0, 1.0])).tolist() == [0, 1]


def _bars(trace) -> tuple[np.ndarray, np.ndarray]:
    edges = np.asarray(trace.customdata, dtype=float)
    assert np.allclose(edges[1:, 0], edges[:-1, 1])  # contiguous bins
    return np.append(edges[:, 0], edges[-1, 1]), np.asarray(trace.y)


@pytest.mark.parametrize("source", ["cdnow", "lognormal", "small"])
def test_clv_histogram_counts_are_exact(source, cdnow_revenue):
    values = {
        "cdnow": cdnow_revenue,
        "lognormal": pd.Series(np.random.default_rng(7).lognormal(1.5, 1.3, 2_357)),
        "small": pd.Series([1.0, 2, 3, 100]),
    }[source]
    fig = clv_distribution_figure(pd.DataFrame({"clv": values}), lang="en", currency="$")
    shown, limit, above = plots.cap_long_tail(values, 0.99)
    trace = fig.data[0]
    assert trace.type == "bar" and len(fig.data) == 1 and fig.layout.bargap == 0
    edges, counts = _bars(trace)
    expected, _ = np.histogram(shown, bins=edges)
    assert counts.tolist() == expected.tolist() and counts.sum() == len(values)
    width = edges[1] - edges[0]
    mantissa = width / 10 ** np.floor(np.log10(width))
    assert min(abs(mantissa - m) for m in (1, 2, 5)) < 1e-9  # round widths, as plotly's bins
    assert len(counts) <= 52 and edges[0] <= shown.min() and shown.max() < edges[-1]
    assert np.allclose(trace.x, (edges[:-1] + edges[1:]) / 2) and trace.width == pytest.approx(width)
    # the capped customers sit in the last bar, which the note names
    assert edges[-2] <= limit < edges[-1] and counts[-1] >= above
    if above:
        assert fig.layout.annotations[0].text == f"{above:,} customers ≥ ${limit:,.2f}"
    assert "%{y:,}" in trace.hovertemplate and " - " in trace.hovertemplate


def test_histograms_carry_bins_not_customers(cdnow_revenue):
    per_customer = pd.DataFrame({"customer_id": cdnow_revenue.index, "revenue": cdnow_revenue.to_numpy()})
    figures = {
        "clv": clv_distribution_figure(pd.DataFrame({"clv": cdnow_revenue}), lang="zh"),
        "revenue": overview.customer_revenue_figure(per_customer, "zh"),
        "pareto": tiers.lorenz_figure(tiers.lorenz(cdnow_revenue), lang="zh"),
    }
    old = go.Figure(go.Histogram(x=plots.cap_long_tail(cdnow_revenue)[0], nbinsx=50))
    assert _data_bytes(old) > 20_000  # what one histogram trace of 2,357 values weighed
    for name, fig in figures.items():
        assert max(_points(tr) for tr in fig.data) <= MAX_POINTS, name
        assert _data_bytes(fig) < 6_000, (name, _data_bytes(fig))
    rev = figures["revenue"].data[0]
    edges, counts = _bars(rev)
    assert counts.tolist() == np.histogram(plots.cap_long_tail(cdnow_revenue)[0], bins=edges)[0].tolist()
    assert figures["revenue"].layout.bargap == 0.05
    json.loads(pio.to_json(figures["revenue"]))  # serialisable as the page needs it


def test_tracking_dates_travel_as_days():
    from csworkbench.clv.figures import tracking_figure

    frame = pd.DataFrame(
        {
            "period_end": pd.date_range("1997-01-07", periods=78, freq="7D"),
            "actual_cum": np.arange(78.0),
            "expected_cum": np.arange(78.0) * 1.1,
            "holdout": np.arange(78) >= 39,
        }
    )
    fig = tracking_figure(frame, lang="zh")
    assert list(fig.data[0].x[:2]) == ["1997-01-07", "1997-01-14"] and list(fig.data[1].x) == list(fig.data[0].x)
    assert pd.Timestamp(fig.layout.shapes[0].x0) == pd.Timestamp("1997-09-30")  # the calibration end, as before
    assert _data_bytes(fig) < 4_000
    timed = frame.assign(period_end=frame["period_end"] + pd.Timedelta(hours=6))
    assert str(pd.Timestamp(tracking_figure(timed, lang="en").data[0].x[0])) == "1997-01-07 06:00:00"
