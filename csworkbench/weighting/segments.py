"""Segment comparisons with a test (细分比较与显著性检验): one call, every segment × item.

Course concept: satisfaction is compared across segments — region A vs region B, key accounts vs
the rest, this quarter vs last (顾客满意度的细分比较).  :func:`compare_segments` estimates a
statistic in every level of a ``segment`` column, compares each level with a ``reference`` level
(or, by default, with the rest of the sample), tests the difference with the test that fits the
statistic and controls the error rate across all segments × items:

================  ================================================  ==============================
``statistic``     estimate per segment and item                     test of the difference
================  ================================================  ==============================
``"mean"``        (weighted) mean of a rating or index column       Welch t with design SEs and
                                                                    Satterthwaite df
``"gap"``         mean paired gap P − E of ``items={name: (P, E)}`` Welch t, as ``"mean"``
``"proportion"``  share of 1s of a 0/1 column (complaint rate)      Pearson χ² (unweighted or
                                                                    frequency); Rao–Scott (sampling)
``"importance"``  Johnson relative weight of each driver on         permutation of the segment
                  ``outcome`` (weighted correlations)               labels (``n_perm``)
``"pls_path"``    path coefficients of a PLS path ``model``         permutation of the segment
                  (weighted PLS-PM; ``items``: ``"A -> B"`` names,  labels, as PLS-MGA
                  None: every path)                                 (Chin & Dibbern 2010)
================  ================================================  ==============================

Importances and PLS paths get percentile intervals from a (weighted) bootstrap within the
segment (``n_boot``) and the difference's interval from independent bootstraps of the two sides.

With weights, each segment's estimate and SE come from
:func:`csworkbench.weighting.design.weighted_moments` (sampling weights: Taylor linearisation,
optional ``strata``/``cluster``; frequency weights) and the segments are treated as independent
samples.  For a proportion with weights the first-order Rao–Scott χ² on one degree of freedom is
the Pearson χ² divided by the design effect of the difference, i.e. the Wald χ² ``d² / V(d)`` with
the design variance ``V(d) = se₁² + se₂²``.  Without weights the tests are the textbook ones:
``scipy.stats.ttest_ind(equal_var=False)`` and ``scipy.stats.chi2_contingency(correction=False)``.
Adjusted p-values come from ``statsmodels.stats.multitest.multipletests`` (``adjust="holm"``
controls the family-wise error, ``"fdr_bh"`` the false discovery rate, ``"none"`` nothing).

Segments with fewer than ``min_n`` respondents are not compared (a listed problem); respondents
without a segment value are listed and left out.  For PLS path differences between two groups
use :func:`csworkbench.pls.mga` (permutation test).

Reference: Rao, J. N. K., Scott, A. J. (1984) *Annals of Statistics* 12, 46–60; Holm, S. (1979)
*Scandinavian Journal of Statistics* 6, 65–70; Benjamini, Y., Hochberg, Y. (1995) *JRSS B* 57,
289–300; Welch, B. L. (1947) *Biometrika* 34, 28–35.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"region": np.repeat(["north", "south"], 50),
...                    "sat": np.r_[rng.normal(7, 1, 50), rng.normal(6, 1, 50)]})
>>> res = compare_segments(df, statistic="mean", segment="region", items=["sat"], reference="north")
>>> res.table[["segment", "item", "n", "significant"]]
  segment item   n  significant
0   north  sat  50        False
1   south  sat  50         True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import DataError, ParameterError
from ..problems import Problems
from .design import _design_arrays, case_weights, check_weight_type, weighted_corr_stack, weighted_moments

__all__ = ["SEGMENT_STATISTICS", "ADJUSTMENTS", "SegmentComparison", "compare_segments"]

#: Statistics :func:`compare_segments` can compare.
SEGMENT_STATISTICS = ("mean", "gap", "proportion", "importance", "pls_path")
#: Multiple-comparison adjustments (statsmodels ``multipletests`` methods, or none).
ADJUSTMENTS = ("holm", "fdr_bh", "bonferroni", "none")
REST = "(rest)"


@dataclass(frozen=True)
class SegmentComparison:
    """Result of :func:`compare_segments`.

    Attributes
    ----------
    table : DataFrame
        One row per segment × item: ``segment, item, estimate, se, ci_low, ci_high, n, n_eff,
        reference`` (the level compared with, or ``"(rest)"``), ``reference_estimate,
        difference`` (segment − reference), ``diff_ci_low, diff_ci_high, test`` (``welch``,
        ``chi2``, ``rao_scott``, ``permutation``), ``test_statistic, df, p_value, p_adjusted,
        significant`` (``p_adjusted < alpha``).  The reference level's own rows carry no test.
    problems : DataFrame
        Listed data problems (small segments, missing segment values, unusable weights).
    statistic, segment, adjust : str
    reference : object
        The reference level (None: each level against the rest).
    alpha, confidence : float
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    statistic: str
    segment: str
    reference: Any
    adjust: str
    alpha: float
    confidence: float

    def summary(self) -> pd.DataFrame:
        """The comparison table (a copy)."""
        return self.table.copy()

    def reader_table(self, *, rest_label: str) -> pd.DataFrame:
        """The table as a report shows it: ``segment, item, n, estimate, ci_low, ci_high, reference,
        difference, p_value, p_adjusted, significant`` — ``reference`` is the level compared with
        (``rest_label`` for "the rest"; missing where no difference was tested, e.g. the reference itself).

        >>> import pandas as pd
        >>> df = pd.DataFrame({"g": ["a"] * 40 + ["b"] * 40, "y": [1.0, 2.0] * 20 + [3.0, 4.0] * 20})
        >>> shown = compare_segments(df, statistic="mean", segment="g", items=["y"], reference="a").reader_table(
        ...     rest_label="其余")
        >>> shown["reference"].isna().tolist(), shown["reference"].iloc[1]
        ([True, False], 'a')
        """
        tab = self.table
        differences = tab["difference"].astype(float)
        return pd.DataFrame(
            {
                "segment": tab["segment"].astype(str),
                "item": tab["item"],
                "n": tab["n"],
                "estimate": tab["estimate"],
                "ci_low": tab["ci_low"],
                "ci_high": tab["ci_high"],
                "reference": [
                    None if not np.isfinite(d) else rest_label if str(r) == REST else str(r)
                    for r, d in zip(tab["reference"], differences)
                ],
                "difference": tab["difference"],
                "p_value": tab["p_value"],
                "p_adjusted": tab["p_adjusted"],
                "significant": tab["significant"].astype(bool),
            }
        )

    def conf_int(self, confidence: float | None = None) -> pd.DataFrame:
        """``segment, item, estimate, ci_low, ci_high`` at the result's confidence (others: refit)."""
        if confidence is not None and not np.isclose(confidence, self.confidence):
            raise ParameterError(
                f"this comparison was computed at confidence={self.confidence}; call compare_segments "
                f"again with confidence={confidence}"
            )
        return self.table[["segment", "item", "estimate", "ci_low", "ci_high"]].copy()


def _check_args(statistic, items, outcome, alpha, adjust, min_n, confidence, weight_type) -> None:
    if statistic not in SEGMENT_STATISTICS:
        raise ParameterError(f"statistic must be one of {', '.join(SEGMENT_STATISTICS)}; got {statistic!r}")
    if adjust not in ADJUSTMENTS:
        raise ParameterError(f"adjust must be one of {', '.join(ADJUSTMENTS)}; got {adjust!r}")
    for name, value in (("alpha", alpha), ("confidence", confidence)):
        if not isinstance(value, (int, float)) or not 0 < value < 1:
            raise ParameterError(f"{name} must lie between 0 and 1; got {value!r}")
    if not isinstance(min_n, (int, np.integer)) or min_n < 2:
        raise ParameterError(f"min_n must be an integer of at least 2; got {min_n!r}")
    if statistic == "gap" and not isinstance(items, Mapping):
        raise ParameterError("statistic='gap' needs items={name: (perception column, expectation column)}")
    if statistic == "importance" and outcome is None:
        raise ParameterError("statistic='importance' needs outcome= (the overall rating the items drive)")
    if not items and statistic != "pls_path":
        raise ParameterError("give at least one item")
    check_weight_type(weight_type)


def _numeric(data: pd.DataFrame, col: str, problems: Problems) -> np.ndarray:
    if col not in data.columns:
        raise problems.fail(f"column {col!r} is not in the data", column=col)
    raw = data[col]
    conv = pd.to_numeric(raw.astype(float) if pd.api.types.is_bool_dtype(raw) else raw, errors="coerce")
    bad = np.flatnonzero(conv.isna().to_numpy() & raw.notna().to_numpy())
    if bad.size:
        raise DataError(
            f"must hold numbers; got {raw.iloc[bad[0]]!r}", path=problems.path, column=col, row=int(bad[0]) + 1
        )
    return conv.to_numpy(dtype=float, na_value=np.nan)


def _item_values(data, statistic, items, outcome, problems) -> tuple[list[str], np.ndarray, np.ndarray | None]:
    """Item names, the (rows × items) values and, for importance, the outcome column."""
    if statistic == "gap":
        names = list(items)
        cols = [_numeric(data, items[k][0], problems) - _numeric(data, items[k][1], problems) for k in names]
        return names, np.column_stack(cols), None
    names = [items] if isinstance(items, str) else list(items)
    Y = np.column_stack([_numeric(data, c, problems) for c in names])
    if statistic == "proportion":
        bad = ~np.isnan(Y) & (Y != 0) & (Y != 1)
        if bad.any():
            r, c = np.argwhere(bad)[0]
            raise DataError(
                f"statistic='proportion' needs 0/1 (or True/False) values; got {Y[r, c]:g}",
                path=problems.path,
                column=names[c],
                row=int(r) + 1,
            )
    y = _numeric(data, outcome, problems) if statistic == "importance" else None
    return names, Y, y


def _segments(data, segment, min_n, problems) -> tuple[np.ndarray, list]:
    """Segment code per row (−1: left out) and the compared levels (sorted)."""
    if segment not in data.columns:
        raise problems.fail(f"the segment column {segment!r} is not in the data", column=segment)
    seg = data[segment]
    missing = seg.isna().to_numpy()
    if missing.any():
        problems.add("segment_missing", rows=np.flatnonzero(missing) + 1, column=segment, action="excluded")
    counts = seg.value_counts(dropna=True)
    levels = sorted(counts.index, key=lambda v: (str(type(v)), v))
    kept = []
    for lv in levels:
        if counts[lv] < min_n:
            problems.add(
                "segment_too_small",
                column=segment,
                segment=str(lv),
                n=int(counts[lv]),
                min_n=int(min_n),
                action="excluded",
            )
        else:
            kept.append(lv)
    if len(kept) < 2:
        raise problems.fail(
            f"fewer than two segments of {segment!r} have at least min_n={min_n} respondents "
            f"(sizes: {', '.join(f'{k}: {int(v)}' for k, v in counts.items())}); nothing to compare",
            column=segment,
        )
    code = pd.Index(kept).get_indexer(seg.to_numpy())
    code[missing] = -1
    return code, kept


def compare_segments(
    data: pd.DataFrame,
    *,
    statistic: str,
    segment: str,
    items: Sequence[str] | Mapping[str, tuple[str, str]] | str | None = None,
    reference: Any = None,
    model: Any = None,
    outcome: str | None = None,
    weights: str | None = None,
    weight_type: str = "sampling",
    strata: str | None = None,
    cluster: str | None = None,
    alpha: float = 0.05,
    adjust: str = "holm",
    min_n: int = 30,
    confidence: float = 0.95,
    n_boot: int = 1000,
    n_perm: int = 1000,
    random_state: int | np.random.Generator | None = 0,
    strict: bool = False,
) -> SegmentComparison:
    """Compare a statistic across the levels of ``segment``, with a test and error-rate control.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    statistic : {"mean", "gap", "proportion", "importance"}
        What to compare (table in the module docstring).
    segment : str
        The column whose levels are compared (region, tier, quarter).
    items : list of str, or {name: (perception, expectation)} for ``"gap"``
        The rating / 0-1 / driver columns.
    reference : optional
        The level every other level is compared with; None: each level against the rest.
    outcome : str, optional
        The overall rating the items drive (``"importance"`` only).
    model : PLSPM, optional
        The PLS path model whose paths are compared (``"pls_path"`` only; its parameters are
        used, it is not changed).
    weights, weight_type, strata, cluster
        Case weights and the design (:mod:`csworkbench.weighting.design`).
    alpha : float, default 0.05
        Level of the ``significant`` flag (on adjusted p-values).
    adjust : {"holm", "fdr_bh", "bonferroni", "none"}
        Multiple-comparison control across all segments × items.
    min_n : int, default 30
        Segments with fewer respondents are listed and not compared.
    confidence : float, default 0.95
    n_boot, n_perm : int
        Bootstrap resamples (intervals) and label permutations (p-values) for ``"importance"``.
    random_state : int, Generator or None
    strict : bool
        Raise at the first data problem instead of listing it.

    Returns
    -------
    SegmentComparison
        ``table`` (segment, item, estimate, interval, difference to the reference with its
        interval, test, p_value, p_adjusted, significant, n, n_eff) and ``problems``.

    Raises
    ------
    ParameterError
        Unknown statistic or adjustment, a reference that is not a compared level, bad levels.
    DataError
        Missing columns, non-numeric items, non-0/1 values for a proportion, fewer than two
        segments of at least ``min_n`` respondents.
    """
    _check_args(statistic, items, outcome, alpha, adjust, min_n, confidence, weight_type)
    if statistic == "pls_path" and model is None:
        raise ParameterError("statistic='pls_path' needs model= (a PLSPM, e.g. PLSPM(**ecsi_model()))")
    problems = Problems(path=data.attrs.get("source"), strict=strict, warn=True)
    code, levels = _segments(data, segment, min_n, problems)
    if reference is not None and reference not in levels:
        raise ParameterError(f"reference {reference!r} is not a compared level of {segment!r} ({levels})")
    w = case_weights(data, weights, problems=problems)
    if statistic == "pls_path":
        names, Y, y = _pls_inputs(model, data, items, problems)
    else:
        names, Y, y = _item_values(data, statistic, items, outcome, problems)
    s_arr, c_arr = _design_arrays(data, strata, cluster)
    design = {"strata": s_arr, "cluster": c_arr}
    if w is not None:
        code = np.where(np.isfinite(w), code, -1)
    if statistic in ("importance", "pls_path"):
        rng = np.random.default_rng(random_state)
        A = Y if y is None else np.column_stack([Y, y])
        stat = _rw if statistic == "importance" else _pls_stat(model, names)
        parts = [
            _resampled_rows(names, A, stat, w, code, i, levels, reference, confidence, n_boot, n_perm, rng)
            for i in range(len(levels))
        ]
    else:
        kind = statistic if statistic == "proportion" else "mean"
        parts = [
            _moment_rows(names, Y, w, code, i, levels, reference, kind, weight_type, design, confidence)
            for i in range(len(levels))
        ]
    table = _adjusted(_table(parts, len(names)), alpha, adjust)
    return SegmentComparison(
        table=table,
        problems=problems.frame(),
        statistic=statistic,
        segment=segment,
        reference=reference,
        adjust=adjust,
        alpha=float(alpha),
        confidence=float(confidence),
    )


def _sides(code: np.ndarray, i: int, levels: list, reference: Any) -> tuple[np.ndarray, np.ndarray | None, Any]:
    """Rows of level ``i``, rows of what it is compared with (None for the reference) and its label."""
    own = np.flatnonzero(code == i)
    if reference is None:
        return own, np.flatnonzero((code >= 0) & (code != i)), REST
    r = levels.index(reference)
    return own, (None if r == i else np.flatnonzero(code == r)), reference


def _moments(Y, w, rows, weight_type, design):
    sub = {k: (None if v is None else v[rows]) for k, v in design.items()}
    return weighted_moments(Y[rows], None if w is None else w[rows], weight_type=weight_type, **sub)


def _moment_rows(names, Y, w, code, i, levels, reference, kind, weight_type, design, confidence) -> pd.DataFrame:
    """Rows of one segment for a mean or proportion: estimate, difference, Welch t or χ² test."""
    own, other, label = _sides(code, i, levels, reference)
    a = _moments(Y, w, own, weight_type, design)
    lo, hi, _, _ = a.interval(confidence)
    out = dict(
        {
            "segment": levels[i],
            "item": names,
            "estimate": a.estimate,
            "se": a.se,
            "ci_low": lo,
            "ci_high": hi,
            "n": a.n.astype(int),
            "n_eff": a.n_eff,
            "reference": label,
        }
    )
    nan = np.full(len(names), np.nan)
    test = {
        "reference_estimate": nan,
        "difference": nan,
        "diff_ci_low": nan,
        "diff_ci_high": nan,
        "test": None,
        "test_statistic": nan,
        "df": nan,
        "p_value": nan,
    }
    if other is None:
        return {**out, **test}
    b = _moments(Y, w, other, weight_type, design)
    d = a.estimate - b.estimate
    v1, v2 = a.se**2, b.se**2
    se = np.sqrt(v1 + v2)
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "proportion":
            if w is None or weight_type == "frequency":  # Pearson χ² on the (weighted) 2 × 2 counts
                p_pool = (a.estimate * a.sum_w + b.estimate * b.sum_w) / (a.sum_w + b.sum_w)
                x2 = d**2 / (p_pool * (1 - p_pool) * (1 / a.sum_w + 1 / b.sum_w))
                name = "chi2"
            else:  # first-order Rao–Scott on one df = Wald χ² with the design variance
                x2, name = d**2 / (v1 + v2), "rao_scott"
            stat, dof, p = x2, np.ones_like(d), stats.chi2.sf(x2, 1)
            q = np.full_like(d, stats.norm.ppf(0.5 + confidence / 2))
        else:
            dof = (v1 + v2) ** 2 / (v1**2 / a.df + v2**2 / b.df)
            stat, name = d / se, "welch"
            p = 2 * stats.t.sf(np.abs(stat), dof)
            q = stats.t.ppf(0.5 + confidence / 2, dof)
    return dict(
        out,
        reference_estimate=b.estimate,
        difference=d,
        diff_ci_low=d - q * se,
        diff_ci_high=d + q * se,
        test=name,
        test_statistic=stat,
        df=dof,
        p_value=p,
    )


def _table(parts: list[dict], k: int) -> pd.DataFrame:
    """One frame from the per-segment column dicts (labels broadcast to the ``k`` items)."""
    text = ("segment", "item", "reference", "test")
    return pd.DataFrame(
        {
            c: np.concatenate(
                [np.broadcast_to(np.asarray(pt[c], dtype=object if c in text else None), (k,)) for pt in parts]
            )
            for c in parts[0]
        }
    )


def _adjusted(table: pd.DataFrame, alpha: float, adjust: str) -> pd.DataFrame:
    from statsmodels.stats.multitest import multipletests

    p = table["p_value"].to_numpy(dtype=float)
    ok = np.isfinite(p)
    adj = np.full(len(p), np.nan)
    if ok.any() and adjust == "holm":
        # Holm's step-down (as multipletests, which runs gc.collect() on every Holm call: ~50 ms)
        order = np.argsort(p[ok], kind="stable")
        m = int(ok.sum())
        stepped = np.minimum(np.maximum.accumulate(p[ok][order] * np.arange(m, 0, -1)), 1.0)
        adj[np.flatnonzero(ok)[order]] = stepped
    elif ok.any():
        adj[ok] = p[ok] if adjust == "none" else multipletests(p[ok], alpha=alpha, method=adjust)[1]
    table["p_adjusted"] = adj
    table["significant"] = np.where(ok, adj < alpha, False).astype(bool)
    return table


def _rw(A: np.ndarray, W: np.ndarray, chunk: int = 250) -> np.ndarray:
    """Johnson relative weights (target = last column of ``A``) under each row of weights ``W``."""
    from ..drivers.weights import rw_from_corr

    W = np.atleast_2d(W)
    return np.concatenate([rw_from_corr(weighted_corr_stack(A, W[s : s + chunk])) for s in range(0, len(W), chunk)])


def _pls_inputs(model, data, items, problems) -> tuple[list[str], np.ndarray, None]:
    """Path names ``"A -> B"`` (all, or those in ``items``) and the indicator matrix of ``model``."""
    st = model._validate_params()
    paths = [f"{st.names[i]} -> {st.names[j]}" for i, j in zip(*np.nonzero(st.adj))]
    if items is not None:
        wanted = [items] if isinstance(items, str) else list(items)
        unknown = [p for p in wanted if p not in paths]
        if unknown:
            raise ParameterError(f"paths {unknown} are not in the model; its paths are {paths}")
        paths = [p for p in paths if p in wanted]
    return paths, np.column_stack([_numeric(data, c, problems) for c in st.indicators]), None


def _pls_stat(model, names: list[str]):
    """A statistic ``(A, W) → paths`` of the PLS model under each row of weights (weighted covariances)."""
    from ..pls._resample import weighted_covs
    from ..pls.algorithm import estimates

    st = model._validate_params()
    idx = [(st.names.index(a), st.names.index(b)) for a, b in (p.split(" -> ") for p in names)]

    def paths(A: np.ndarray, W: np.ndarray) -> np.ndarray:
        W = np.atleast_2d(W)
        S = weighted_covs(A, W / W.sum(axis=1, keepdims=True), scaled=model.scaled)
        est = estimates(S, st.mask, st.modes, st.adj, model.scheme, model.tol, model.max_iter)
        out = np.stack([est["paths"][:, a, b] for a, b in idx], axis=1)
        out[~est["converged"]] = np.nan
        return out

    return paths


def _boot(A: np.ndarray, wt: np.ndarray, n_boot: int, rng: np.random.Generator, stat, k: int) -> np.ndarray:
    n = len(A)
    if not n_boot:
        return np.empty((0, k))
    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float)
    draws = stat(A, counts * wt[None, :])
    return draws[np.isfinite(draws).all(axis=1)]


def _resampled_rows(names, A, stat, w, code, i, levels, reference, confidence, n_boot, n_perm, rng) -> pd.DataFrame:
    """Rows of one segment for relative weights or PLS paths: bootstrap intervals, permutation p-values."""
    if not (isinstance(n_boot, (int, np.integer)) and n_boot >= 0 and n_boot != 1):
        raise ParameterError(f"n_boot must be 0 or at least 2; got {n_boot!r}")
    if not (isinstance(n_perm, (int, np.integer)) and n_perm >= 19):
        raise ParameterError(f"n_perm must be an integer of at least 19 (p-values below 0.05 need it); got {n_perm!r}")
    own, other, label = _sides(code, i, levels, reference)
    k = len(names)
    complete = np.isfinite(A).all(axis=1)
    wt = np.ones(len(A)) if w is None else np.where(np.isfinite(w), w, 0.0)
    own = own[complete[own]]
    est = stat(A[own], wt[own])[0]
    draws = _boot(A[own], wt[own], int(n_boot), rng, stat, k)
    q = [(1 - confidence) / 2, (1 + confidence) / 2]
    lo, hi = np.quantile(draws, q, axis=0) if len(draws) else (np.full(len(names), np.nan),) * 2
    sw = wt[own]
    out = dict(
        {
            "segment": levels[i],
            "item": names,
            "estimate": est,
            "se": draws.std(axis=0, ddof=1) if len(draws) else np.nan,
            "ci_low": lo,
            "ci_high": hi,
            "n": len(own),
            "n_eff": sw.sum() ** 2 / (sw**2).sum(),
            "reference": label,
        }
    )
    nan = np.full(len(names), np.nan)
    if other is None:
        return dict(
            out,
            reference_estimate=nan,
            difference=nan,
            diff_ci_low=nan,
            diff_ci_high=nan,
            test=None,
            test_statistic=nan,
            df=nan,
            p_value=nan,
        )
    other = other[complete[other]]
    ref = stat(A[other], wt[other])[0]
    d = est - ref
    if len(draws):
        other_draws = _boot(A[other], wt[other], int(n_boot), rng, stat, k)
        m = min(len(draws), len(other_draws))
        dd = draws[:m] - other_draws[:m]
        d_lo, d_hi = np.quantile(dd, q, axis=0)
    else:
        d_lo = d_hi = nan
    pooled = np.r_[own, other]
    idx = np.argsort(rng.random((n_perm, len(pooled))), axis=1)
    member = np.zeros((n_perm, len(pooled)))
    np.put_along_axis(member, idx[:, : len(own)], 1.0, axis=1)
    wp = wt[pooled][None, :]
    dperm = stat(A[pooled], member * wp) - stat(A[pooled], (1 - member) * wp)
    dperm = dperm[np.isfinite(dperm).all(axis=1)]
    p = (1 + (np.abs(dperm) >= np.abs(d) - 1e-12).sum(axis=0)) / (len(dperm) + 1)
    return dict(
        out,
        reference_estimate=ref,
        difference=d,
        diff_ci_low=d_lo,
        diff_ci_high=d_hi,
        test="permutation",
        test_statistic=d,
        df=nan,
        p_value=p,
    )
