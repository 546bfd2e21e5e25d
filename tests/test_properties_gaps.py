"""Property-based tests (hypothesis) of the gap models (csworkbench.gaps).

Issue #10, part 2: gap = perception − expectation has the sign of whichever side is larger and
never exceeds the width of the answer scale; a missing answer stays missing (never a zero);
SERVQUAL item and dimension gaps stay within the bounds and equal their definitions; the CEM
table's weighted gap is importance × gap, ranked most negative first, blanks left NaN.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csworkbench.errors import DataWarning
from csworkbench.gaps import cem_table, gap_scores, servqual

MISSING = object()  # an answer row that is absent altogether (not even a blank)


@st.composite
def surveys(draw, items=None, scale=None, out_of_range=True):
    """Long answers respondent, item, kind, score with blanks, absent rows and odd values.

    Returns (frame, scale, E, P) where E and P are dicts (respondent, item) → the valid answer
    (NaN for a blank, an absent row or an out-of-scale answer).
    """
    lo, hi = scale if scale is not None else draw(st.sampled_from([(1, 5), (1, 7), (0, 10), (1, 9)]))
    n = draw(st.integers(1, 8))
    items = items if items is not None else [f"q{j}" for j in range(1, draw(st.integers(1, 4)) + 1)]
    answer = st.one_of(
        st.integers(lo, hi).map(float),
        st.floats(lo, hi, allow_nan=False),
        st.just(np.nan),
        st.just(MISSING),
        *([st.sampled_from([lo - 1.0, hi + 1.0, hi + 0.5, -99.0])] if out_of_range else []),
    )
    rows, E, P = [], {}, {}
    for r in range(1, n + 1):
        for it in items:
            for kind, store in (("E", E), ("P", P)):
                v = draw(answer)
                valid = v is not MISSING and not np.isnan(v) and lo <= v <= hi
                store[(r, it)] = v if valid else np.nan
                if v is not MISSING:  # kind codes as people type them: "E", "e", " E "
                    rows.append((r, it, draw(st.sampled_from([kind, kind.lower(), f" {kind} "])), v))
    # every item needs at least one E and one P answer somewhere, or it is reported as unpaired
    for it in items:
        for kind in ("E", "P"):
            if not any(row[1] == it and row[2].strip().upper() == kind for row in rows):
                rows.append((1, it, kind, float(lo)))
                (E if kind == "E" else P)[(1, it)] = float(lo)
    order = draw(st.permutations(range(len(rows))))
    frame = pd.DataFrame([rows[i] for i in order], columns=["respondent", "item", "kind", "score"])
    return frame, (lo, hi), E, P


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return fn(*args, **kwargs)


# ----------------------------------------------------------------------------- triangle rule


@settings(max_examples=35)
@given(surveys())
def test_gap_scores_sign_bounds_and_missing(survey):
    frame, (lo, hi), E, P = survey
    res = _quiet(gap_scores, frame, scale=(lo, hi))
    s = res.scores.set_index(["respondent", "attribute"])
    present = set(frame["respondent"])
    assert set(res.scores["respondent"]) == present
    for (r, it), e in E.items():
        if r not in present:  # a respondent without a single row is not in the data
            continue
        p = P[(r, it)]
        row = s.loc[(r, it)]
        # answers come back as given; a blank, absent or out-of-scale answer stays NaN
        np.testing.assert_equal(row["expectation"], e)
        np.testing.assert_equal(row["perception"], p)
        if np.isnan(e) or np.isnan(p):
            assert np.isnan(row["gap"]) and row["outcome"] == "missing"
            continue
        assert row["gap"] == p - e
        assert abs(row["gap"]) <= hi - lo
        expected = "delighted" if p > e else ("met" if p == e else "dissatisfied")
        assert row["outcome"] == expected
    # every out-of-scale answer is reported with its row
    bad = frame["score"].notna() & ~frame["score"].between(lo, hi)
    assert set(np.flatnonzero(bad.to_numpy()) + 1) <= set(res.problems["row"].dropna().astype(int))


@settings(max_examples=35)
@given(surveys())
def test_gap_summary_is_the_mean_paired_gap_within_bounds(survey):
    frame, (lo, hi), E, P = survey
    summ = _quiet(gap_scores, frame, scale=(lo, hi)).attributes.set_index("attribute")
    for it in summ.index:
        pairs = [(P[k], E[k]) for k in E if k[1] == it and not np.isnan(E[k]) and not np.isnan(P[k])]
        row = summ.loc[it]
        assert row["n"] == len(pairs)
        if not pairs:  # nothing to average: NaN, never 0
            assert np.isnan(row["gap"]) and np.isnan(row["share_met"])
            continue
        d = np.array([p - e for p, e in pairs])
        assert row["gap"] == pytest.approx(d.mean(), abs=1e-9)
        assert -(hi - lo) - 1e-9 <= row["gap"] <= hi - lo + 1e-9
        assert row["perception"] - row["expectation"] == pytest.approx(row["gap"], abs=1e-9)
        assert np.sign(round(row["gap"], 9)) == np.sign(round(row["perception"] - row["expectation"], 9))
        assert row["share_delighted"] + row["share_met"] + row["share_dissatisfied"] == pytest.approx(1.0)
        if len(pairs) >= 2 and np.isfinite(row["se"]):
            assert row["ci_low"] <= row["gap"] + 1e-9 and row["gap"] <= row["ci_high"] + 1e-9


@settings(max_examples=20)
@given(surveys(out_of_range=False), st.data())
def test_gap_scores_do_not_depend_on_row_order(survey, data):
    frame, scale, _, _ = survey
    perm = data.draw(st.permutations(range(len(frame))), label="row order")
    a = _quiet(gap_scores, frame, scale=scale)
    b = _quiet(gap_scores, frame.iloc[perm].reset_index(drop=True), scale=scale)
    key = ["respondent", "attribute"]
    pd.testing.assert_frame_equal(
        a.scores.sort_values(key).reset_index(drop=True), b.scores.sort_values(key).reset_index(drop=True)
    )
    cols = ["attribute", "n", "gap", "share_delighted"]
    pd.testing.assert_frame_equal(
        a.attributes[cols].sort_values("attribute").reset_index(drop=True),
        b.attributes[cols].sort_values("attribute").reset_index(drop=True),
        check_exact=False,
        atol=1e-12,
    )


# ----------------------------------------------------------------------------- SERVQUAL

MAPPING = {"reliability": ["q1", "q2"], "empathy": ["q3", "q4", "q5"]}


@settings(max_examples=25)
@given(surveys(items=["q1", "q2", "q3", "q4", "q5"], scale=(1, 7)))
def test_servqual_item_and_dimension_gaps_within_bounds(survey):
    frame, (lo, hi), E, P = survey
    res = _quiet(servqual, frame, mapping=MAPPING, scale=(lo, hi))
    width = hi - lo
    items = res.items.set_index("item")
    for it in items.index:
        d = [P[k] - E[k] for k in E if k[1] == it and not np.isnan(P[k] - E[k])]
        g = items.loc[it, "gap"]
        if d:
            assert g == pytest.approx(np.mean(d), abs=1e-9) and abs(g) <= width + 1e-9
        else:
            assert np.isnan(g)
    dims = res.dimensions.set_index("dimension")
    respondents = sorted(set(frame["respondent"]))
    for dim, its in MAPPING.items():
        per_resp = []
        for r in respondents:
            d = [P[(r, it)] - E[(r, it)] for it in its if not np.isnan(P[(r, it)] - E[(r, it)])]
            if d:
                per_resp.append(np.mean(d))
        g = dims.loc[dim, "gap"]
        assert dims.loc[dim, "n"] == len(per_resp)
        if per_resp:
            assert g == pytest.approx(np.mean(per_resp), abs=1e-9) and abs(g) <= width + 1e-9
        else:
            assert np.isnan(g)
    for g in res.overall["gap"]:
        assert np.isnan(g) or abs(g) <= width + 1e-9


# ----------------------------------------------------------------------------- CEM seven steps

cell = st.one_of(st.just(np.nan), st.integers(0, 10).map(float), st.floats(0, 10, allow_nan=False))


@st.composite
def cem_inputs(draw):
    n = draw(st.integers(1, 10))
    cols = {
        c: draw(st.lists(cell, min_size=n, max_size=n)) for c in ("perception", "expectation", "importance", "ideal")
    }
    frame = pd.DataFrame({"attribute": [f"a{i}" for i in range(n)], **cols})
    drop = draw(st.sets(st.sampled_from(["expectation", "importance", "ideal"]), max_size=1))
    return frame.drop(columns=sorted(drop))


@settings(max_examples=60)
@given(cem_inputs())
def test_cem_weighted_gap_definition_ranking_and_blanks(frame):
    out = cem_table(frame)
    assert sorted(out["attribute"]) == sorted(frame["attribute"])  # nothing dropped or added
    src = frame.set_index("attribute").reindex(columns=["perception", "expectation", "importance", "ideal"])
    got = out.set_index("attribute").loc[src.index]
    gap = src["perception"] - src["expectation"]
    # definitions (2c, 2d × 2c, 4b), NaN exactly where an input is blank — never a zero
    np.testing.assert_array_equal(got["gap"].to_numpy(), gap.to_numpy())
    np.testing.assert_array_equal(got["weighted_gap"].to_numpy(), (src["importance"] * gap).to_numpy())
    np.testing.assert_array_equal(got["ideal_gap"].to_numpy(), (src["perception"] - src["ideal"]).to_numpy())
    assert (got["gap"].isna() == (src["perception"].isna() | src["expectation"].isna())).all()
    known = got["gap"].dropna()
    assert (known.abs() <= 10).all()
    assert ((known > 0) == (src.loc[known.index, "perception"] > src.loc[known.index, "expectation"])).all()
    # ranking: key experiences (most negative weighted gap) first, ties and blanks in input order
    w = out["weighted_gap"].to_numpy()
    k = int(np.isfinite(w).sum())
    assert np.isfinite(w[:k]).all() and np.isnan(w[k:]).all()
    assert (np.diff(w[:k]) >= 0).all()
    pos = {a: i for i, a in enumerate(frame["attribute"])}
    blank_order = [pos[a] for a in out["attribute"].iloc[k:]]
    assert blank_order == sorted(blank_order)
    for v in np.unique(w[:k]):
        tied = [pos[a] for a in out["attribute"][:k][w[:k] == v]]
        assert tied == sorted(tied)
