"""Property-based tests (hypothesis) of customer tiers, concentration and RFM (csworkbench.tiers).

Issue #10, part 2: tier assignment (pyramid, ABC) is monotone in value and tie-stable and does
not depend on row order; the Pareto curve is non-decreasing from 0 to exactly 1; the Gini
coefficient lies in [0, 1] (0 when everyone is equal); RFM scores lie in 1…bins and are
monotone in recency, frequency and monetary value.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from csworkbench.errors import DataWarning
from csworkbench.tiers import PYRAMID_TIERS, abc_tiers, customer_pyramid, customer_value, lorenz, pareto_curve, rfm

# values with many ties (drawn from a few round numbers) and arbitrary floats
value = st.one_of(
    st.sampled_from([0.0, 1.0, 2.5, 10.0, 100.0, 1e6]),
    st.floats(min_value=-1e4, max_value=1e9, allow_nan=False, allow_subnormal=True),
)
nonnegative = st.one_of(
    st.sampled_from([0.0, 1.0, 2.5, 10.0, 100.0]),
    st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_subnormal=True),
)


@st.composite
def value_series(draw, elements=value, min_size=1, max_size=40):
    values = draw(st.lists(elements, min_size=min_size, max_size=max_size))
    ids = [f"c{i:03d}" for i in range(len(values))]
    return pd.Series(values, index=ids, dtype=float)


@st.composite
def shares(draw, k):
    """k non-negative customer shares summing to 1 (some may be 0)."""
    raw = draw(st.lists(st.integers(0, 20), min_size=k, max_size=k).filter(lambda x: sum(x) > 0))
    s = np.asarray(raw, dtype=float) / sum(raw)
    s[-1] = 1.0 - s[:-1].sum()
    return tuple(float(x) for x in s)


def _check_monotone_and_tie_stable(values: pd.Series, tiers: pd.Series, order: list[str]) -> None:
    """Higher value → never a lower tier; equal values → the same tier."""
    rank = tiers.map({k: i for i, k in enumerate(order)}).astype(float).to_numpy()
    v = values.loc[tiers.index].to_numpy()
    higher = v[:, None] > v[None, :]
    assert not (higher & (rank[:, None] > rank[None, :])).any(), "a higher value got a lower tier"
    same = v[:, None] == v[None, :]
    assert not (same & (rank[:, None] != rank[None, :])).any(), "equal values got different tiers"


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return fn(*args, **kwargs)


# ----------------------------------------------------------------------------- pyramid


@settings(max_examples=40)
@given(values=value_series(), cuts=shares(4), nonpositive=st.sampled_from(["separate", "light"]), data=st.data())
def test_pyramid_monotone_tie_stable_and_order_free(values, cuts, nonpositive, data):
    assume((values > 0).any())
    out = customer_pyramid(values, cuts=cuts, nonpositive=nonpositive, lang="en").table
    tiers = out.set_index("customer_id")["tier"]
    assert tiers.notna().all()
    assert set(tiers) <= set(PYRAMID_TIERS) | {"nonpositive"}
    if nonpositive == "light":
        assert "nonpositive" not in set(tiers)
    else:
        assert (tiers[values[values <= 0].index] == "nonpositive").all()
    _check_monotone_and_tie_stable(values, tiers, [*PYRAMID_TIERS, "nonpositive"])
    # row order does not matter
    perm = data.draw(st.permutations(list(values.index)), label="row order")
    again = customer_pyramid(values.loc[perm], cuts=cuts, nonpositive=nonpositive, lang="en").table
    pd.testing.assert_frame_equal(out, again)


@settings(max_examples=40)
@given(values=value_series(), th=st.lists(st.floats(0, 1e9, allow_nan=False), min_size=3, max_size=3), data=st.data())
def test_pyramid_thresholds_monotone_and_order_free(values, th, data):
    assume((values > 0).any())
    th = sorted(th, reverse=True)
    out = customer_pyramid(values, thresholds=th, lang="en").table
    tiers = out.set_index("customer_id")["tier"]
    _check_monotone_and_tie_stable(values, tiers, [*PYRAMID_TIERS, "nonpositive"])
    v = values.loc[tiers.index]
    pos = v > 0
    assert (tiers[pos & (v >= th[0])] == "super_heavy").all()
    assert (tiers[pos & (v < th[2])] == "light").all()
    perm = data.draw(st.permutations(list(values.index)), label="row order")
    pd.testing.assert_frame_equal(out, customer_pyramid(values.loc[perm], thresholds=th, lang="en").table)


@settings(max_examples=50)
@given(values=value_series(min_size=2), cuts=shares(4))
def test_pyramid_tiers_hold_at_least_their_share(values, cuts):
    """Ties are never split, so a tier can only grow beyond its share, counted from the top."""
    assume((values > 0).any())
    out = customer_pyramid(values, cuts=cuts, lang="en").table
    ranked = out[out["tier"] != "nonpositive"]
    n = len(ranked)
    top = np.cumsum([(ranked["tier"] == k).sum() for k in PYRAMID_TIERS])
    # the customers in the top k tiers are at least the nominal share of them (rounded up)
    assert (top >= np.ceil(np.cumsum(cuts) * n - 1e-6)).all()


# ----------------------------------------------------------------------------- ABC


@settings(max_examples=40)
@given(values=value_series(), s=shares(3), data=st.data())
def test_abc_monotone_tie_stable_and_order_free(values, s, data):
    assume((values.fillna(0) != 0).any())
    out = abc_tiers(values, shares=s, lang="en").table
    tiers = out.set_index("customer_id")["tier"]
    assert set(tiers) <= {"A", "B", "C"}
    assert (tiers[values[values <= 0].index] == "C").all()
    _check_monotone_and_tie_stable(values, tiers, ["A", "B", "C"])
    perm = data.draw(st.permutations(list(values.index)), label="row order")
    pd.testing.assert_frame_equal(out, abc_tiers(values.loc[perm], shares=s, lang="en").table)


# ----------------------------------------------------------------------------- Pareto / Lorenz


@settings(max_examples=200)
@given(values=value_series(nonnegative))
@example(values=pd.Series([0.1] * 10 + [0.2] * 3, index=[f"c{i}" for i in range(13)]))
def test_pareto_curve_rises_from_0_to_exactly_1(values):
    assume(values.sum() > 0)
    curve = pareto_curve(values)
    y = curve["value_share"].to_numpy()
    x = curve["customer_share"].to_numpy()
    assert len(curve) == len(values) + 1
    assert y[0] == 0 and x[0] == 0 and x[-1] == 1
    assert abs(y[-1] - 1.0) <= 1e-12
    assert (np.diff(y) >= 0).all(), "value share decreases"
    assert (y <= 1.0 + 1e-12).all()
    # top-down: the top x % of customers hold at least x % of the value
    assert (y >= x - 1e-12).all()


@settings(max_examples=60)
@given(values=value_series(nonnegative), scale=st.floats(1e-3, 1e3), data=st.data())
def test_gini_in_unit_interval_and_scale_and_order_free(values, scale, data):
    assume(values.sum() > 0)
    res = lorenz(values)
    n = len(values)
    assert -1e-12 <= res.gini <= (n - 1) / n + 1e-12
    assert 0.2 - 1e-12 <= res.top20_share <= 1 + 1e-12
    assert 0 <= res.share_for_80 <= 0.8 + 1e-12
    curve = res.curve["value_share"].to_numpy()
    assert (np.diff(curve) >= 0).all() and abs(curve[-1] - 1) <= 1e-12
    assert (curve <= res.curve["customer_share"].to_numpy() + 1e-12).all()  # Lorenz below the diagonal
    perm = data.draw(st.permutations(list(values.index)), label="row order")
    assert lorenz(values.loc[perm]).gini == pytest.approx(res.gini, abs=1e-12)
    scaled = values * scale
    assume(scaled.sum() > 0 and np.isfinite(scaled.sum()))
    assert lorenz(scaled).gini == pytest.approx(res.gini, abs=1e-9)


@given(v=st.floats(min_value=1e-300, max_value=1e300), n=st.integers(1, 500))
@example(v=0.1, n=1000)
def test_gini_zero_when_everyone_is_equal(v, n):
    res = lorenz(pd.Series([v] * n))
    assert res.gini == 0.0
    assert res.top20_share == pytest.approx(0.2, abs=1e-12)


# ----------------------------------------------------------------------------- RFM


@st.composite
def customer_values(draw):
    n = draw(st.integers(1, 40))
    orders = draw(st.lists(st.one_of(st.integers(1, 5), st.integers(0, 200)), min_size=n, max_size=n))
    recency = draw(st.lists(st.one_of(st.sampled_from([0, 1, 7, 30]), st.integers(0, 3000)), min_size=n, max_size=n))
    revenue = draw(
        st.lists(
            st.one_of(st.sampled_from([0.0, 9.9, 100.0, np.nan]), st.floats(-1e3, 1e7, allow_nan=False)),
            min_size=n,
            max_size=n,
        )
    )
    frame = pd.DataFrame(
        {
            "customer_id": pd.array([f"k{i:03d}" for i in range(n)], dtype="string"),
            "revenue": revenue,
            "orders": pd.array(orders, dtype="int64"),
            "recency_days": pd.array([r if o > 0 else pd.NA for r, o in zip(recency, orders)], dtype="Int64"),
        }
    )
    return frame


@settings(max_examples=25)
@given(cv=customer_values(), bins=st.integers(2, 10), monetary=st.sampled_from(["total", "mean"]), data=st.data())
def test_rfm_scores_in_range_monotone_and_order_free(cv, bins, monetary, data):
    out = rfm(cv, bins=bins, monetary=monetary, lang="en").table
    bought = (cv["orders"] > 0).to_numpy()
    known = bought & cv["revenue"].notna().to_numpy()  # a missing amount stays missing: no M
    for col, has in (("R", bought), ("F", bought), ("M", known)):
        s = out[col]
        assert s[has].notna().all() and s[~has].isna().all()
        ok = s[has].astype(int)
        assert ((ok >= 1) & (ok <= bins)).all(), f"{col} outside 1..{bins}"
    assert out["rfm_score"][known].notna().all() and out["rfm_score"][~known].isna().all()
    for col, driver, better in (("R", "recency_days", -1), ("F", "frequency", 1), ("M", "monetary", 1)):
        buyers = out[known if col == "M" else bought]
        x = buyers[driver].to_numpy(dtype=float) * better
        sc = buyers[col].to_numpy(dtype=float)
        assert not ((x[:, None] > x[None, :]) & (sc[:, None] < sc[None, :])).any(), f"{col} not monotone"
        assert not ((x[:, None] == x[None, :]) & (sc[:, None] != sc[None, :])).any(), f"{col} splits a tie"
    if known.any():  # the worst value scores 1 (no customer is strictly worse)
        assert out["F"][bought].min() == 1 and out["R"][bought].min() == 1 and out["M"][known].min() == 1
    perm = data.draw(st.permutations(range(len(cv))), label="row order")
    again = rfm(cv.iloc[perm].reset_index(drop=True), bins=bins, monetary=monetary, lang="en").table
    key = ["customer_id", "R", "F", "M", "rfm_score"]
    a = out[key].sort_values("customer_id").reset_index(drop=True)
    b = again[key].sort_values("customer_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


# ----------------------------------------------------------------------------- from the transaction log

AS_OF = pd.Timestamp("2024-03-31")


@st.composite
def transaction_logs(draw):
    n = draw(st.integers(1, 25))
    rows = []
    for _ in range(n):
        amount = draw(
            st.one_of(
                st.floats(0, 1e5, allow_nan=False),
                st.sampled_from([0.0, 10.0, -10.0, np.nan]),
                st.floats(-500, 0, allow_nan=False),
            )
        )
        rows.append(
            (
                draw(st.sampled_from(["a", "b", "c", "d", "e"])),
                AS_OF - pd.Timedelta(days=draw(st.integers(0, 90))),
                amount,
            )
        )
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


def _expected_customer_value(tx: pd.DataFrame) -> pd.DataFrame:
    """customer_value from its documented definitions, with plain pandas."""
    out = []
    for cid, g in tx.groupby("customer_id"):
        buy = g[~(g["amount"] < 0)]  # a purchase record: amount >= 0 or missing; returns are not orders
        last = buy["date"].max() if len(buy) else pd.NaT
        out.append(
            {
                "customer_id": cid,
                # the policy: money figures sum the known amounts; NaN only when none is known
                "revenue": g["amount"].sum() if g["amount"].notna().any() else np.nan,
                "missing_amounts": int(g["amount"].isna().sum()),
                "orders": buy["date"].nunique(),
                "records": len(g),
                "recency_days": (AS_OF - last).days if len(buy) else pd.NA,
            }
        )
    return pd.DataFrame(out)


@settings(max_examples=10)
@given(tx=transaction_logs(), bins=st.integers(2, 6), data=st.data())
def test_customer_value_and_rfm_from_a_log(tx, bins, data):
    cv = _quiet(customer_value, tx, as_of=AS_OF, today="2025-01-01").table
    exp = _expected_customer_value(tx)
    assert cv["customer_id"].astype(str).tolist() == exp["customer_id"].tolist()
    np.testing.assert_allclose(
        cv["revenue"].to_numpy(dtype=float), exp["revenue"].to_numpy(dtype=float), rtol=1e-12, atol=1e-9
    )  # a missing amount is left out of the sum; no known amount leaves revenue NaN, never 0
    assert cv["missing_amounts"].tolist() == exp["missing_amounts"].tolist()
    assert cv["orders"].tolist() == exp["orders"].tolist()
    assert cv["records"].tolist() == exp["records"].tolist()
    assert cv["recency_days"].astype("Float64").tolist() == exp["recency_days"].astype("Float64").tolist()
    perm = data.draw(st.permutations(range(len(tx))), label="row order")
    shuffled = _quiet(customer_value, tx.iloc[perm].reset_index(drop=True), as_of=AS_OF, today="2025-01-01").table
    pd.testing.assert_frame_equal(
        cv.drop(columns=["first_purchase", "last_purchase"]),
        shuffled.drop(columns=["first_purchase", "last_purchase"]),
        check_exact=False,
        rtol=1e-12,
        atol=1e-9,
    )
    scores = _quiet(rfm, tx, bins=bins, as_of=AS_OF, today="2025-01-01", lang="en").table
    for col in ("R", "F", "M"):
        s = scores[col].dropna().astype(int)
        assert ((s >= 1) & (s <= bins)).all()
