"""Weighted survey estimates with design-aware intervals (加权估计与抽样设计方差).

A satisfaction survey is rarely a simple random sample: quotas by region, over-sampled key
accounts and unequal response rates give each respondent a **case weight** (个案权重).  This
module estimates means, proportions and totals with such weights and gives every estimate a
standard error that respects how the weights arose:

``weight_type="sampling"`` (default)
    Weights are sampling (survey, probability) weights — the number of population members a
    respondent stands for.  The mean is the ratio ``Σ w y / Σ w``; its variance is the Taylor
    linearisation (线性化) of that ratio under a with-replacement design, optionally stratified
    (``strata``) and clustered (``cluster``, the primary sampling unit):
    ``V = Σ_h n_h/(n_h − 1) Σ_j (z_hj − z̄_h)²`` with ``z_hj`` the PSU totals of
    ``w (y − ȳ_w) / Σ w`` — what R ``survey::svymean`` (without fpc), Stata ``svy: mean``,
    SPSS Complex Samples and samplics' ``TaylorEstimator`` compute.  Degrees of freedom
    ``#PSU − #strata``.  A stratum with a single PSU contributes 0 (it cannot be estimated).
``weight_type="frequency"``
    Weights are counts of identical cases (SPSS ``WEIGHT BY``): the sample size is ``Σ w``,
    the variance ``Σ w (y − ȳ)² / (Σ w − 1)`` and the SE ``√(var / Σ w)``.

Every weighted estimate reports the **effective sample size** ``n_eff``: Kish's
``(Σ w)² / Σ w²`` for sampling weights (the size of a simple random sample with the same
precision for a weight-driven loss), ``Σ w`` for frequency weights; and the design effect
``deff`` (the design variance over the variance of a simple random sample of the same size).
With no weights (``weights=None``) or all weights 1, the estimates, SEs and t intervals are those
of the ordinary unweighted formulas (mean, ``s/√n``, t on n − 1 df) to rounding.

Missing answers stay missing: each column uses the rows where both the answer and the weight are
known; missing, negative and zero weights are listed problems (:func:`case_weights`).

Reference: Lumley, T. (2010) *Complex Surveys: A Guide to Analysis Using R*, ch. 2–3; Kish, L.
(1965) *Survey Sampling*; Wolter, K. (2007) *Introduction to Variance Estimation*.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.weighting import survey_mean
>>> df = pd.DataFrame({"sat": [7, 5, 6, 9], "w": [1.0, 3.0, 1.0, 1.0]})
>>> survey_mean(df, ["sat"], weights="w")[["item", "estimate", "n", "n_eff"]].round(3)
  item  estimate  n  n_eff
0  sat     6.167  4    3.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import DataError, ParameterError
from ..problems import Problems
from ..schema.survey import case_weight_values

__all__ = [
    "WEIGHT_TYPES",
    "Moments",
    "case_weights",
    "check_weight_type",
    "kish_n_eff",
    "weighted_moments",
    "weighted_corr_stack",
    "survey_mean",
    "survey_proportion",
    "survey_total",
]

#: The meanings a case weight may have.
WEIGHT_TYPES = ("sampling", "frequency")


def check_weight_type(weight_type: str) -> str:
    """``weight_type`` if it is ``"sampling"`` or ``"frequency"``; else a ParameterError."""
    if weight_type not in WEIGHT_TYPES:
        raise ParameterError(f"weight_type must be 'sampling' or 'frequency'; got {weight_type!r}")
    return weight_type


def _check_confidence(confidence: float) -> float:
    if not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise ParameterError(f"confidence must be a number between 0 and 1 (e.g. 0.95); got {confidence!r}")
    return float(confidence)


def kish_n_eff(weights: Any) -> float:
    """Kish's effective sample size ``(Σ w)² / Σ w²`` of the positive, known weights.

    Equal weights give the number of weights; unequal weights give fewer.

    >>> kish_n_eff([1, 1, 1, 1]), round(kish_n_eff([1, 1, 1, 5]), 3)
    (4.0, 2.286)
    """
    w = np.asarray(weights, dtype=float)
    w = w[np.isfinite(w) & (w > 0)]
    if w.size == 0:
        return float("nan")
    return float(w.sum() ** 2 / (w * w).sum())


def case_weights(
    data: pd.DataFrame, weights: str | None, *, problems: Problems | None = None, strict: bool = False
) -> np.ndarray | None:
    """The case-weight column as floats, with unusable weights set to NaN and listed.

    ``None`` when ``weights`` is None.  A weight that is missing, not a number, negative or 0
    becomes NaN: the respondent is left out of weighted results and listed in ``problems``
    (codes ``weight_missing``, ``weight_not_number``, ``weight_negative``, ``weight_zero``);
    ``strict`` raises a :class:`~csworkbench.errors.DataError` at the first.  A column the data
    lack is a DataError; a data set with no usable weight at all is a DataError.

    >>> import pandas as pd
    >>> from csworkbench.problems import Problems
    >>> p = Problems()
    >>> case_weights(pd.DataFrame({"w": [1.5, -1, None, 0]}), "w", problems=p).tolist()
    [1.5, nan, nan, nan]
    >>> p.frame()["code"].tolist()
    ['weight_negative', 'weight_missing', 'weight_zero']
    """
    if weights is None:
        return None
    if not isinstance(weights, str):
        raise ParameterError(f"weights must be the name of a column of case weights; got {type(weights).__name__}")
    problems = problems if problems is not None else Problems(strict=strict)
    if weights not in data.columns:
        raise problems.fail(
            f"the case-weight column {weights!r} is not in the data (columns: {', '.join(map(str, data.columns[:12]))})",
            column=weights,
        )
    out = case_weight_values(data[weights], weights, problems)
    if not np.isfinite(out).any():
        raise problems.fail(
            f"no usable case weight in column {weights!r}: every weight is missing, 0 or negative", column=weights
        )
    return out


@dataclass(frozen=True)
class Moments:
    """Weighted estimate per column (arrays of one value per column of ``y``).

    ``estimate, se, df`` (degrees of freedom of the t interval), ``n`` (respondents used),
    ``n_eff`` (Kish, or Σw for frequency weights), ``sum_w``, ``deff`` (design effect).
    """

    estimate: np.ndarray
    se: np.ndarray
    df: np.ndarray
    n: np.ndarray
    n_eff: np.ndarray
    sum_w: np.ndarray
    deff: np.ndarray

    def interval(self, confidence: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``ci_low, ci_high`` (t on ``df``), ``t`` against 0 and its two-sided ``p_value``."""
        with np.errstate(invalid="ignore", divide="ignore"):
            dof = np.where(self.df > 0, self.df, np.nan)
            q = stats.t.ppf(0.5 + confidence / 2, dof)
            tval = self.estimate / self.se
            p = 2 * stats.t.sf(np.abs(tval), dof)
        return self.estimate - q * self.se, self.estimate + q * self.se, tval, p


def _codes(values: Any, n: int) -> np.ndarray:
    if values is None:
        return np.zeros(n, dtype=np.int64)
    codes, _ = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return codes.astype(np.int64)


def _linearised_var(z: np.ndarray, strata: np.ndarray, psu: np.ndarray) -> tuple[float, float]:
    """With-replacement variance of the total of ``z`` from PSU totals within strata; its df."""
    if not len(z):
        return float("nan"), float("nan")
    width = int(psu.max()) + 1
    cells, inv = np.unique(strata * width + psu, return_inverse=True)
    t = np.bincount(inv, weights=z)  # PSU totals
    hs, hinv = np.unique(cells // width, return_inverse=True)
    nh = np.bincount(hinv).astype(float)
    mh = np.bincount(hinv, weights=t) / nh
    n_psu = nh[hinv]
    with np.errstate(invalid="ignore", divide="ignore"):
        contrib = np.where(n_psu > 1, n_psu / (n_psu - 1) * (t - mh[hinv]) ** 2, 0.0)
    return float(contrib.sum()), float(len(t) - len(hs))


def weighted_moments(
    y: np.ndarray,
    w: np.ndarray | None = None,
    *,
    weight_type: str = "sampling",
    strata: Any = None,
    cluster: Any = None,
    total: bool = False,
) -> Moments:
    """Weighted mean (or ``total``) of each column of ``y`` (rows × columns, NaN = missing).

    ``w`` None means every weight 1 (the unweighted formulas); NaN weights leave the row out.
    ``strata`` and ``cluster`` (arrays, one value per row) describe the design for sampling
    weights.  See the module docstring for the formulas.

    >>> import numpy as np
    >>> m = weighted_moments(np.array([[1.0], [2.0], [3.0], [6.0]]))
    >>> float(m.estimate[0]), round(float(m.se[0]), 6), float(m.df[0])
    (3.0, 1.080123, 3.0)
    """
    check_weight_type(weight_type)
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    n_rows, k = y.shape
    w_all = np.ones(n_rows) if w is None else np.asarray(w, dtype=float)
    sc, pc = _codes(strata, n_rows), (_codes(cluster, n_rows) if cluster is not None else np.arange(n_rows))
    out = {f: np.full(k, np.nan) for f in ("estimate", "se", "df", "n", "n_eff", "sum_w", "deff")}
    for j in range(k):
        ok = ~np.isnan(y[:, j]) & np.isfinite(w_all) & (w_all > 0)
        yj, wj = y[ok, j], w_all[ok]
        n = int(ok.sum())
        out["n"][j] = n
        if n == 0:
            continue
        sw = wj.sum()
        mean = float((wj * yj).sum() / sw)
        out["sum_w"][j] = sw
        out["estimate"][j] = sw * mean if total else mean
        if weight_type == "frequency":
            out["n_eff"][j] = sw
            if sw > 1:
                var_y = float((wj * (yj - mean) ** 2).sum() / (sw - 1))
                se_mean = np.sqrt(var_y / sw)
                out["se"][j] = se_mean * sw if total else se_mean
                out["df"][j] = sw - 1
                out["deff"][j] = 1.0
            continue
        out["n_eff"][j] = sw**2 / (wj * wj).sum()
        if n < 2:
            continue
        z = wj * yj if total else wj * (yj - mean) / sw
        var, df = _linearised_var(z, sc[ok], pc[ok])
        out["se"][j] = np.sqrt(var)
        out["df"][j] = df
        s2 = float((wj * (yj - mean) ** 2).sum() / sw) * n / (n - 1)
        srs = s2 / n * (sw**2 if total else 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["deff"][j] = var / srs if srs > 0 else np.nan
    return Moments(**out)


def _design_arrays(data: pd.DataFrame, strata: str | None, cluster: str | None) -> tuple[Any, Any]:
    for name, col in (("strata", strata), ("cluster", cluster)):
        if col is not None and col not in data.columns:
            raise DataError(f"the {name} column {col!r} is not in the data", column=col)
    return (
        None if strata is None else data[strata].to_numpy(),
        None if cluster is None else data[cluster].to_numpy(),
    )


def _estimate_table(
    data: pd.DataFrame,
    columns: Sequence[str],
    *,
    weights: str | None,
    weight_type: str,
    strata: str | None,
    cluster: str | None,
    by: Sequence[str],
    confidence: float,
    total: bool,
    problems: Problems,
) -> pd.DataFrame:
    confidence = _check_confidence(confidence)
    check_weight_type(weight_type)
    missing = [c for c in [*columns, *by] if c not in data.columns]
    if missing:
        raise problems.fail(f"columns not in the data: {', '.join(map(str, missing))}", column=str(missing[0]))
    w = case_weights(data, weights, problems=problems)
    s, c = _design_arrays(data, strata, cluster)
    y = np.column_stack(
        [pd.to_numeric(data[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan) for col in columns]
    )
    parts = []
    groups = (
        [((), np.arange(len(data)))] if not by else data.groupby(list(by), sort=True, observed=True).indices.items()
    )
    for key, idx in groups:
        idx = np.asarray(idx)
        m = weighted_moments(
            y[idx],
            None if w is None else w[idx],
            weight_type=weight_type,
            strata=None if s is None else s[idx],
            cluster=None if c is None else c[idx],
            total=total,
        )
        lo, hi, _, _ = m.interval(confidence)
        frame = pd.DataFrame(
            {"item": list(columns), "estimate": m.estimate, "se": m.se, "ci_low": lo, "ci_high": hi, "df": m.df}
        )
        frame = frame.assign(n=m.n.astype(int), n_eff=m.n_eff, deff=m.deff, sum_weights=m.sum_w)
        for col, value in reversed(list(zip(by, key if isinstance(key, tuple) else (key,)))):
            frame.insert(0, col, value)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def survey_mean(
    data: pd.DataFrame,
    columns: Sequence[str],
    *,
    weights: str | None = None,
    weight_type: str = "sampling",
    strata: str | None = None,
    cluster: str | None = None,
    by: Sequence[str] = (),
    confidence: float = 0.95,
    strict: bool = False,
) -> pd.DataFrame:
    """Weighted means of survey columns with design-aware intervals (加权均值).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    columns : sequence of str
        Numeric columns to average (missing answers stay out of their column only).
    weights : str, optional
        Column of case weights (None: unweighted).
    weight_type : {"sampling", "frequency"}
        What the weights mean (module docstring); sampling weights by default.
    strata, cluster : str, optional
        Design columns (stratum, primary sampling unit) for sampling weights.
    by : sequence of str
        Columns to estimate within (domains are estimated separately).
    confidence : float, default 0.95
    strict : bool, default False
        Raise at the first unusable weight instead of listing it (DataWarning).

    Returns
    -------
    DataFrame
        ``[by], item, estimate, se, ci_low, ci_high, df, n, n_eff, deff, sum_weights``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sat": [1.0, 2.0, 3.0, 6.0]})
    >>> survey_mean(df, ["sat"])[["estimate", "se", "n", "n_eff"]].round(4)
       estimate      se  n  n_eff
    0       3.0  1.0801  4    4.0
    """
    problems = Problems(path=data.attrs.get("source"), strict=strict, warn=True)
    return _estimate_table(
        data,
        list(columns),
        weights=weights,
        weight_type=weight_type,
        strata=strata,
        cluster=cluster,
        by=list(by),
        confidence=confidence,
        total=False,
        problems=problems,
    )


def survey_total(
    data: pd.DataFrame,
    columns: Sequence[str],
    *,
    weights: str | None = None,
    weight_type: str = "sampling",
    strata: str | None = None,
    cluster: str | None = None,
    by: Sequence[str] = (),
    confidence: float = 0.95,
    strict: bool = False,
) -> pd.DataFrame:
    """Weighted population totals ``Σ w y`` with design-aware intervals (加权总量).

    Same arguments and columns as :func:`survey_mean`; ``estimate`` is the total.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"complaints": [0, 1, 2], "w": [10.0, 10.0, 20.0]})
    >>> float(survey_total(df, ["complaints"], weights="w")["estimate"].iloc[0])
    50.0
    """
    problems = Problems(path=data.attrs.get("source"), strict=strict, warn=True)
    return _estimate_table(
        data,
        list(columns),
        weights=weights,
        weight_type=weight_type,
        strata=strata,
        cluster=cluster,
        by=list(by),
        confidence=confidence,
        total=True,
        problems=problems,
    )


def survey_proportion(
    data: pd.DataFrame,
    column: str,
    *,
    weights: str | None = None,
    weight_type: str = "sampling",
    strata: str | None = None,
    cluster: str | None = None,
    by: Sequence[str] = (),
    confidence: float = 0.95,
    strict: bool = False,
) -> pd.DataFrame:
    """Weighted shares of each level of a categorical column (加权比例), with Wald t intervals.

    Each level is the weighted mean of its indicator (rows with the column missing are left out).

    Returns
    -------
    DataFrame
        ``[by], item, level, estimate, se, ci_low, ci_high, df, n, n_eff, deff, sum_weights``.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"complained": ["yes", "no", "no", "no"], "w": [3.0, 1.0, 1.0, 1.0]})
    >>> survey_proportion(df, "complained", weights="w")[["level", "estimate"]]
      level  estimate
    0    no       0.5
    1   yes       0.5
    """
    if column not in data.columns:
        raise DataError(f"the column {column!r} is not in the data", column=column)
    levels = sorted(pd.unique(data[column].dropna()), key=str)
    known = data[column].notna().to_numpy()
    ind = {
        f"__level_{i}": np.where(known, (data[column] == lv).to_numpy(dtype=float), np.nan)
        for i, lv in enumerate(levels)
    }
    frame = data.assign(**ind)
    frame.attrs = dict(data.attrs)
    out = survey_mean(
        frame,
        list(ind),
        weights=weights,
        weight_type=weight_type,
        strata=strata,
        cluster=cluster,
        by=by,
        confidence=confidence,
        strict=strict,
    )
    lv = dict(zip(ind, levels))
    out.insert(out.columns.get_loc("item") + 1, "level", out["item"].map(lv))
    out["item"] = column
    return out


def weighted_corr_stack(A: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Weighted correlation matrices of the columns of ``A`` (rows × q), one per row of ``W``.

    ``W`` (m × rows) holds non-negative weights (resampling counts × case weights, or 0/1
    memberships); returns an (m, q, q) stack.  A row of ones gives ``numpy.corrcoef(A.T)``.

    >>> import numpy as np
    >>> A = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0], [4.0, 3.0]])
    >>> bool(np.allclose(weighted_corr_stack(A, np.ones((1, 4)))[0], np.corrcoef(A.T)))
    True
    """
    A = np.asarray(A, dtype=float)
    W = np.atleast_2d(np.asarray(W, dtype=float))
    A = A - A.mean(axis=0)
    n, q = A.shape
    pair = (A[:, :, None] * A[:, None, :]).reshape(n, q * q)
    sw = W.sum(axis=1)[:, None]
    m = W @ A / sw
    S = (W @ pair).reshape(len(W), q, q) / sw[:, :, None] - m[:, :, None] * m[:, None, :]
    d = np.sqrt(np.einsum("bii->bi", S))
    with np.errstate(invalid="ignore", divide="ignore"):
        return S / (d[:, :, None] * d[:, None, :])
